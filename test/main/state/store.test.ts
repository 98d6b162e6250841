import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvariantError } from '../../../src/core/errors.js';
import { applyFill, flatPosition } from '../../../src/core/position.js';
import type { Balance } from '../../../src/core/types.js';
import { openStateEnv } from '../../../src/main/state/env.js';
import { StateStore } from '../../../src/main/state/store.js';
import { fill, intent, openTempStore, removeDir, tempDir, update, type OpenedStore } from './fixtures.js';

let t: OpenedStore;
beforeEach(async () => {
  t = await openTempStore();
});
afterEach(async () => {
  await t.cleanup();
});

describe('order intents (write-ahead)', () => {
  it('stores an intent as a pending order, readable at once and after reopen', async () => {
    await t.store.writeIntent(intent('c-1'));
    const expected = { ...intent('c-1'), status: 'pending', filledSize: '0', avgFillPrice: '0', updatedAt: intent('c-1').createdAt };
    expect(t.store.getOrder('c-1')).toEqual(expected);
    expect(t.store.openOrders()).toEqual([expected]);
    const reopened = await t.reopen();
    expect(reopened.getOrder('c-1')).toEqual(expected);
    expect(await reopened.orderHistory('c-1')).toEqual([expected]);
  });

  it('treats the same intent written twice as a retry, and refuses a reused id', async () => {
    await t.store.writeIntent(intent('c-1'));
    await expect(t.store.writeIntent(intent('c-1'))).resolves.toBeUndefined();
    expect(await t.store.orderHistory('c-1')).toHaveLength(1);
    await expect(t.store.writeIntent(intent('c-1', { size: '2' }))).rejects.toBeInstanceOf(InvariantError);
  });

  it('refuses a malformed intent and names the field', async () => {
    const bad = { ...intent('c-1'), size: '1e', price: 65000 } as unknown as ReturnType<typeof intent>;
    const error = await t.store.writeIntent(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvariantError);
    expect(String((error as Error).message)).toMatch(/size must be a decimal string.*price must be a decimal string/);
    expect(t.store.getOrder('c-1')).toBeUndefined();
  });

  it('does not store extra properties a caller attached', async () => {
    await t.store.writeIntent({ ...intent('c-1'), debug: 'x' } as ReturnType<typeof intent>);
    expect(t.store.getOrder('c-1')).not.toHaveProperty('debug');
  });
});

describe('order updates', () => {
  it('appends every status change to the history, in order', async () => {
    const i = intent('c-1');
    await t.store.writeIntent(i);
    const submitted = update(i, 'submitted');
    const accepted = update(submitted, 'accepted', { venueOrderId: 'v-9' });
    const partial = update(accepted, 'partially_filled', { filledSize: '0.2', avgFillPrice: '65000' });
    const more = update(partial, 'partially_filled', { filledSize: '0.4', avgFillPrice: '65000.25' });
    const filled = update(more, 'filled', { filledSize: '0.5', avgFillPrice: '65000.2' });
    const results = [];
    for (const o of [submitted, accepted, partial, more, filled]) results.push(await t.store.recordOrderUpdate(o));
    expect(results).toEqual([1, 2, 3, 4, 5].map((seq) => ({ kind: 'appended', seq })));
    expect((await t.store.orderHistory('c-1')).map((o) => [o.status, o.filledSize])).toEqual([
      ['pending', '0'], ['submitted', '0'], ['accepted', '0'], ['partially_filled', '0.2'], ['partially_filled', '0.4'], ['filled', '0.5'],
    ]);
    expect(t.store.getOrder('c-1')).toEqual(filled);
    expect(t.store.openOrders()).toEqual([]);
  });

  it('refuses a backward move and a falling filled size, writing nothing', async () => {
    const i = intent('c-1');
    await t.store.writeIntent(i);
    const accepted = update(i, 'accepted');
    await t.store.recordOrderUpdate(accepted);
    const partial = update(accepted, 'partially_filled', { filledSize: '0.3' });
    await t.store.recordOrderUpdate(partial);
    expect(await t.store.recordOrderUpdate(update(partial, 'submitted'))).toMatchObject({ kind: 'refused', from: 'partially_filled', to: 'submitted' });
    expect(await t.store.recordOrderUpdate(update(partial, 'partially_filled', { filledSize: '0.1' }))).toMatchObject({ kind: 'refused', reason: /filled size would fall/ });
    expect(await t.store.recordOrderUpdate(partial)).toEqual({ kind: 'unchanged' });
    expect(await t.store.orderHistory('c-1')).toHaveLength(3);
  });

  it('lets unknown resolve forward from the last known status only', async () => {
    const i = intent('c-1');
    await t.store.writeIntent(i);
    const accepted = update(i, 'accepted');
    await t.store.recordOrderUpdate(accepted);
    const unknown = update(accepted, 'unknown');
    expect(await t.store.recordOrderUpdate(unknown)).toEqual({ kind: 'appended', seq: 2 });
    expect(t.store.openOrders().map((o) => o.status)).toEqual(['unknown']);
    expect((await t.store.recordOrderUpdate(update(unknown, 'submitted'))).kind).toBe('refused');
    expect((await t.store.recordOrderUpdate(update(unknown, 'cancelled'))).kind).toBe('appended');
    expect((await t.store.recordOrderUpdate(update(unknown, 'unknown', { updatedAt: 9e12 }))).kind).toBe('refused');
  });

  it('throws on an update with no intent behind it, or one that changes what was sent', async () => {
    await expect(t.store.recordOrderUpdate(update(intent('ghost'), 'accepted'))).rejects.toThrow(/no written intent/);
    await t.store.writeIntent(intent('c-1'));
    await expect(t.store.recordOrderUpdate(update(intent('c-1'), 'accepted', { side: 'sell' }))).rejects.toThrow(/fields fixed at intent: side/);
  });
});

describe('fills and positions', () => {
  it('deduplicates on (venue, venueTradeId) and keeps the position equal to its fills', async () => {
    await t.store.writeIntent(intent('c-1'));
    expect(await t.store.recordFill(fill('t-1'))).toBe(true);
    expect(await t.store.recordFill(fill('t-1'))).toBe(false);
    expect(await t.store.recordFill(fill('t-1', { venue: 'binance' }))).toBe(true);
    expect(await t.store.recordFill(fill('t-2', { side: 'sell', size: '0.25', price: '66000' }))).toBe(true);
    expect(t.store.fillsSince(0)).toHaveLength(3);
    const position = t.store.position('hyperliquid:BTC-PERP');
    expect(position).toMatchObject({ size: '-0.05', fees: '1.95' });
    // Long 0.2 at 65000 closed at 66000 makes 200; the extra 0.05 sold opens a short at 66000.
    expect(position).toMatchObject({ realisedPnl: '200', cost: '-3300' });
  });

  it('dedupes fills issued in the same tick, before either is committed', async () => {
    const [a, b] = await Promise.all([t.store.recordFill(fill('t-1')), t.store.recordFill(fill('t-1'))]);
    expect([a, b]).toEqual([true, false]);
    expect((await t.reopen()).fillsSince(0)).toHaveLength(1);
  });

  it('returns fills since a time, oldest first, whatever order they arrived in', async () => {
    for (const [id, ts] of [['a', 30], ['b', 10], ['c', 20], ['d', 20]] as const) await t.store.recordFill(fill(id, { ts }));
    expect(t.store.fillsSince(20).map((f) => f.venueTradeId)).toEqual(['c', 'd', 'a']);
    expect(t.store.fillsSince(31)).toEqual([]);
    expect((await t.reopen()).fillsSince(0).map((f) => f.venueTradeId)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('refuses a fill with a float price rather than storing it', async () => {
    await expect(t.store.recordFill({ ...fill('t-1'), price: 65000.1 as unknown as string })).rejects.toThrow(/price must be a decimal string/);
    expect(t.store.positions()).toEqual([]);
  });
});

describe('balances and snapshots', () => {
  it('keeps the latest balance per (venue, asset)', async () => {
    const usdc: Balance = { venue: 'hyperliquid', asset: 'USDC', total: '100000', available: '90000', updatedAt: 1 };
    await t.store.recordBalance(usdc);
    await t.store.recordBalance({ ...usdc, available: '80000.5', updatedAt: 2 });
    await t.store.recordBalance({ ...usdc, venue: 'binance', updatedAt: 3 });
    const expected = [{ ...usdc, venue: 'binance', updatedAt: 3 }, { ...usdc, available: '80000.5', updatedAt: 2 }];
    expect(t.store.balances()).toEqual(expected);
    expect((await t.reopen()).balances()).toEqual(expected);
  });

  it('saves and loads a strategy snapshot stamped by the clock', async () => {
    t.clock.set(1_700_000_123_000);
    await t.store.saveSnapshot('sma-1', { closes: ['1.5', '2.5'], crossed: true, dropped: undefined });
    const expected = { strategyId: 'sma-1', savedAt: 1_700_000_123_000, data: { closes: ['1.5', '2.5'], crossed: true } };
    expect(t.store.loadSnapshot('sma-1')).toEqual(expected);
    expect((await t.reopen()).loadSnapshot('sma-1')).toEqual(expected);
    expect(t.store.loadSnapshot('other')).toBeUndefined();
  });

  it('hands back what a restart would give, and refuses data JSON cannot carry', async () => {
    await t.store.saveSnapshot('sma-1', { warmup: Number.NaN, window: [1, 2] });
    expect(t.store.loadSnapshot('sma-1')?.data).toEqual({ warmup: null, window: [1, 2] });
    await expect(t.store.saveSnapshot('sma-1', 10n)).rejects.toThrow(/cannot be stored: .*BigInt/);
    await expect(t.store.saveSnapshot('sma-1', undefined)).rejects.toThrow(/data is not JSON/);
    expect((await t.reopen()).loadSnapshot('sma-1')?.data).toEqual({ warmup: null, window: [1, 2] });
  });
});

describe('batched writes', () => {
  it('writes many records in one durable transaction, each outcome reported in order', async () => {
    const i = intent('c-1');
    const outcomes = await t.store.writeBatch([
      { kind: 'intent', intent: i },
      { kind: 'order', order: update(i, 'accepted') },
      { kind: 'fill', fill: fill('t-1') },
      { kind: 'fill', fill: fill('t-1') },
      { kind: 'order', order: update(i, 'pending') },
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['written', 'appended', 'written', 'duplicate', 'refused']);
    const reopened = await t.reopen();
    expect(reopened.getOrder('c-1')?.status).toBe('accepted');
    expect(reopened.position('hyperliquid:BTC-PERP')).toEqual(applyFill(flatPosition('hyperliquid:BTC-PERP'), fill('t-1')));
  });

  it('writes nothing from a batch when any record in it is invalid', async () => {
    await expect(t.store.writeBatch([
      { kind: 'intent', intent: intent('c-1') },
      { kind: 'fill', fill: fill('t-1') },
      { kind: 'order', order: update(intent('ghost'), 'accepted') },
    ])).rejects.toBeInstanceOf(InvariantError);
    expect(t.store.getOrder('c-1')).toBeUndefined();
    expect(t.store.fillsSince(0)).toEqual([]);
    const reopened = await t.reopen();
    expect(reopened.getOrder('c-1')).toBeUndefined();
    expect(reopened.positions()).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('reopens to exactly the state it closed with', async () => {
    const i = intent('c-1');
    await t.store.writeIntent(i);
    await t.store.writeIntent(intent('c-2', { side: 'sell', instrument: 'hyperliquid:ETH-PERP' }));
    await t.store.recordOrderUpdate(update(i, 'accepted', { venueOrderId: 'v-1' }));
    await t.store.recordFill(fill('t-1'));
    await t.store.recordFill(fill('t-2', { instrument: 'hyperliquid:ETH-PERP', side: 'sell', price: '3000.5', clientOrderId: 'c-2' }));
    await t.store.recordBalance({ venue: 'hyperliquid', asset: 'USDC', total: '1', available: '1', updatedAt: 5 });
    await t.store.saveSnapshot('sma-1', { n: 3 });
    const view = (s: typeof t.store) => ({
      orders: s.openOrders(), c1: s.getOrder('c-1'), positions: s.positions(), balances: s.balances(),
      fills: s.fillsSince(0), snapshot: s.loadSnapshot('sma-1'),
    });
    const before = view(t.store);
    const historyBefore = await t.store.orderHistory('c-1');
    const reopened = await t.reopen();
    expect(view(reopened)).toEqual(before);
    expect(await reopened.orderHistory('c-1')).toEqual(historyBefore);
    expect(await reopened.load()).toEqual({ orders: 2, orderRecords: 3, fills: 2, positions: 2, balances: 1, snapshots: 1 });
  });

  it('shares one env with other sub-databases and leaves closing it to its owner', async () => {
    const dir = tempDir();
    const env = openStateEnv(dir);
    const journal = env.openDB<string, number>({ name: 'audit/journal', encoding: 'string' });
    const store = await StateStore.attach(env, { clock: t.clock });
    await Promise.all([store.writeIntent(intent('c-1')), journal.put(1, 'intent c-1')]);
    await store.close();
    expect(journal.get(1)).toBe('intent c-1');
    const again = await StateStore.attach(env, { clock: t.clock });
    expect(again.getOrder('c-1')?.status).toBe('pending');
    await env.close();
    removeDir(dir);
  });

  it('refuses writes after close', async () => {
    const store = t.store;
    await store.close();
    await expect(store.writeIntent(intent('c-1'))).rejects.toThrow(/closed/);
    await t.reopen();
  });
});
