import { Decimal, ZERO } from '../../core/decimal.js';
import { InvariantError } from '../../core/errors.js';
import type { Address } from '../venue-api.js';
import type { AccountBook } from './accounts.js';
import { MarketBook, type RestingOrder } from './book.js';
import { EventBatch, type VenueEmitter } from './events.js';
import type { MarginContext, OrderExposure } from './margin.js';
import type { MarketSpec } from './markets.js';
import type { Capacity } from './matcher.js';
import { increasesPosition } from './order-rules.js';
import { type OrderRecord, type OrderRegistry, toUpdate } from './orders.js';
import type { Settlement } from './settlement.js';

/** One unit of work: its time, and the events it will emit once its state is complete. */
export interface Work {
  readonly batch: EventBatch;
  readonly time: number;
}

/**
 * The state the trading operations share (markets, books, accounts, orders, settlement) and the few steps
 * every operation ends with. Exchange (exchange.ts) adds the operations themselves.
 */
export class ExchangeCore {
  protected readonly byAsset: ReadonlyMap<number, MarketSpec>;
  protected readonly byCoin: ReadonlyMap<string, MarketSpec>;
  protected readonly books = new Map<string, MarketBook>();
  protected readonly accounts: AccountBook;
  readonly orders: OrderRegistry;
  protected readonly settlement: Settlement;
  readonly #emitter: VenueEmitter;
  readonly #defaultLeverage: number;
  readonly marginContext: MarginContext;

  constructor(markets: readonly MarketSpec[], accounts: AccountBook, orders: OrderRegistry, settlement: Settlement, emitter: VenueEmitter, defaultLeverage: number) {
    this.orders = orders;
    this.byAsset = new Map(markets.map((m) => [m.assetId, m]));
    this.byCoin = new Map(markets.map((m) => [m.coin, m]));
    for (const m of markets) this.books.set(m.coin, new MarketBook(m.coin));
    this.accounts = accounts;
    this.settlement = settlement;
    this.#emitter = emitter;
    this.#defaultLeverage = defaultLeverage;
    this.marginContext = {
      market: (coin) => this.market(coin),
      mark: (coin) => this.mark(coin) ?? ZERO,
      leverage: (account, coin) => account.leverage(coin, Math.min(this.#defaultLeverage, this.market(coin).maxLeverage)),
    };
  }

  book(coin: string): MarketBook | undefined {
    return this.books.get(coin);
  }

  /** Mark price: mid of the replayed (recorded or synthesised) book, which users cannot push; else the last trade. */
  mark(coin: string): Decimal | undefined {
    const book = this.books.get(coin);
    const bid = book?.replayed(true)[0]?.px;
    const ask = book?.replayed(false)[0]?.px;
    return bid !== undefined && ask !== undefined ? bid.plus(ask).div(2) : this.settlement.lastTradePx(coin);
  }

  /** What the user's open orders could add to positions, for margin. */
  exposures(user: Address, except?: OrderRecord): OrderExposure[] {
    return this.orders
      .open(user)
      .filter((r) => r !== except)
      .map((r) => ({ coin: r.coin, isBuy: r.isBuy, px: r.px, size: r.remaining, reduceOnly: r.reduceOnly }));
  }

  protected newWork(time: number): Work {
    return { batch: new EventBatch(), time };
  }

  /** A resting order may fill its remaining size, but a reduce-only one only what still closes its position. */
  protected readonly capacity: Capacity = (order: RestingOrder) => {
    const record = this.record(order);
    if (!record.reduceOnly) return order.remaining;
    const position = this.accounts.get(record.user)?.size(record.coin) ?? ZERO;
    return increasesPosition(record.isBuy, position) ? ZERO : Decimal.min(order.remaining, position.abs());
  };

  protected retire(record: OrderRecord, status: 'canceled' | 'reduceOnlyCanceled', work: Work): void {
    this.bookOf(record.coin).removeResting(record.oid);
    this.orders.setStatus(record, status, work.time);
    work.batch.orderUpdate(record.user, toUpdate(record));
    work.batch.book(record.coin);
  }

  /** Ends a unit of work: reduce-only orders that can no longer reduce are cancelled, then events go out. */
  protected finish(work: Work): void {
    for (const user of this.orders.usersWithOpenOrders()) {
      const account = this.accounts.get(user);
      for (const record of this.orders.open(user)) {
        if (record.reduceOnly && account !== undefined && increasesPosition(record.isBuy, account.size(record.coin))) this.retire(record, 'reduceOnlyCanceled', work);
      }
    }
    work.batch.flush(this.#emitter, (coin) => this.bookOf(coin).l2(work.time));
  }

  protected record(order: RestingOrder): OrderRecord {
    const record = this.orders.get(order.oid);
    if (record === undefined) throw new InvariantError(`resting order ${order.oid} has no record`);
    return record;
  }

  protected market(coin: string): MarketSpec {
    const market = this.byCoin.get(coin);
    if (market === undefined) throw new InvariantError(`unknown coin ${coin}`);
    return market;
  }

  protected bookOf(coin: string): MarketBook {
    const book = this.books.get(coin);
    if (book === undefined) throw new InvariantError(`unknown coin ${coin}`);
    return book;
  }
}
