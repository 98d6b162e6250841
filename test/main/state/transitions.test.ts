import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../../src/core/types.js';
import {
  ORDER_STATUSES, ORDER_TRANSITIONS, STATUS_RANK, isTerminal, resolveTransition, type StatusPosition,
} from '../../../src/main/state/order-transitions.js';
import { intent, openTempStore, update, type OpenedStore } from './fixtures.js';

describe('the transition table', () => {
  it('only ever points to a later rank, and final statuses lead nowhere', () => {
    for (const from of ORDER_STATUSES) {
      if (from === 'unknown') continue;
      for (const to of ORDER_TRANSITIONS[from]) {
        if (to !== 'unknown') expect(STATUS_RANK[to], `${from} -> ${to}`).toBeGreaterThan(STATUS_RANK[from]);
      }
      if (isTerminal(from)) expect(ORDER_TRANSITIONS[from]).toEqual([]);
      else expect(ORDER_TRANSITIONS[from]).toContain('unknown');
    }
  });

  it('resolves unknown against the last known status', () => {
    const lost: StatusPosition = { status: 'unknown', lastKnown: 'accepted' };
    expect(resolveTransition(lost, 'submitted').ok).toBe(false);
    expect(resolveTransition(lost, 'accepted')).toEqual({ ok: true, next: { status: 'accepted', lastKnown: 'accepted' } });
    expect(resolveTransition(lost, 'filled')).toEqual({ ok: true, next: { status: 'filled', lastKnown: 'filled' } });
    expect(resolveTransition({ status: 'filled', lastKnown: 'filled' }, 'unknown').ok).toBe(false);
  });
});

describe('order status in the store (property)', () => {
  let t: OpenedStore;
  beforeAll(async () => {
    t = await openTempStore();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const step = fc.record({
    status: fc.constantFrom<OrderStatus>(...ORDER_STATUSES),
    // Filled size moves by -1..+2 lots; a negative step is a stale report that must be refused.
    fillDelta: fc.integer({ min: -1, max: 2 }),
  });
  let run = 0;
  const seen = { appended: 0, refused: 0 };

  it('never moves an order backwards, whatever sequence of updates arrives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.boolean(), async (steps, batched) => {
        const id = `prop-${run++}`;
        const base = intent(id);
        await t.store.writeIntent(base);
        let lots = 0;
        const updates = steps.map((s, i) => {
          lots = Math.max(0, lots + s.fillDelta);
          return update(base, s.status, { filledSize: String(lots / 10), updatedAt: base.createdAt + i + 1 });
        });
        // The same rules must hold one update at a time and for a batch planned on a stage.
        const outcomes = batched
          ? await t.store.writeBatch(updates.map((order) => ({ kind: 'order' as const, order })))
          : await updates.reduce(async (acc, order) => [...(await acc), await t.store.recordOrderUpdate(order)], Promise.resolve([] as unknown[]));
        const history = await t.store.orderHistory(id);
        expect(history[0]?.status).toBe('pending');
        expect(history).toHaveLength(1 + outcomes.filter((o) => (o as { kind: string }).kind === 'appended').length);

        let lastKnown: Exclude<OrderStatus, 'unknown'> = 'pending';
        for (let i = 1; i < history.length; i++) {
          const prev = history[i - 1]!;
          const cur = history[i]!;
          expect(Number(cur.filledSize)).toBeGreaterThanOrEqual(Number(prev.filledSize));
          if (isTerminal(prev.status)) expect(cur.status).toBe(prev.status);
          if (cur.status === 'unknown') continue;
          expect(STATUS_RANK[cur.status]).toBeGreaterThanOrEqual(STATUS_RANK[lastKnown]);
          if (cur.status !== lastKnown) expect(ORDER_TRANSITIONS[lastKnown]).toContain(cur.status);
          lastKnown = cur.status;
        }
        expect(t.store.getOrder(id)).toEqual(history[history.length - 1]);
        for (const o of outcomes as { kind: string }[]) if (o.kind === 'appended' || o.kind === 'refused') seen[o.kind]++;
      }),
      { numRuns: 120 },
    );
    // The generator must exercise both sides of the rule, or the property says nothing.
    expect(seen.appended).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });

  it('accepts every forward move the table lists', async () => {
    for (const from of ORDER_STATUSES) {
      if (from === 'pending' || from === 'unknown') continue;
      for (const to of ORDER_TRANSITIONS[from]) {
        const base = intent(`fwd-${from}-${to}`);
        await t.store.writeIntent(base);
        const reach = resolveTransition({ status: 'pending', lastKnown: 'pending' }, from).ok;
        expect(reach, `pending -> ${from}`).toBe(true);
        expect((await t.store.recordOrderUpdate(update(base, from))).kind).toBe('appended');
        expect((await t.store.recordOrderUpdate(update(base, to, { updatedAt: base.createdAt + 5 }))).kind, `${from} -> ${to}`).toBe('appended');
      }
    }
  });
});
