import { InvariantError } from './errors.js';
import type { BookLevel } from './types.js';

/** Most levels in one chunk; a chunk that grows past it splits in two. */
const CHUNK_MAX = 128;

interface Chunk {
  keys: number[];
  sizes: number[];
}

/**
 * One side of a price-level book, as a sorted list of chunks. Keys are `sign * price` (bids +1, asks -1)
 * so both sides sort ascending and the best level is the last key of the last chunk; negating a double
 * is exact, so no price is altered. Why chunks: Binance's diff stream updates levels at every depth, and
 * its books grow to ~5,000 levels a side. In one flat array every insert or removal far from the top
 * moved most of the array (`pipeline` full: the book was ~25% of the main thread); in chunks it moves
 * at most CHUNK_MAX entries. Lookups are two binary searches: over the chunks' last keys, then within one.
 */
class BookSide {
  readonly #sign: 1 | -1;
  #chunks: Chunk[] = [];
  #length = 0;

  constructor(sign: 1 | -1) {
    this.#sign = sign;
  }

  get length(): number {
    return this.#length;
  }

  /** Sets one level; size 0 removes it (removing an absent level is not an error: diffs repeat removals). */
  set(price: number, size: number): void {
    checkLevel(price, size);
    const key = this.#sign * price;
    const chunks = this.#chunks;
    if (chunks.length === 0) {
      if (size !== 0) {
        chunks.push({ keys: [key], sizes: [size] });
        this.#length = 1;
      }
      return;
    }
    // The first chunk whose last key is >= key; a key above every chunk belongs at the end of the last.
    const c = Math.min(chunkFor(chunks, key), chunks.length - 1);
    const chunk = chunks[c]!;
    const at = lowerBound(chunk.keys, key);
    if (at < chunk.keys.length && chunk.keys[at] === key) {
      if (size !== 0) {
        chunk.sizes[at] = size;
        return;
      }
      chunk.keys.splice(at, 1);
      chunk.sizes.splice(at, 1);
      this.#length--;
      if (chunk.keys.length === 0) chunks.splice(c, 1);
    } else if (size !== 0) {
      chunk.keys.splice(at, 0, key);
      chunk.sizes.splice(at, 0, size);
      this.#length++;
      if (chunk.keys.length > CHUNK_MAX) {
        const half = chunk.keys.length >>> 1;
        chunks.splice(c + 1, 0, { keys: chunk.keys.splice(half), sizes: chunk.sizes.splice(half) });
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
    // Half-full chunks leave room to insert before the first split.
    const step = CHUNK_MAX >>> 1;
    this.#chunks = [];
    for (let i = 0; i < keys.length; i += step) {
      const part = keys.slice(i, i + step);
      this.#chunks.push({ keys: part, sizes: part.map((k) => byKey.get(k)!) });
    }
    this.#length = keys.length;
  }

  best(): BookLevel | undefined {
    const last = this.#chunks[this.#chunks.length - 1];
    if (last === undefined) return undefined;
    const i = last.keys.length - 1;
    return { price: this.#sign * last.keys[i]!, size: last.sizes[i]! };
  }

  /** The best `n` levels, best first. */
  top(n: number): BookLevel[] {
    const out: BookLevel[] = [];
    for (let c = this.#chunks.length - 1; c >= 0 && out.length < n; c--) {
      const { keys, sizes } = this.#chunks[c]!;
      for (let i = keys.length - 1; i >= 0 && out.length < n; i--) out.push({ price: this.#sign * keys[i]!, size: sizes[i]! });
    }
    return out;
  }

  sizeAt(price: number): number {
    const key = this.#sign * price;
    const chunk = this.#chunks[chunkFor(this.#chunks, key)];
    if (chunk === undefined) return 0;
    const at = lowerBound(chunk.keys, key);
    return chunk.keys[at] === key ? chunk.sizes[at]! : 0;
  }
}

/** Index of the first chunk whose last key is >= `key`; chunks.length when none is. */
function chunkFor(chunks: readonly Chunk[], key: number): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const keys = chunks[mid]!.keys;
    if (keys[keys.length - 1]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
