import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../src/core/errors.js';
import { booksEqual, levelsEqual, OrderBook } from '../../src/core/order-book.js';
import type { BookLevel } from '../../src/core/types.js';

const lv = (price: number, size: number): BookLevel => ({ price, size });

/** The obviously-correct model: a Map per side, sorted only when read. */
class NaiveBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  snapshot(bids: BookLevel[], asks: BookLevel[]): void {
    this.bids = new Map();
    this.asks = new Map();
    this.diff(bids, asks);
  }
  diff(bids: BookLevel[], asks: BookLevel[]): void {
    for (const [side, levels] of [[this.bids, bids], [this.asks, asks]] as const) {
      for (const { price, size } of levels) {
        if (size === 0) side.delete(price);
        else side.set(price, size);
      }
    }
  }
  topBids(): BookLevel[] {
    return [...this.bids].sort((a, b) => b[0] - a[0]).map(([price, size]) => lv(price, size));
  }
  topAsks(): BookLevel[] {
    return [...this.asks].sort((a, b) => a[0] - b[0]).map(([price, size]) => lv(price, size));
  }
  apply(u: { snapshot: boolean; bids: BookLevel[]; asks: BookLevel[] }): void {
    if (u.snapshot) this.snapshot(u.bids, u.asks);
    else this.diff(u.bids, u.asks);
  }
}

describe('OrderBook', () => {
  it('applies a snapshot in any order and reports best levels and top N', () => {
    const book = new OrderBook();
    book.applySnapshot([lv(99, 1), lv(101, 2), lv(100, 3)], [lv(103, 4), lv(102, 5), lv(104, 6)]);
    expect(book.bestBid()).toEqual(lv(101, 2));
    expect(book.bestAsk()).toEqual(lv(102, 5));
    expect(book.topBids(2)).toEqual([lv(101, 2), lv(100, 3)]);
    expect(book.topAsks()).toEqual([lv(102, 5), lv(103, 4), lv(104, 6)]);
    expect([book.bidDepth, book.askDepth]).toEqual([3, 3]);
  });

  it('a diff inserts, updates and removes levels; removing an absent level is a no-op', () => {
    const book = new OrderBook();
    book.applySnapshot([lv(100, 1)], [lv(101, 1)]);
    book.applyDiff([lv(100.5, 2), lv(100, 0), lv(99, 0)], [lv(101, 7)]);
    expect(book.topBids()).toEqual([lv(100.5, 2)]);
    expect(book.topAsks()).toEqual([lv(101, 7)]);
    expect(book.sizeAt('bid', 100)).toBe(0);
    expect(book.sizeAt('ask', 101)).toBe(7);
  });

  it('a snapshot replaces everything, drops zero sizes, and keeps the last of repeated prices', () => {
    const book = new OrderBook();
    book.applySnapshot([lv(1, 1), lv(2, 2)], [lv(3, 3)]);
    book.apply({ snapshot: true, bids: [lv(5, 1), lv(4, 0), lv(5, 9)], asks: [] });
    expect(book.topBids()).toEqual([lv(5, 9)]);
    expect(book.bestAsk()).toBeUndefined();
  });

  it('an empty book has no best levels', () => {
    const book = new OrderBook();
    expect(book.bestBid()).toBeUndefined();
    expect(book.topAsks(5)).toEqual([]);
  });

  it('refuses NaN, infinite, negative or zero prices and negative sizes as a broken invariant', () => {
    const book = new OrderBook();
    for (const bad of [lv(Number.NaN, 1), lv(100, Number.NaN), lv(-1, 1), lv(0, 1), lv(100, -1), lv(Infinity, 1), lv(100, Infinity)]) {
      expect(() => book.applyDiff([bad], [])).toThrow(InvariantError);
      expect(() => book.applySnapshot([], [bad])).toThrow(InvariantError);
    }
    expect(book.bidDepth + book.askDepth).toBe(0);
  });

  it('levelsEqual and booksEqual compare prices, sizes and order', () => {
    expect(levelsEqual([lv(1, 2)], [lv(1, 2)])).toBe(true);
    expect(levelsEqual([lv(1, 2)], [lv(1, 3)])).toBe(false);
    expect(levelsEqual([lv(1, 2), lv(2, 2)], [lv(2, 2), lv(1, 2)])).toBe(false);
    expect(levelsEqual([lv(1, 2)], [])).toBe(false);
    const a = new OrderBook();
    const b = new OrderBook();
    a.applySnapshot([lv(1, 1)], [lv(2, 1)]);
    b.applyDiff([lv(1, 1)], [lv(2, 1)]);
    expect(booksEqual(a, b)).toBe(true);
    b.applyDiff([], [lv(3, 1)]);
    expect(booksEqual(a, b)).toBe(false);
  });

  it('after a snapshot and any diffs equals the naive model', () => {
    // Few distinct prices, so diffs hit existing levels (update, remove) as often as new ones.
    const level = fc.record({ price: fc.integer({ min: 1, max: 60 }).map((p) => p / 4), size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }).map((s) => s / 1000)) });
    const side = fc.array(level, { maxLength: 30 });
    const update = fc.record({ snapshot: fc.boolean(), bids: side, asks: side });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 40 }), (updates) => {
        const book = new OrderBook();
        const model = new NaiveBook();
        for (const u of updates) {
          book.apply(u);
          model.apply(u);
          expect(book.topBids()).toEqual(model.topBids());
          expect(book.topAsks()).toEqual(model.topAsks());
          expect(book.bestBid()).toEqual(model.topBids()[0]);
          expect(book.bestAsk()).toEqual(model.topAsks()[0]);
          expect(book.topBids(3)).toEqual(model.topBids().slice(0, 3));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('deep books: chunks split, empty and refill as levels come and go, and still equal the naive model', () => {
    // Hundreds of distinct prices and long diffs, so sides pass the 128-level chunk size many times over.
    const level = fc.record({ price: fc.integer({ min: 1, max: 700 }), size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })) });
    const side = fc.array(level, { maxLength: 300 });
    const update = fc.record({ snapshot: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), bids: side, asks: side });
    fc.assert(
      fc.property(side, side, fc.array(update, { maxLength: 25 }), (bids, asks, updates) => {
        const book = new OrderBook();
        const model = new NaiveBook();
        book.applySnapshot(bids, asks);
        model.snapshot(bids, asks);
        for (const u of updates) {
          book.apply(u);
          model.apply(u);
        }
        expect(book.topBids()).toEqual(model.topBids());
        expect(book.topAsks()).toEqual(model.topAsks());
        expect([book.bidDepth, book.askDepth]).toEqual([model.bids.size, model.asks.size]);
        for (const { price } of [...bids, ...asks].slice(0, 50)) {
          expect(book.sizeAt('bid', price)).toBe(model.bids.get(price) ?? 0);
          expect(book.sizeAt('ask', price)).toBe(model.asks.get(price) ?? 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
