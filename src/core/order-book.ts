import { InvariantError } from './errors.js';
import type { BookLevel } from './types.js';

/**
 * One side of a price-level book. Levels are kept in two parallel number arrays ordered from the worst
 * price to the best, so the best level is the last element: most updates touch the top of the book,
 * and inserting or removing near the end of an array moves almost nothing. Keys are `sign * price`
 * (bids +1, asks -1) so both sides sort ascending; negating a double is exact, so no price is altered.
 */
class BookSide {
  readonly #sign: 1 | -1;
  #keys: number[] = [];
  #sizes: number[] = [];

  constructor(sign: 1 | -1) {
    this.#sign = sign;
  }

  get length(): number {
    return this.#keys.length;
  }

  /** Sets one level; size 0 removes it (removing an absent level is not an error: diffs repeat removals). */
  set(price: number, size: number): void {
    checkLevel(price, size);
    const keys = this.#keys;
    const key = this.#sign * price;
    const at = lowerBound(keys, key);
    if (at < keys.length && keys[at] === key) {
      if (size === 0) {
        keys.splice(at, 1);
        this.#sizes.splice(at, 1);
      } else {
        this.#sizes[at] = size;
      }
    } else if (size !== 0) {
      if (at === keys.length) {
        keys.push(key);
        this.#sizes.push(size);
      } else {
        keys.splice(at, 0, key);
        this.#sizes.splice(at, 0, size);
      }
    }
  }

  /** Replaces the side. Built by one sort rather than level-by-level inserts, which would be quadratic. */
  replace(levels: readonly BookLevel[]): void {
    const byKey = new Map<number, number>();
    for (const level of levels) {
      checkLevel(level.price, level.size);
      // A repeated price keeps its last size, as if the levels had been applied in order.
      if (level.size === 0) byKey.delete(this.#sign * level.price);
      else byKey.set(this.#sign * level.price, level.size);
    }
    const keys = [...byKey.keys()].sort((a, b) => a - b);
    this.#keys = keys;
    this.#sizes = keys.map((k) => byKey.get(k)!);
  }

  best(): BookLevel | undefined {
    const last = this.#keys.length - 1;
    return last < 0 ? undefined : { price: this.#sign * this.#keys[last]!, size: this.#sizes[last]! };
  }

  /** The best `n` levels, best first. */
  top(n: number): BookLevel[] {
    const out: BookLevel[] = [];
    for (let i = this.#keys.length - 1; i >= 0 && out.length < n; i--) {
      out.push({ price: this.#sign * this.#keys[i]!, size: this.#sizes[i]! });
    }
    return out;
  }

  sizeAt(price: number): number {
    const key = this.#sign * price;
    const at = lowerBound(this.#keys, key);
    return at < this.#keys.length && this.#keys[at] === key ? this.#sizes[at]! : 0;
  }
}

/** First index whose key is >= `key` (keys ascending). */
function lowerBound(keys: readonly number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Decoders reject bad venue numbers before they get here; a NaN reaching the book would silently break
 * the binary search, so it is treated as a broken invariant, not as bad input.
 */
function checkLevel(price: number, size: number): void {
  if (!(price > 0 && price < Infinity && size >= 0 && size < Infinity)) {
    throw new InvariantError(`order book level must have a positive finite price and a non-negative finite size, got ${price} x ${size}`, { price, size });
  }
}

/** What a `market.book` event carries; `snapshot: false` is a diff where size 0 removes a level. */
export interface BookUpdate {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly snapshot: boolean;
}

/**
 * A price-level (L2) order book for market data. Prices and sizes are the doubles the decoders parsed
 * from the venue's decimal text, so equality of prices is exact. Not for money arithmetic.
 */
export class OrderBook {
  readonly #bids = new BookSide(1);
  readonly #asks = new BookSide(-1);

  applySnapshot(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    this.#bids.replace(bids);
    this.#asks.replace(asks);
  }

  applyDiff(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    for (let i = 0; i < bids.length; i++) this.#bids.set(bids[i]!.price, bids[i]!.size);
    for (let i = 0; i < asks.length; i++) this.#asks.set(asks[i]!.price, asks[i]!.size);
  }

  /** Applies a `market.book` payload, snapshot or diff. */
  apply(update: BookUpdate): void {
    if (update.snapshot) this.applySnapshot(update.bids, update.asks);
    else this.applyDiff(update.bids, update.asks);
  }

  bestBid(): BookLevel | undefined {
    return this.#bids.best();
  }

  bestAsk(): BookLevel | undefined {
    return this.#asks.best();
  }

  /** Best `n` bids, highest price first; all of them by default. */
  topBids(n = Infinity): BookLevel[] {
    return this.#bids.top(n);
  }

  /** Best `n` asks, lowest price first; all of them by default. */
  topAsks(n = Infinity): BookLevel[] {
    return this.#asks.top(n);
  }

  /** Size resting at exactly `price` on a side, 0 when there is no level. */
  sizeAt(side: 'bid' | 'ask', price: number): number {
    return side === 'bid' ? this.#bids.sizeAt(price) : this.#asks.sizeAt(price);
  }

  get bidDepth(): number {
    return this.#bids.length;
  }

  get askDepth(): number {
    return this.#asks.length;
  }
}

/** Same prices and sizes, in the same order. */
export function levelsEqual(a: readonly BookLevel[], b: readonly BookLevel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.price !== b[i]!.price || a[i]!.size !== b[i]!.size) return false;
  }
  return true;
}

/** Two books hold exactly the same levels on both sides. */
export function booksEqual(a: OrderBook, b: OrderBook): boolean {
  return a.bidDepth === b.bidDepth && a.askDepth === b.askDepth && levelsEqual(a.topBids(), b.topBids()) && levelsEqual(a.topAsks(), b.topAsks());
}
