import { Decimal, ZERO } from '../../core/decimal.js';
import type { Address, BookLevelWire, L2Book } from '../venue-api.js';
import { wire } from './wire.js';

/**
 * One market's book: the replayed levels of the latest recorded (or synthesised) snapshot, plus users'
 * resting orders. Replayed liquidity that a user took stays taken until a snapshot brings new information
 * about that level (see replaceReplayed), so the same recorded size is never filled twice.
 */

export interface RestingOrder {
  readonly oid: number;
  readonly user: Address;
  readonly isBuy: boolean;
  readonly px: Decimal;
  remaining: Decimal;
  /** Time priority, lower first. A modify that keeps price and side keeps its predecessor's priority. */
  readonly priority: number;
}

export interface ReplayedLevel {
  readonly px: Decimal;
  readonly recorded: Decimal;
  readonly n: number;
  /** Taken by simulated users since the snapshot that last changed this level. */
  consumed: Decimal;
}

export interface LevelInput {
  readonly px: Decimal;
  readonly sz: Decimal;
  readonly n: number;
}

/** Hyperliquid's l2Book carries 20 levels a side. */
const WIRE_DEPTH = 20;

export function available(level: ReplayedLevel): Decimal {
  // Most levels were never touched: skip the subtraction (books are rebuilt several times a second).
  return level.consumed.isZero() ? level.recorded : level.recorded.minus(level.consumed);
}

export class MarketBook {
  readonly coin: string;
  #bids: ReplayedLevel[] = [];
  #asks: ReplayedLevel[] = [];
  #userBids: RestingOrder[] = [];
  #userAsks: RestingOrder[] = [];
  #snapshotTime = 0;

  constructor(coin: string) {
    this.coin = coin;
  }

  /**
   * Installs a new snapshot. A level that comes back at the same price with the same recorded size carries
   * no news (the real market never saw our trade), so what users took from it stays taken; a level whose
   * size changed, or a new level, is fresh recorded liquidity and starts untouched.
   */
  replaceReplayed(bids: readonly LevelInput[], asks: readonly LevelInput[], time: number): void {
    this.#bids = carryConsumption(this.#bids, bids, (a, b) => b.px.comparedTo(a.px));
    this.#asks = carryConsumption(this.#asks, asks, (a, b) => a.px.comparedTo(b.px));
    this.#snapshotTime = time;
  }

  get snapshotTime(): number {
    return this.#snapshotTime;
  }

  /** Replayed levels of one side, best first. Elements are mutable so matching can record consumption. */
  replayed(bids: boolean): readonly ReplayedLevel[] {
    return bids ? this.#bids : this.#asks;
  }

  /** Users' resting orders of one side in priority order (best price, then earliest). */
  resting(buys: boolean): readonly RestingOrder[] {
    return buys ? this.#userBids : this.#userAsks;
  }

  addResting(order: RestingOrder): void {
    const side = order.isBuy ? this.#userBids : this.#userAsks;
    const before = (o: RestingOrder): boolean => {
      const cmp = order.px.comparedTo(o.px);
      const better = order.isBuy ? cmp > 0 : cmp < 0;
      return better || (cmp === 0 && order.priority < o.priority);
    };
    const at = side.findIndex(before);
    if (at < 0) side.push(order);
    else side.splice(at, 0, order);
  }

  removeResting(oid: number): RestingOrder | undefined {
    for (const side of [this.#userBids, this.#userAsks]) {
      const at = side.findIndex((o) => o.oid === oid);
      if (at >= 0) return side.splice(at, 1)[0];
    }
    return undefined;
  }

  /** Drops user orders that matching left with nothing to fill. */
  removeEmptyResting(): RestingOrder[] {
    const gone = [...this.#userBids, ...this.#userAsks].filter((o) => o.remaining.isZero());
    this.#userBids = this.#userBids.filter((o) => !o.remaining.isZero());
    this.#userAsks = this.#userAsks.filter((o) => !o.remaining.isZero());
    return gone;
  }

  /** Best visible price of a side (replayed liquidity left, or a user order), or undefined when empty. */
  best(bids: boolean): Decimal | undefined {
    const level = (bids ? this.#bids : this.#asks).find((l) => available(l).gt(0));
    const order = (bids ? this.#userBids : this.#userAsks)[0];
    if (level === undefined) return order?.px;
    if (order === undefined) return level.px;
    return bids ? Decimal.max(level.px, order.px) : Decimal.min(level.px, order.px);
  }

  mid(): Decimal | undefined {
    const bid = this.best(true);
    const ask = this.best(false);
    return bid !== undefined && ask !== undefined ? bid.plus(ask).div(2) : undefined;
  }

  /** The book as Hyperliquid publishes it: aggregated visible liquidity, 20 levels a side. */
  l2(time: number): L2Book {
    return { coin: this.coin, time, levels: [this.#wireSide(true), this.#wireSide(false)] };
  }

  #wireSide(bids: boolean): BookLevelWire[] {
    const byPrice = new Map<string, { px: Decimal; sz: Decimal; n: number }>();
    const add = (px: Decimal, sz: Decimal, n: number): void => {
      const key = px.toFixed();
      const level = byPrice.get(key);
      if (level === undefined) byPrice.set(key, { px, sz, n });
      else byPrice.set(key, { px, sz: level.sz.plus(sz), n: level.n + n });
    };
    for (const level of bids ? this.#bids : this.#asks) {
      const size = available(level);
      if (size.gt(0)) add(level.px, size, level.n);
    }
    for (const order of bids ? this.#userBids : this.#userAsks) add(order.px, order.remaining, 1);
    return [...byPrice.values()]
      .sort((a, b) => (bids ? b.px.comparedTo(a.px) : a.px.comparedTo(b.px)))
      .slice(0, WIRE_DEPTH)
      .map((l) => ({ px: wire(l.px), sz: wire(l.sz), n: l.n }));
  }
}

function carryConsumption(previous: readonly ReplayedLevel[], next: readonly LevelInput[], order: (a: LevelInput, b: LevelInput) => number): ReplayedLevel[] {
  const old = new Map(previous.filter((l) => l.consumed.gt(0)).map((l) => [l.px.toFixed(), l]));
  return next
    .filter((l) => l.sz.gt(0))
    .slice()
    .sort(order)
    .map((l) => {
      const was = old.get(l.px.toFixed());
      const unchanged = was !== undefined && was.recorded.eq(l.sz);
      return { px: l.px, recorded: l.sz, n: l.n, consumed: unchanged ? was.consumed : ZERO };
    });
}
