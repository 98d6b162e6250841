import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import { EXTERNAL_STRATEGY } from '../../../src/main/exchange/adapter.js';
import type { SubmitRequest } from '../../../src/main/execution/executor.js';
import { Reconciler } from '../../../src/main/reconcile/reconciler.js';
import { FakeVenue } from '../execution/fake-venue.js';
import { type ExecutionKit, executionKit } from '../execution/kit.js';
import { limitsFor } from '../risk/limits-fixture.js';

const X = 'sim:X';
const order = (intentSeq: number, over: Partial<SubmitRequest> = {}): SubmitRequest => ({
  intentSeq, strategyId: 's', instrument: X, side: 'buy', type: 'limit', size: '1', price: '100', timeInForce: 'GTC', reduceOnly: false, ...over,
});

async function setup(policy: 'adopt' | 'cancel' = 'adopt'): Promise<{ kit: ExecutionKit; venue: FakeVenue; reconciler: Reconciler; clock: SimulatedClock }> {
  const clock = new SimulatedClock(1_700_000_000_000);
  let venue!: FakeVenue;
  const kit = await executionKit({ clock, limits: limitsFor(), marks: { [X]: '100' }, venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99, ask: 101, size: 10 })) });
  const reconciler = new Reconciler({ venue, executor: kit.executor, gate: kit.gate, clock, unknownOrders: policy });
  return { kit, venue, reconciler, clock };
}

describe('reconciliation', () => {
  it('blocks trading until it completes, says why when it cannot, and unblocks on success', async () => {
    const { kit, venue, reconciler } = await setup();
    try {
      expect(await kit.executor.submit(order(1))).toMatchObject({ kind: 'denied', denial: { code: 'NOT_RECONCILED', reason: expect.stringContaining('has not run yet') } });
      const real = venue.fetchOpenOrders.bind(venue);
      venue.fetchOpenOrders = async () => { throw new VenueError('VENUE_UNAVAILABLE', 'hyperliquid fetchOpenOrders: 502 Bad Gateway'); };
      expect(await reconciler.run()).toMatchObject({ state: 'failed', reason: expect.stringContaining('502 Bad Gateway') });
      expect(await kit.executor.submit(order(2))).toMatchObject({ kind: 'denied', denial: { code: 'NOT_RECONCILED', reason: expect.stringContaining('could not complete') } });
      venue.fetchOpenOrders = real;
      expect(await reconciler.run()).toMatchObject({ state: 'ok' });
      expect(await kit.executor.submit(order(3))).toMatchObject({ kind: 'sent', outcome: 'accepted' });
      expect(venue.orders.size).toBe(1);
    } finally {
      await kit.close();
    }
  });

  it('adopts an unknown venue order: intent first, then its state, and reserves its exposure', async () => {
    const { kit, venue, reconciler } = await setup();
    try {
      await venue.submit({ clientOrderId: 'manual-1', strategyId: 'someone', instrument: X, side: 'sell', type: 'limit', size: '2', price: '105', timeInForce: 'GTC', reduceOnly: false, createdAt: 1 });
      const status = await reconciler.run();
      expect(status).toMatchObject({ state: 'ok', lastReport: { adopted: ['manual-1'], cancelled: [] } });
      const history = await kit.store.orderHistory('manual-1');
      expect(history.map((o) => o.status)).toEqual(['pending', 'accepted']);
      expect(history[0]).toMatchObject({ strategyId: EXTERNAL_STRATEGY, side: 'sell', size: '2' });
      expect(kit.gate.exposure.ofInstrument(X).pendingSell.toFixed()).toBe('2');
      expect(venue.liveOrders()).toHaveLength(1);
    } finally {
      await kit.close();
    }
  });

  it('cancels an unknown venue order under the cancel policy, after recording it', async () => {
    const { kit, venue, reconciler } = await setup('cancel');
    try {
      await venue.submit({ clientOrderId: 'manual-2', strategyId: 'someone', instrument: X, side: 'buy', type: 'limit', size: '1', price: '95', timeInForce: 'GTC', reduceOnly: false, createdAt: 1 });
      expect(await reconciler.run()).toMatchObject({ state: 'ok', lastReport: { adopted: ['manual-2'], cancelled: ['manual-2'] } });
      expect(venue.liveOrders()).toEqual([]);
      expect(kit.store.getOrder('manual-2')).toMatchObject({ status: 'cancelled' });
      expect(kit.gate.exposure.openOrderCount()).toBe(0);
    } finally {
      await kit.close();
    }
  });

  it('settles an order left unknown by failed sends by asking the venue, never by sending again', async () => {
    const { kit, venue, reconciler } = await setup();
    try {
      await reconciler.run();
      venue.faults.push('5xx', 'timeout');
      // First send refused (5xx), the query finds nothing, the resend lands but its reply is lost, and the
      // query about it cannot be answered: the order is unknown when the sender gives up.
      const failing = venue.fetchOrder.bind(venue);
      let queries = 0;
      venue.fetchOrder = async (instrument, ref) => {
        queries++;
        if (queries >= 2) throw new VenueError('TIMEOUT', 'fake: query timed out');
        return failing(instrument, ref);
      };
      const outcome = await kit.executor.submit(order(1));
      expect(outcome).toMatchObject({ kind: 'sent', outcome: 'unknown' });
      expect(kit.store.getOrder(outcome.clientOrderId)?.status).toBe('unknown');
      const sends = venue.submits;
      venue.fetchOrder = failing;
      expect(await reconciler.run()).toMatchObject({ state: 'ok', lastReport: { confirmed: [outcome.clientOrderId] } });
      expect(kit.store.getOrder(outcome.clientOrderId)?.status).toBe('accepted');
      expect(venue.submits).toBe(sends);
      expect(venue.liveOrders()).toHaveLength(1);
    } finally {
      await kit.close();
    }
  });

  it('records fills missed while away and refuses to trade when positions still differ, inventing nothing', async () => {
    const { kit, venue, reconciler } = await setup();
    try {
      await reconciler.run();
      const placed = await kit.executor.submit(order(1));
      await kit.executor.stop();
      // Away: a fill happens that no event delivers.
      venue.fill(placed.clientOrderId, new Decimal('0.25'));
      expect(await reconciler.run()).toMatchObject({ state: 'ok', lastReport: { fillsRecorded: 1 } });
      expect(kit.store.position(X)?.size).toBe('0.25');
      expect(kit.store.getOrder(placed.clientOrderId)).toMatchObject({ status: 'partially_filled', filledSize: '0.25' });

      const positions = venue.fetchPositions.bind(venue);
      venue.fetchPositions = async () => (await positions()).map((p) => ({ ...p, size: '0.75' }));
      const status = await reconciler.run();
      expect(status).toMatchObject({ state: 'failed', reason: `positions differ from the venue: ${X} ours 0.25 venue 0.75` });
      expect(kit.store.fillsSince(0)).toHaveLength(1);
      expect(kit.store.position(X)?.size).toBe('0.25');
      expect(await kit.executor.submit(order(2))).toMatchObject({ kind: 'denied', denial: { code: 'NOT_RECONCILED' } });
    } finally {
      await kit.close();
    }
  });
});
