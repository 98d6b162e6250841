import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal, str, sum } from '../../../src/core/decimal.js';
import { applyFill, flatPosition } from '../../../src/core/position.js';
import type { Fill, Position } from '../../../src/core/types.js';
import { fill, openTempStore, type OpenedStore } from './fixtures.js';

describe('positions equal their fills (property)', () => {
  let t: OpenedStore;
  beforeAll(async () => {
    t = await openTempStore();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const arbFill = fc.record({
    tradeNo: fc.integer({ min: 0, max: 30 }), // small range, so duplicates are common
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    lots: fc.integer({ min: 1, max: 500 }),
    ticks: fc.integer({ min: 1, max: 2_000_000 }),
    feeMicros: fc.integer({ min: -50_000, max: 500_000 }),
  });
  let run = 0;

  it('keeps each position equal to the signed sum and the replay of its unique fills, across a reopen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbFill, { minLength: 1, maxLength: 25 }), fc.boolean(), async (specs, batched) => {
        const instrument = `sim:P${run++}`;
        const fills: Fill[] = specs.map((s, i) => fill(`${instrument}/${s.tradeNo}`, {
          venue: 'sim', instrument, side: s.side, size: str(new Decimal(s.lots).div(1000)),
          price: str(new Decimal(s.ticks).div(10)), fee: str(new Decimal(s.feeMicros).div(1e6)), ts: 1000 + i,
        }));
        const accepted: boolean[] = batched
          ? (await t.store.writeBatch(fills.map((f) => ({ kind: 'fill' as const, fill: f })))).map((o) => o.kind === 'written')
          : await fills.reduce(async (acc, f) => [...(await acc), await t.store.recordFill(f)], Promise.resolve([] as boolean[]));

        const firstOfEach = new Map<string, Fill>();
        for (const f of fills) if (!firstOfEach.has(f.venueTradeId)) firstOfEach.set(f.venueTradeId, f);
        const unique = [...firstOfEach.values()];
        expect(accepted.filter(Boolean)).toHaveLength(unique.length);

        const position = t.store.position(instrument);
        const signed = sum(unique.map((f) => (f.side === 'buy' ? f.size : `-${f.size}`)));
        expect(position?.size).toBe(str(signed));
        expect(position?.fees).toBe(str(sum(unique.map((f) => f.fee))));
        const replay = unique.reduce<Position>((p, f) => applyFill(p, f), flatPosition(instrument));
        expect(position).toEqual(replay);
      }),
      { numRuns: 60 },
    );
    const before = t.store.positions();
    const reopened = await t.reopen();
    expect(reopened.positions()).toEqual(before);
    expect(before.length).toBe(run);
  });
});
