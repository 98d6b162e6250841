import type { Exchange } from 'ccxt';
import type { Clock } from '../../../core/clock.js';
import { OspreyError } from '../../../core/errors.js';
import type { Balance, Fill, InstrumentId, Order } from '../../../core/types.js';
import type { BookSnapshot, Candle, MarkInfo, OrderRef, PositionReport } from '../adapter.js';
import type { OrderTracker } from '../order-tracker.js';
import type { RestGuard } from '../resilience/rest-guard.js';
import type { VenueEvents } from '../venue-events.js';
import type { InstrumentDirectory } from './instruments.js';
import { balances, bookLevels, positionReport } from './normalise.js';
import type { CcxtVenueProfile } from './profile.js';
import type { ReportMapper } from './reports.js';

/**
 * Market and account queries over REST through ccxt, each through the REST guard (rate tokens, breakers,
 * deadline, retry). Orders and fills read here also pass through VenueEvents, so a query that learns
 * something new (a fill the stream missed) publishes it exactly as the stream would have.
 */
export class CcxtQueries {
  readonly #exchange: Exchange;
  readonly #profile: CcxtVenueProfile;
  readonly #directory: () => InstrumentDirectory;
  readonly #guard: RestGuard;
  readonly #reports: ReportMapper;
  readonly #tracker: OrderTracker;
  readonly #events: VenueEvents;
  readonly #clock: Clock;

  constructor(deps: {
    exchange: Exchange; profile: CcxtVenueProfile; directory: () => InstrumentDirectory; guard: RestGuard;
    reports: ReportMapper; tracker: OrderTracker; events: VenueEvents; clock: Clock;
  }) {
    this.#exchange = deps.exchange;
    this.#profile = deps.profile;
    this.#directory = deps.directory;
    this.#guard = deps.guard;
    this.#reports = deps.reports;
    this.#tracker = deps.tracker;
    this.#events = deps.events;
    this.#clock = deps.clock;
  }

  async fetchBook(instrument: InstrumentId, depth = this.#profile.pollDepth): Promise<BookSnapshot> {
    const symbol = this.#directory().symbolOf(instrument);
    const book = await this.#guard.read('fetchBook', () => this.#exchange.fetchOrderBook(symbol, depth), { depth });
    return {
      instrument, bids: bookLevels(book.bids), asks: bookLevels(book.asks), ts: book.timestamp ?? this.#clock.now(),
      ...(book.nonce === undefined ? {} : { sequence: book.nonce }),
    };
  }

  async fetchCandles(instrument: InstrumentId, interval: string, since: number, limit?: number): Promise<Candle[]> {
    const symbol = this.#directory().symbolOf(instrument);
    const rows = await this.#guard.read('fetchCandles', () => this.#exchange.fetchOHLCV(symbol, interval, since, limit), { candles: limit ?? 500 });
    const now = this.#clock.now();
    const periodMs = this.#exchange.parseTimeframe(interval) * 1000;
    return rows.map(([openTime, open, high, low, close, volume]) => ({
      openTime: Number(openTime), open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume),
      closed: Number(openTime) + periodMs <= now,
    }));
  }

  async fetchMark(instrument: InstrumentId): Promise<MarkInfo | undefined> {
    const info = this.#directory().get(instrument);
    if (info?.kind !== 'perp') return undefined;
    const symbol = this.#directory().symbolOf(instrument);
    const rate = await this.#guard.read('fetchMark', () => this.#exchange.fetchFundingRate(symbol));
    if (rate.markPrice === undefined) return undefined;
    return {
      instrument, markPrice: rate.markPrice, ts: rate.timestamp ?? this.#clock.now(),
      ...(rate.fundingRate === undefined ? {} : { fundingRate: rate.fundingRate }),
    };
  }

  async fetchBalances(): Promise<Balance[]> {
    const now = this.#clock.now();
    const fetchAll = this.#profile.fetchBalances;
    const raws = await this.#guard.read('fetchBalances', () => (fetchAll === undefined ? this.#exchange.fetchBalance().then((b) => [b]) : fetchAll(this.#exchange)));
    return raws.flatMap((raw) => balances(this.#profile.venue, raw, now));
  }

  async fetchPositions(): Promise<PositionReport[]> {
    const rows = await this.#guard.read('fetchPositions', () => this.#exchange.fetchPositions());
    const now = this.#clock.now();
    const out: PositionReport[] = [];
    for (const row of rows) {
      const instrument = this.#directory().idOfSymbol(row.symbol);
      const report = instrument === undefined ? undefined : positionReport(row, instrument, now);
      if (report !== undefined) out.push(report);
    }
    return out;
  }

  async fetchOpenOrders(instrument?: InstrumentId): Promise<Order[]> {
    const symbol = instrument === undefined ? undefined : this.#directory().symbolOf(instrument);
    const rows = await this.#guard.read('fetchOpenOrders', () => this.#exchange.fetchOpenOrders(symbol), { symbol: symbol !== undefined });
    return this.#applyOrders(rows);
  }

  async fetchOrder(instrument: InstrumentId, ref: OrderRef): Promise<Order | undefined> {
    const symbol = this.#directory().symbolOf(instrument);
    const byClient = 'clientOrderId' in ref;
    const params = byClient ? this.#profile.byClientIdParams(this.#tracker.venueClientIdOf(ref.clientOrderId)) : {};
    try {
      const row = await this.#guard.read('fetchOrder', () => this.#exchange.fetchOrder(byClient ? (undefined as unknown as string) : ref.venueOrderId, symbol, params));
      return this.#applyOrders([row], instrument)[0];
    } catch (error) {
      if (error instanceof OspreyError && error.code === 'ORDER_NOT_FOUND') return undefined;
      throw error;
    }
  }

  async fetchFills(since: number, instrument?: InstrumentId): Promise<Fill[]> {
    const symbols = instrument !== undefined ? [this.#directory().symbolOf(instrument)]
      : this.#profile.fillsNeedSymbol ? this.#symbolsWithOrders() : [undefined];
    const fills: Fill[] = [];
    for (const symbol of symbols) {
      const rows = await this.#guard.read('fetchFills', () => this.#exchange.fetchMyTrades(symbol, since));
      for (const row of rows) {
        const fill = this.#reports.fill(row);
        if (fill === undefined) continue;
        fills.push(fill);
        this.#events.fill(fill);
      }
    }
    return fills.sort((a, b) => a.ts - b.ts);
  }

  /** The current state of each row's order: updated through the tracker when the row is news. */
  #applyOrders(rows: readonly import('ccxt').Order[], instrumentHint?: InstrumentId): Order[] {
    const out: Order[] = [];
    for (const row of rows) {
      const report = this.#reports.order(row, instrumentHint);
      if (report === undefined) continue;
      const order = this.#events.orderReport(report);
      const clientOrderId = this.#tracker.clientOrderIdOf(report);
      const current = order ?? (clientOrderId === undefined ? undefined : this.#tracker.order(clientOrderId));
      if (current !== undefined) out.push(current);
    }
    return out;
  }

  /** Binance needs a symbol for its trade history: ask for every instrument we have orders on. */
  #symbolsWithOrders(): string[] {
    const ids = new Set(this.#tracker.knownInstruments());
    return [...ids].map((id) => this.#directory().symbolOf(id));
  }
}
