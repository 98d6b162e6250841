import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { hyperliquidCloid } from '../../../src/main/exchange/hyperliquid/cloid.js';
import type { SubmitRequest } from '../../../src/main/execution/executor.js';
import { limitsFor } from '../risk/limits-fixture.js';
import { FakeVenue, type SubmitFault } from './fake-venue.js';
import { executionKit } from './kit.js';
import { BTC, type Engine, type SimServer, WALLET, connectEngine, startSimServer } from './sim-stack.js';

/**
 * Timeouts, 5xx answers and lost acknowledgements must never leave two live venue orders for one intent.
 * Counted at the venue, by the cloid our client order id maps to.
 */

const LIMITS = limitsFor({ maxOrderSize: 1, priceBandBps: 1500 });
let seq = 0;
const restingBuy = (): SubmitRequest => ({
  intentSeq: ++seq, strategyId: 'dup', instrument: BTC, side: 'buy', type: 'limit', size: '0.001', price: '60000', timeInForce: 'GTC', reduceOnly: false,
});

describe('duplicate orders against the simulated Hyperliquid venue (real adapter, loopback server)', () => {
  let sim: SimServer;
  let engine: Engine;

  beforeAll(async () => {
    sim = await startSimServer();
    engine = await connectEngine(sim, LIMITS);
  });

  afterAll(async () => {
    await engine?.close();
    await sim?.close();
  });

  /** Orders the venue ever saw with this intent's cloid, open or not. */
  const venueOrders = (clientOrderId: string) => {
    const cloid = hyperliquidCloid(clientOrderId);
    return sim.venue.historicalOrders(WALLET).filter((o) => o.order.cloid === cloid);
  };
  const live = (clientOrderId: string) => sim.venue.openOrders(WALLET).filter((o) => o.cloid === hyperliquidCloid(clientOrderId));

  const cases: [string, ('timeout' | 'http5xx')[]][] = [
    ['a lost acknowledgement (the order runs, the reply never comes)', ['timeout']],
    ['a 5xx before the order runs', ['http5xx']],
    ['a timeout, then the query about it fails too', ['timeout', 'http5xx']],
    ['two 5xx in a row', ['http5xx', 'none' as 'http5xx', 'http5xx']],
  ];
  for (const [name, faults] of cases) {
    it(`${name}: exactly one live order, recorded accepted`, async () => {
      sim.faults.queue.push(...faults);
      const outcome = await engine.kit.executor.submit(restingBuy());
      expect(outcome).toMatchObject({ kind: 'sent', outcome: 'accepted' });
      const id = outcome.clientOrderId;
      expect(venueOrders(id)).toHaveLength(1);
      expect(live(id)).toHaveLength(1);
      const stored = engine.kit.store.getOrder(id)!;
      expect(stored).toMatchObject({ status: 'accepted', venueOrderId: String(live(id)[0]!.oid) });
      // The store's history shows the detour through "unknown" whenever the outcome was in doubt.
      const statuses = (await engine.kit.store.orderHistory(id)).map((o) => o.status);
      expect(statuses[0]).toBe('pending');
      expect(statuses).toContain('submitted');
      expect(sim.faults.queue).toEqual([]);
      expect(await engine.kit.executor.cancel(id)).toBe('final');
      expect(live(id)).toHaveLength(0);
    });
  }

  it('a replayed intent (same strategy and sequence) is not sent again', async () => {
    const request = restingBuy();
    const first = await engine.kit.executor.submit(request);
    const again = await engine.kit.executor.submit(request);
    expect(again).toEqual({ kind: 'duplicate', clientOrderId: first.clientOrderId });
    expect(venueOrders(first.clientOrderId)).toHaveLength(1);
    await engine.kit.executor.cancel(first.clientOrderId);
  });
});

describe('duplicate orders against the in-process fake venue', () => {
  const faultsToTry: SubmitFault[][] = [['late'], ['late', 'late'], ['timeout'], ['5xx', '5xx'], ['5xx', 'timeout'], ['late', '5xx']];
  for (const faults of faultsToTry) {
    it(`${faults.join(' then ')}: one venue order per intent, whichever send lands`, async () => {
      const clock = new SimulatedClock(1_700_000_000_000);
      let venue!: FakeVenue;
      const kit = await executionKit({ clock, limits: LIMITS, marks: { 'sim:X': '100' }, venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99, ask: 101, size: 10 })) });
      try {
        venue.faults.push(...faults);
        const outcome = await kit.executor.submit({ intentSeq: 1, strategyId: 's', instrument: 'sim:X', side: 'buy', type: 'limit', size: '1', price: '100', timeInForce: 'GTC', reduceOnly: false });
        await new Promise((r) => setTimeout(r, 30));
        await kit.executor.settled();
        expect(venue.orders.size).toBe(1);
        expect(venue.liveOrders()).toHaveLength(1);
        expect(outcome).toMatchObject({ kind: 'sent', outcome: 'accepted' });
        expect(kit.store.getOrder(outcome.clientOrderId)).toMatchObject({ status: 'accepted' });
        // A timed-out order the venue has is found by the query and never sent again; one it lacks is re-sent.
        if (faults[0] === 'timeout') expect(venue.submits).toBe(1);
        else expect(venue.submits).toBeGreaterThan(1);
      } finally {
        await kit.close();
      }
    });
  }

  it('the same intent submitted twice at once is sent once', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    let venue!: FakeVenue;
    const kit = await executionKit({ clock, limits: LIMITS, marks: { 'sim:X': '100' }, venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99, ask: 101, size: 10 })) });
    try {
      venue.latency = () => 3;
      const request: SubmitRequest = { intentSeq: 9, strategyId: 's', instrument: 'sim:X', side: 'buy', type: 'market', size: '1', price: '0', timeInForce: 'IOC', reduceOnly: false };
      const outcomes = await Promise.all([kit.executor.submit(request), kit.executor.submit(request), kit.executor.submit(request)]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['duplicate', 'duplicate', 'sent']);
      expect(venue.submits).toBe(1);
      expect(kit.gate.exposure.ofStrategy('s', 'sim:X').position.toFixed()).toBe('1');
    } finally {
      await kit.close();
    }
  });

  it('fills reported twice (stream and query) move the position once', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    let venue!: FakeVenue;
    const kit = await executionKit({ clock, limits: LIMITS, marks: { 'sim:X': '100' }, venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99, ask: 101, size: 10 })) });
    try {
      venue.duplicateEvents = true;
      const outcome = await kit.executor.submit({ intentSeq: 1, strategyId: 's', instrument: 'sim:X', side: 'buy', type: 'limit', size: '1', price: '100', timeInForce: 'GTC', reduceOnly: false });
      venue.fill(outcome.clientOrderId, new Decimal('0.4'));
      await kit.executor.settled();
      for (const fill of await venue.fetchFills(0)) expect(await kit.executor.ledger.applyFill(fill)).toBe(false);
      expect(kit.store.position('sim:X')?.size).toBe('0.4');
      expect(kit.gate.exposure.ofStrategy('s', 'sim:X').position.toFixed()).toBe('0.4');
      expect(kit.gate.exposure.ofStrategy('s', 'sim:X').pendingBuy.toFixed()).toBe('0.6');
      expect(kit.store.getOrder(outcome.clientOrderId)).toMatchObject({ status: 'partially_filled', filledSize: '0.4' });
    } finally {
      await kit.close();
    }
  });
});
