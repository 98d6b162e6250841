import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import { available, MarketBook } from '../../../src/sim/engine/book.js';
import { levels } from './scripted.js';

const d = (x: string) => new Decimal(x);

describe('MarketBook', () => {
  it('carries consumption across a snapshot only for levels it repeats unchanged', () => {
    const book = new MarketBook('BTC');
    book.replaceReplayed(levels([['100', '1']]), levels([['101', '2'], ['102', '3'], ['103', '4']]), 1);
    const [a101, a102, a103] = book.replayed(false);
    a101!.consumed = d('2');
    a102!.consumed = d('1');
    a103!.consumed = d('0.5');
    // 101 repeats (still taken), 102 changes size (fresh), 103 disappears, 104 is new.
    book.replaceReplayed(levels([['100', '1']]), levels([['101', '2'], ['102', '3.5'], ['104', '1']]), 2);
    expect(book.replayed(false).map((l) => [l.px.toFixed(), available(l).toFixed()])).toEqual([
      ['101', '0'],
      ['102', '3.5'],
      ['104', '1'],
    ]);
    expect(book.best(false)?.toFixed()).toBe('102');
    expect(book.snapshotTime).toBe(2);
  });

  it('sorts unsorted recorded levels and drops empty ones', () => {
    const book = new MarketBook('BTC');
    book.replaceReplayed(levels([['99', '1'], ['100', '0'], ['98', '1']]), levels([['103', '1'], ['101', '1']]), 1);
    expect(book.replayed(true).map((l) => l.px.toFixed())).toEqual(['99', '98']);
    expect(book.replayed(false).map((l) => l.px.toFixed())).toEqual(['101', '103']);
  });

  it('merges user orders into the published levels, counting each order', () => {
    const book = new MarketBook('BTC');
    book.replaceReplayed(levels([['100', '1']]), levels([['102', '1']]), 1);
    book.addResting({ oid: 1, user: '0xa', isBuy: true, px: d('100'), remaining: d('0.5'), priority: 1 });
    book.addResting({ oid: 2, user: '0xb', isBuy: true, px: d('101'), remaining: d('0.25'), priority: 2 });
    book.addResting({ oid: 3, user: '0xc', isBuy: true, px: d('101'), remaining: d('0.25'), priority: 0 });
    expect(book.resting(true).map((o) => o.oid)).toEqual([3, 2, 1]);
    expect(book.l2(7)).toEqual({
      coin: 'BTC',
      time: 7,
      levels: [
        [
          { px: '101.0', sz: '0.5', n: 2 },
          { px: '100.0', sz: '1.5', n: 2 },
        ],
        [{ px: '102.0', sz: '1.0', n: 1 }],
      ],
    });
    expect(book.mid()?.toFixed()).toBe('101.5');
    expect(book.removeResting(2)?.oid).toBe(2);
    expect(book.removeResting(2)).toBeUndefined();
  });

  it('publishes at most 20 levels a side', () => {
    const book = new MarketBook('BTC');
    const many = Array.from({ length: 30 }, (_, i) => [String(1000 - i), '1'] as const);
    book.replaceReplayed(levels(many), [], 1);
    expect(book.l2(1).levels[0]).toHaveLength(20);
    expect(book.best(false)).toBeUndefined();
    expect(book.mid()).toBeUndefined();
  });
});
