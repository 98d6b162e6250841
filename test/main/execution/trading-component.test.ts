import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClock } from '../../../src/core/clock.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import type { CcxtAdapter } from '../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { createHyperliquidAdapter } from '../../../src/main/exchange/hyperliquid/adapter.js';
import { TradingComponent } from '../../../src/main/execution/trading-component.js';
import { StateStore } from '../../../src/main/state/store.js';
import { TEST_FIXTURE_PRIVATE_KEY } from '../../sim/kit/wallets.js';
import { fastSettings, waitFor } from '../exchange/fakes/harness.js';
import { LIMITS, btcOrder } from '../reconcile/engine.js';
import { tempDir } from './kit.js';
import { BTC, type SimServer, WALLET, startSimServer } from './sim-stack.js';

describe('trading component against the simulated venue', () => {
  let sim: SimServer | undefined;
  let adapter: CcxtAdapter | undefined;
  let store: StateStore | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await adapter?.stop();
    await store?.close();
    await sim?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('reconciles before trading, anchors equity on the venue, and cancels open orders on stop', async () => {
    sim = await startSimServer();
    const clock = new LiveClock();
    const bus = new EventBus(() => undefined);
    dir = tempDir();
    store = await StateStore.open(dir, { clock });
    adapter = createHyperliquidAdapter({
      config: { walletAddress: WALLET, privateKey: TEST_FIXTURE_PRIVATE_KEY, restUrl: sim.server.httpUrl, wsUrl: sim.server.wsUrl },
      bus, clock, settings: fastSettings({ userStream: true }),
    });
    const trading = new TradingComponent({ adapter, store, bus, clock, limits: LIMITS, shutdownPolicy: 'cancel-open-orders', reconcileIntervalMs: 200 });
    await adapter.start();
    await adapter.watchMarket([BTC]);
    await waitFor(() => adapter!.canTrade(BTC).ok && trading.prices.mark(BTC) !== undefined, 'the BTC book');
    expect(await trading.executor.submit(btcOrder(1, 'buy', '0.001', '64000'))).toMatchObject({ kind: 'denied', denial: { code: 'NOT_RECONCILED' } });

    await trading.start();
    expect(trading.status()).toMatchObject({ lifecycle: 'running', trading: 'ACTIVE', reconcile: { state: 'ok' }, equity: '100000' });
    const buy = await trading.executor.submit(btcOrder(2, 'buy', '0.001', '0', 'market'));
    const rest = await trading.executor.submit(btcOrder(3, 'buy', '0.001', '64000'));
    expect([buy, rest]).toMatchObject([{ outcome: 'accepted' }, { outcome: 'accepted' }]);
    await waitFor(() => store!.position(BTC)?.size === '0.001', 'the fill');
    // Periodic runs keep agreeing with the venue while trading goes on.
    await new Promise((r) => setTimeout(r, 500));
    expect(trading.status()).toMatchObject({ lifecycle: 'running', reconcile: { state: 'ok' } });
    expect(Number(trading.status().equity)).toBeLessThan(100_000);

    await trading.stop();
    expect(sim.venue.openOrders(WALLET)).toEqual([]);
    expect(store.getOrder(rest.clientOrderId)).toMatchObject({ status: 'cancelled' });
    expect(store.position(BTC)?.size).toBe('0.001');
  });
});
