import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { DENIAL_CODES } from '../../../src/main/risk/limits.js';
import { FakeVenue, type SubmitFault } from '../execution/fake-venue.js';
import { executionKit } from '../execution/kit.js';
import { limitsFor } from './limits-fixture.js';

/**
 * Several strategies fire intents at once, with random venue latencies, fills, cancels, amendments and
 * faults. Whatever the interleaving, the venue's positions and open orders (counted at the venue, not in
 * our books) never exceed a configured limit, not even when every order still resting then fills in
 * full, and a halt leaves no order open at the venue. OSPREY_FC_SEED picks another seed.
 */

const X = 'sim:X';
const Y = 'sim:Y';
const MARK = 100;
const STRATEGIES = ['s1', 's2', 's3'] as const;
const LIMITS = limitsFor(
  { maxOrderSize: 2, maxPosition: 4, maxPositionNotional: 350, maxOpenOrders: 6, priceBandBps: 500 },
  { strategies: { s1: { maxPosition: 3, maxOpenOrders: 4 }, s2: { maxPosition: 3 }, s3: { maxPosition: 2 } }, instruments: { [Y]: { maxPosition: 2.5 } } },
);
const maxFor = { account: 4, notionalUnits: 3.5, instrument: { [X]: 4, [Y]: 2.5 } as Record<string, number>, strategy: { s1: 3, s2: 3, s3: 2 } as Record<string, number> };

const submitOp = fc.record({
  kind: fc.constant('submit' as const),
  strategy: fc.constantFrom(...STRATEGIES),
  instrument: fc.constantFrom(X, Y),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  tenths: fc.integer({ min: 1, max: 24 }),
  offsetBps: fc.integer({ min: -600, max: 600 }),
  market: fc.boolean(),
  reduceOnly: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const op = fc.oneof(
  { weight: 5, arbitrary: submitOp },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(), tenths: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), tenths: fc.integer({ min: 1, max: 24 }), offsetBps: fc.integer({ min: -600, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.constantFrom<SubmitFault>('5xx', 'timeout', 'reject') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), turns: fc.integer({ min: 0, max: 8 }) }) },
);

function checkVenue(venue: FakeVenue): void {
  for (const [instrument, size] of venue.positions()) {
    expect(size.abs().lte(Math.min(maxFor.account, maxFor.instrument[instrument]!)), `${instrument} position ${size.toFixed()}`).toBe(true);
    expect(size.abs().times(MARK).lte(maxFor.notionalUnits * MARK), `${instrument} notional`).toBe(true);
  }
  for (const [key, size] of venue.positions(true)) {
    const strategy = key.split('|')[0]!;
    expect(size.abs().lte(Math.min(maxFor.account, maxFor.strategy[strategy]!)), `${key} position ${size.toFixed()}`).toBe(true);
  }
  const live = venue.liveOrders();
  expect(live.length).toBeLessThanOrEqual(6);
  expect(live.filter((o) => o.strategyId === 's1').length).toBeLessThanOrEqual(4);
  for (const { order } of venue.orders.values()) {
    expect(new Decimal(order.size).lte(2)).toBe(true);
    expect(new Decimal(order.price).minus(MARK).abs().div(MARK).times(10_000).lte(500)).toBe(true);
  }
}

describe('risk gate under concurrent adversarial strategies', () => {
  it('never lets the venue exceed a limit, and a halt cancels every open order', async () => {
    const seen = { orders: 0, fills: 0, denials: new Map<string, number>(), outcomes: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 16 }), fc.option(fc.integer({ min: 25, max: 70 }), { freq: 3 }), async (ops, latencies, haltAt) => {
        const clock = new SimulatedClock(1_700_000_000_000);
        let venue!: FakeVenue;
        const kit = await executionKit({ clock, limits: LIMITS, marks: { [X]: String(MARK), [Y]: String(MARK) }, venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99.9, ask: 100.1, size: 100 })) });
        let turn = 0;
        venue.latency = () => latencies[turn++ % latencies.length]!;
        const seq = new Map<string, number>();
        const work: Promise<unknown>[] = [];
        const amends: string[] = [];
        let halt: Promise<void> | undefined;
        try {
          for (const [index, o] of ops.entries()) {
            // A halt in the middle of the storm: sends, fills and cancels are in flight when it comes.
            if (index === haltAt) halt = kit.gate.halt('test: daily loss');
            if (o.kind === 'submit') {
              const n = (seq.get(o.strategy) ?? 0) + 1;
              seq.set(o.strategy, n);
              const price = new Decimal(MARK).times(new Decimal(10_000).plus(o.offsetBps)).div(10_000).toDecimalPlaces(2).toFixed();
              work.push(kit.executor.submit({
                intentSeq: n, strategyId: o.strategy, instrument: o.instrument, side: o.side, size: new Decimal(o.tenths).div(10).toFixed(),
                type: o.market ? 'market' : 'limit', price: o.market ? '0' : price, timeInForce: o.market ? 'IOC' : 'GTC', reduceOnly: o.reduceOnly,
              }));
            } else if (o.kind === 'fill' || o.kind === 'cancel') {
              const live = venue.liveOrders();
              const target = live[o.pick % Math.max(1, live.length)];
              if (target !== undefined && o.kind === 'fill') venue.fill(target.clientOrderId, new Decimal(o.tenths).div(10));
              if (target !== undefined && o.kind === 'cancel') work.push(kit.executor.cancel(target.clientOrderId));
            } else if (o.kind === 'amend') {
              const live = venue.liveOrders();
              const target = live[o.pick % Math.max(1, live.length)];
              const price = new Decimal(MARK).times(new Decimal(10_000).plus(o.offsetBps)).div(10_000).toDecimalPlaces(2).toFixed();
              if (target !== undefined) work.push(kit.executor.amend(target.clientOrderId, { size: new Decimal(o.tenths).div(10).toFixed(), price }).then((r) => (amends.push(r.kind), r)));
            } else if (o.kind === 'fault') {
              venue.faults.push(o.fault);
            } else {
              // Real milliseconds, not event-loop turns: the write-ahead is an LMDB commit, and sends only
              // reach the venue after it, so fills, cancels and amendments meet live orders only if time passes.
              await new Promise<void>((r) => setTimeout(r, o.turns));
            }
            checkVenue(venue);
          }
          await Promise.all(work);
          await halt;
          await kit.executor.settled();
          checkVenue(venue);
          // The worst case the gate reserves for: every order still resting fills in full. Still within limits.
          for (const order of venue.liveOrders()) venue.fill(order.clientOrderId, new Decimal(order.size));
          checkVenue(venue);
          await kit.executor.settled();
          if (halt !== undefined) {
            expect(venue.liveOrders(), 'open at the venue after a mid-run halt').toEqual([]);
            expect(kit.store.openOrders()).toEqual([]);
          }

          await kit.gate.halt('test: drawdown');
          expect(venue.liveOrders()).toEqual([]);
          expect(kit.store.openOrders()).toEqual([]);
          const after = await kit.executor.submit({ intentSeq: 1e6, strategyId: 's1', instrument: X, side: 'buy', size: '0.1', type: 'limit', price: '100', timeInForce: 'GTC', reduceOnly: false });
          expect(after).toMatchObject({ kind: 'denied', denial: { code: 'TRADING_HALTED' } });
          for (const denied of kit.of('risk.denied')) {
            expect(DENIAL_CODES).toContain(denied.code);
            expect(Number.isFinite(Number(denied.limit)) && Number.isFinite(Number(denied.value))).toBe(true);
          }
          // Every sent order passed the gate: one order.intent per venue order, never more venue orders than intents.
          expect(venue.orders.size).toBeLessThanOrEqual(kit.of('order.intent').length);
          expect(kit.errors).toEqual([]);
          seen.orders += venue.orders.size;
          seen.fills += venue.fills.length;
          for (const d of kit.of('risk.denied')) seen.denials.set(d.code, (seen.denials.get(d.code) ?? 0) + 1);
          for (const r of await Promise.all(work)) if (typeof r === 'object' && r !== null && 'outcome' in r) seen.outcomes.add(String(r.outcome));
          for (const kind of amends) seen.outcomes.add(`amend:${kind}`);
        } finally {
          await kit.close();
        }
      }),
      { numRuns: 100, seed: Number(process.env.OSPREY_FC_SEED ?? 4242), endOnFailure: true },
    );
    // Not vacuous: orders were sent and filled, and the limits under test did trip.
    expect(seen.orders).toBeGreaterThan(100);
    expect(seen.fills).toBeGreaterThan(50);
    expect([...seen.denials.keys()]).toEqual(expect.arrayContaining(['MAX_POSITION', 'MAX_ORDER_SIZE', 'PRICE_BAND', 'TRADING_HALTED']));
    expect([...seen.outcomes]).toEqual(expect.arrayContaining(['accepted', 'rejected', 'amend:amended', 'amend:denied']));
    if (process.env.OSPREY_TEST_VERBOSE === '1') console.log(JSON.stringify({ ...seen, denials: Object.fromEntries(seen.denials), outcomes: [...seen.outcomes] }));
  });
});
