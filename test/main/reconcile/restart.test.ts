import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import { hyperliquidCloid } from '../../../src/main/exchange/hyperliquid/cloid.js';
import { waitFor } from '../exchange/fakes/harness.js';
import { tempDir } from '../execution/kit.js';
import { BTC, OTHER, type SimServer, startSimServer } from '../execution/sim-stack.js';
import { type ReconcilingEngine, btcOrder, startEngine, venueTruth } from './engine.js';

/**
 * The restart users of other engines complain about: the engine goes down holding a position with
 * resting orders, one of those orders fills on the venue while it is down, and it restarts. Afterwards
 * its positions, open orders and fills must equal the venue's, with no fill the venue did not report.
 */
describe('restart with a position and resting orders, one filled while down', () => {
  let sim: SimServer | undefined;
  let engine: ReconcilingEngine | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await engine?.close();
    await sim?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('ends with positions, orders and fills equal to the venue, and no synthetic fill', async () => {
    sim = await startSimServer();
    dir = tempDir();
    engine = await startEngine(sim, dir);
    expect(await engine.reconciler.run()).toMatchObject({ state: 'ok' });
    const { executor, store } = engine.kit;

    // A position (market buy: an IOC bounded from the book) and two resting orders.
    expect(await executor.submit(btcOrder(1, 'buy', '0.002', '0', 'market'))).toMatchObject({ outcome: 'accepted' });
    const bid = await executor.submit(btcOrder(2, 'buy', '0.001', '64995'));
    const ask = await executor.submit(btcOrder(3, 'sell', '0.001', '65300'));
    expect([bid, ask]).toMatchObject([{ outcome: 'accepted' }, { outcome: 'accepted' }]);
    await waitFor(() => store.position(BTC)?.size === '0.002', 'the market fill in the store');
    expect(store.openOrders().map((o) => o.clientOrderId).sort()).toEqual([bid.clientOrderId, ask.clientOrderId].sort());

    // Down: nothing is cancelled on the way out, as after a crash.
    await engine.close(true);
    engine = undefined;
    // While down, someone sells into our resting bid.
    const hit = sim.venue.place(OTHER, [{ assetId: 0, isBuy: false, price: '64995', size: '0.001', reduceOnly: false, tif: 'Ioc' }]);
    expect(hit).toEqual([{ filled: expect.objectContaining({ totalSz: '0.001', avgPx: '64995.0' }) }]);
    const truth = venueTruth(sim);
    expect(truth.position).toBe('0.003');

    engine = await startEngine(sim, dir);
    // Before reconciliation completes nothing may trade.
    expect(await engine.kit.executor.submit(btcOrder(4, 'buy', '0.001', '64000'))).toMatchObject({ kind: 'denied', denial: { code: 'NOT_RECONCILED' } });
    const status = await engine.reconciler.run();
    // The missed fill arrives by whichever path is first (the user stream's snapshot or the fill query); once.
    expect(status).toMatchObject({ state: 'ok', lastReport: { neverSent: [], adopted: [], positionMismatches: [] } });
    expect(status.lastReport!.confirmed.sort()).toEqual([bid.clientOrderId, ask.clientOrderId].sort());

    const after = engine.kit.store;
    expect(after.position(BTC)?.size).toBe(truth.position);
    expect(after.openOrders().map((o) => hyperliquidCloid(o.clientOrderId)).sort()).toEqual(truth.openCloids);
    expect(after.getOrder(bid.clientOrderId)).toMatchObject({ status: 'filled', filledSize: '0.001' });
    expect(after.getOrder(ask.clientOrderId)).toMatchObject({ status: 'accepted' });
    const ours = after.fillsSince(0).map((f) => ({ oid: f.venueOrderId, px: new Decimal(f.price).toFixed(), sz: new Decimal(f.size).toFixed(), side: f.side }))
      .sort((a, b) => a.oid.localeCompare(b.oid) || a.sz.localeCompare(b.sz));
    expect(ours).toEqual(truth.fills);
    // The fill made while down is attributed to the order and strategy that placed it.
    expect(engine.kit.gate.exposure.ofStrategy('restart', BTC).position.toFixed()).toBe('0.003');
    expect(engine.kit.gate.exposure.ofStrategy('restart', BTC).pendingSell.toFixed()).toBe('0.001');
    // A second run changes nothing.
    expect(await engine.reconciler.run()).toMatchObject({ state: 'ok', lastReport: { fillsRecorded: 0 } });
    expect(after.fillsSince(0)).toHaveLength(truth.fills.length);
    // And trading resumes.
    expect(await engine.kit.executor.submit(btcOrder(5, 'buy', '0.001', '64000'))).toMatchObject({ kind: 'sent', outcome: 'accepted' });
  });
});
