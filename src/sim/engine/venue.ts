import { type Clock, SimulatedClock } from '../../core/clock.js';
import { Decimal, dec } from '../../core/decimal.js';
import { ConfigError } from '../../core/errors.js';
import type { Address, SimVenue } from '../venue-api.js';
import { clearinghouseState } from './account-view.js';
import { AccountBook, normaliseAddress } from './accounts.js';
import { type CandleBookShape, DEFAULT_CANDLE_BOOK } from './candle-book.js';
import { CandleSeries } from './candles.js';
import { VenueEmitter } from './events.js';
import { Exchange } from './exchange.js';
import type { ReplayStep } from './feed-replay.js';
import { marketContexts, mids } from './market-view.js';
import { checkMarkets, defaultMarkets, type MarketSpec } from './markets.js';
import { OrderRegistry, toSimOrder, toUpdate } from './orders.js';
import { MergedReplay, replayFor } from './replay-sources.js';
import { DEFAULT_FEES, Settlement } from './settlement.js';

export interface SimVenueOptions {
  /** Venue time. A SimulatedClock enables advance/step; any other clock is followed in real time (start()). */
  readonly clock: Clock;
  /** BTC's data: a recorded Hyperliquid feed (.gz) or a candle CSV. Default: the bundled BTC feed. */
  readonly dataFile?: string;
  /** The whole market list (overrides dataFile). Default: BTC and ETH, see markets.ts. */
  readonly markets?: readonly MarketSpec[];
  /** USDC each new account starts with. Default 100,000. */
  readonly balance?: Decimal | string | number;
  /** When given, the only addresses that may trade; otherwise any address is funded on first sight. */
  readonly accounts?: readonly Address[];
  /** Fee rates as fractions of notional. Default taker 0.00045, maker 0.00015 (Hyperliquid base tier). */
  readonly fees?: { readonly taker?: Decimal | string | number; readonly maker?: Decimal | string | number };
  /** Cross leverage of a coin until updateLeverage, capped at the coin's maxLeverage. Default 20. */
  readonly defaultLeverage?: number;
  /** Replay recordings again and again with time shifted forward. Default true. */
  readonly loop?: boolean;
  /** How candle-replayed coins build their synthetic book (candle-book.ts). */
  readonly candleBook?: Partial<CandleBookShape>;
}

/** SimVenue plus what drives it: tests and backtests step a SimulatedClock; `osprey sim` calls start(). */
export interface SimVenueHandle extends SimVenue {
  /** Applies every replay step due at the clock's current time. Every SimVenue call does this first. */
  sync(): void;
  /** Venue time of the next replay step, or undefined when every recording is over. */
  nextEventTime(): number | undefined;
  /** SimulatedClock only: moves time forward by `ms` and applies what became due. */
  advance(ms: number): void;
  /** SimulatedClock only: jumps to the next replay step and applies everything due then; its time, or undefined when over. */
  step(): number | undefined;
  /** Real-time clocks: applies replay steps on a timer until stop(). */
  start(intervalMs?: number): void;
  stop(): void;
  /** Where each market's prices come from, in words (for logs and `osprey sim` output). */
  describeData(): { coin: string; data: string }[];
  /** Exact (unrounded) cash and positions, for reconciliation and tests; undefined for an unknown account. */
  inspect(user: Address): { cash: string; positions: { coin: string; size: string; cost: string }[] } | undefined;
}

export function createSimVenue(options: SimVenueOptions): SimVenueHandle {
  const { clock } = options;
  const markets = options.markets ?? defaultMarkets(options.dataFile);
  checkMarkets(markets);
  const defaultLeverage = options.defaultLeverage ?? 20;
  if (!Number.isInteger(defaultLeverage) || defaultLeverage < 1) throw new ConfigError([{ path: 'defaultLeverage', message: `must be a positive integer, got ${defaultLeverage}` }]);
  const accounts = new AccountBook(dec(options.balance ?? 100_000, 'balance'), options.accounts);
  const fees = {
    taker: dec(options.fees?.taker ?? DEFAULT_FEES.taker, 'fees.taker'),
    maker: dec(options.fees?.maker ?? DEFAULT_FEES.maker, 'fees.maker'),
  };
  const candles = new Map(markets.map((m) => [m.coin, new CandleSeries(m.coin)]));
  const tradeCandles = new Map([...candles].filter(([coin]) => markets.find((m) => m.coin === coin)?.data.kind !== 'candles'));
  const emitter = new VenueEmitter();
  const orders = new OrderRegistry();
  const exchange = new Exchange(markets, accounts, orders, new Settlement(accounts, orders, tradeCandles, fees), emitter, defaultLeverage);
  const origin = clock.now();
  const shape = { ...DEFAULT_CANDLE_BOOK, ...options.candleBook };
  const replay = new MergedReplay(markets.map((m) => replayFor(m, origin, options.loop ?? true, shape)));
  let syncing = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const apply = (coin: string, step: ReplayStep): void => {
    if (step.kind === 'book') exchange.applySnapshot(coin, step.bids, step.asks, step.time);
    else if (step.kind === 'trades') exchange.applyTrades(coin, step.trades, step.time);
    else exchange.publishCandles(candles.get(coin)?.addBar(step.bar) ?? [], step.time);
  };

  /** Re-entrant calls (a listener asking the venue for state during an event) must not replay further mid-event. */
  const sync = (): void => {
    if (syncing) return;
    syncing = true;
    try {
      const now = clock.now();
      for (let next = replay.peek(); next !== undefined && next <= now; next = replay.peek()) {
        const due = replay.take();
        if (due !== undefined) apply(due.coin, due.step);
      }
    } finally {
      syncing = false;
    }
  };

  const simulated = (): SimulatedClock => {
    if (!(clock instanceof SimulatedClock)) throw new TypeError('advance() and step() need a SimulatedClock; real-time venues use start()');
    return clock;
  };

  const venue: SimVenueHandle = {
    markets: markets.map(({ coin, assetId, kind, szDecimals, maxLeverage }) => ({ coin, assetId, kind, szDecimals, maxLeverage })),
    now: () => clock.now(),
    admits: (user) => accounts.admits(user),
    place: (user, orders) => (sync(), exchange.place(user, orders, clock.now())),
    cancel: (user, cancels) => (sync(), exchange.cancel(user, cancels.map((c) => ({ assetId: c.assetId, id: c.oid })), clock.now())),
    cancelByCloid: (user, cancels) => (sync(), exchange.cancel(user, cancels.map((c) => ({ assetId: c.assetId, id: c.cloid })), clock.now())),
    modify: (user, modifies) => (sync(), exchange.modify(user, modifies, clock.now())),
    updateLeverage: (user, assetId, isCross, leverage) => (sync(), exchange.updateLeverage(user, assetId, isCross, leverage, clock.now())),
    clearinghouseState: (user) => (sync(), clearinghouseState(accounts.get(user), exchange.marginContext, clock.now())),
    spotBalances: (user) => (accounts.admits(user) ? [{ coin: 'USDC', token: 0, hold: '0.0', total: '0.0', entryNtl: '0.0' }] : []),
    openOrders: (user) => (sync(), orders.open(normaliseAddress(user)).reverse().map(toSimOrder)),
    orderStatus: (user, id) => {
      sync();
      const record = orders.find(normaliseAddress(user), id);
      return record === undefined ? undefined : toUpdate(record);
    },
    historicalOrders: (user) => (sync(), orders.history(normaliseAddress(user))),
    userFills: (user, startTime, endTime) => (sync(), orders.fills(normaliseAddress(user), startTime, endTime)),
    l2Book: (coin) => (sync(), exchange.book(coin)?.l2(clock.now())),
    candles: (coin, interval, startTime, endTime) => (sync(), candles.get(coin)?.query(interval, startTime, endTime) ?? []),
    perpContexts: () => (sync(), marketContexts(markets, exchange, candles, accounts, clock.now())),
    mids: () => (sync(), mids(markets, exchange)),
    on: (event, listener) => emitter.on(event, listener),

    sync,
    nextEventTime: () => replay.peek(),
    advance: (ms) => {
      simulated().advance(ms);
      sync();
    },
    step: () => {
      const next = replay.peek();
      if (next === undefined) return undefined;
      const c = simulated();
      if (next > c.now()) c.set(next);
      sync();
      return next;
    },
    start: (intervalMs = 20) => {
      if (timer !== undefined) return;
      timer = setInterval(sync, intervalMs);
      timer.unref();
    },
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    describeData: () => markets.map((m) => ({ coin: m.coin, data: describe(m) })),
    inspect: (user) => {
      const account = accounts.all().find((a) => a.address === normaliseAddress(user));
      if (account === undefined) return undefined;
      const positions = account.openCoins().map((coin) => ({ coin, size: account.size(coin).toFixed(), cost: account.cost(coin).toFixed() }));
      return { cash: account.cash.toFixed(), positions };
    },
  };
  sync();
  return venue;
}

function describe(m: MarketSpec): string {
  switch (m.data.kind) {
    case 'hyperliquid-feed':
      return `recorded Hyperliquid feed ${m.data.file}`;
    case 'binance-feed':
      return `recorded Binance USD-M feed ${m.data.file}, book rebuilt from its snapshot and diffs (Binance prices and sizes on a Hyperliquid-style market)`;
    case 'candles':
      return `synthetic book around candles of ${m.data.file} (${m.data.note})`;
    case 'scripted':
      return `scripted steps (${m.data.steps.length})`;
  }
}
