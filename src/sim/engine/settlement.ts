import { Decimal } from '../../core/decimal.js';
import { ConfigError, InvariantError } from '../../core/errors.js';
import type { Address, PublicTrade, SimFill } from '../venue-api.js';
import type { AccountBook } from './accounts.js';
import type { CandleSeries } from './candles.js';
import type { EventBatch } from './events.js';
import { type OrderRecord, type OrderRegistry, toUpdate } from './orders.js';
import { fakeHash, feeFor, wire, wireUsd } from './wire.js';

/**
 * Turns matched sizes into money: fees, positions, user fills, public trades and candles. Every user fill
 * goes through `userFill`, so each account's position is exactly the signed sum of its fills and its cash
 * moves by exactly the realised PnL minus the fee it is shown.
 */

export interface FeeSchedule {
  /** Fraction of notional, e.g. 0.00045 for Hyperliquid's base-tier 0.045% taker fee. */
  readonly taker: Decimal;
  /** May be negative: a maker rebate, as Hyperliquid pays at its higher tiers. */
  readonly maker: Decimal;
}

export const DEFAULT_FEES: FeeSchedule = { taker: new Decimal('0.00045'), maker: new Decimal('0.00015') };

/** The counterparty shown for liquidity that came from the recording rather than from a simulated user. */
export const REPLAY_COUNTERPARTY: Address = '0x0000000000000000000000000000000000000000';

export class Settlement {
  readonly #accounts: AccountBook;
  readonly #orders: OrderRegistry;
  readonly #candles: ReadonlyMap<string, CandleSeries>;
  readonly #fees: FeeSchedule;
  readonly #lastTradePx = new Map<string, Decimal>();
  #nextTid = 1;

  constructor(accounts: AccountBook, orders: OrderRegistry, candles: ReadonlyMap<string, CandleSeries>, fees: FeeSchedule) {
    if (fees.taker.lt(0) || fees.taker.gte(1)) throw new ConfigError([{ path: 'fees.taker', message: `must be a fraction in [0, 1), got ${fees.taker.toFixed()}` }]);
    if (fees.maker.lte(-1) || fees.maker.gte(1)) throw new ConfigError([{ path: 'fees.maker', message: `must be a fraction in (-1, 1), got ${fees.maker.toFixed()}` }]);
    this.#accounts = accounts;
    this.#orders = orders;
    this.#candles = candles;
    this.#fees = fees;
  }

  get fees(): FeeSchedule {
    return this.#fees;
  }

  newTradeId(): number {
    return this.#nextTid++;
  }

  lastTradePx(coin: string): Decimal | undefined {
    return this.#lastTradePx.get(coin);
  }

  /** One user's side of a fill: fee, position, cash, fill history and the `fills` event. */
  userFill(record: OrderRecord, px: Decimal, sz: Decimal, crossed: boolean, tid: number, time: number, batch: EventBatch): SimFill {
    const account = this.#accounts.get(record.user);
    if (account === undefined) throw new InvariantError(`order ${record.oid} belongs to ${record.user}, which has no account`);
    const fee = feeFor(px.times(sz), crossed ? this.#fees.taker : this.#fees.maker);
    const effect = account.applyFill(record.coin, record.isBuy, px, sz, fee, time);
    const fill: SimFill = {
      coin: record.coin,
      px: wire(px),
      sz: wire(sz),
      side: record.isBuy ? 'B' : 'A',
      time,
      startPosition: wire(effect.startPosition),
      dir: effect.dir,
      closedPnl: wireUsd(effect.closedPnl),
      hash: fakeHash(tid),
      oid: record.oid,
      crossed,
      fee: wire(fee),
      tid,
      feeToken: 'USDC',
      cloid: record.cloid ?? null,
    };
    this.#orders.addFill(record.user, fill);
    batch.fill(record.user, fill);
    return fill;
  }

  /** A resting order's fill as maker, then its new state: filled, or still open with less size. */
  makerFill(record: OrderRecord, px: Decimal, sz: Decimal, tid: number, time: number, batch: EventBatch): void {
    this.userFill(record, px, sz, false, tid, time, batch);
    if (record.remaining.isZero()) this.#orders.setStatus(record, 'filled', time);
    batch.orderUpdate(record.user, toUpdate(record));
  }

  /** A trade printed on the simulated venue (a user's fill): public trades, last price and candles. */
  printTrade(coin: string, aggressorBought: boolean, px: Decimal, sz: Decimal, buyer: Address, seller: Address, tid: number, time: number, batch: EventBatch): void {
    const trade: PublicTrade = { coin, side: aggressorBought ? 'B' : 'A', px: wire(px), sz: wire(sz), time, hash: fakeHash(tid), tid, users: [buyer, seller] };
    batch.trade(trade);
    this.recordPrint(coin, px, sz, time, batch);
  }

  /** A trade that moved the market: last price, and candles of coins whose candles are built from trades. */
  recordPrint(coin: string, px: Decimal, sz: Decimal, time: number, batch: EventBatch): void {
    this.#lastTradePx.set(coin, px);
    for (const candle of this.#candles.get(coin)?.addTrade(px, sz, time) ?? []) batch.candle(candle);
  }
}
