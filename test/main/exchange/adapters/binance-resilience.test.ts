import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBinanceAdapter } from '../../../../src/main/exchange/binance/adapter.js';
import type { CcxtAdapter } from '../../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { BinanceFake } from '../fakes/binance-fake.js';
import { fixture } from '../fakes/fixtures.js';
import { capturingBus, clock, fastSettings, intent, waitFor } from '../fakes/harness.js';

const BTC = 'binance:BTCUSDT-PERP';
const errors = fixture('binance', 'errors');

describe('Binance adapter under rate limits and on its user stream', () => {
  let fake: BinanceFake;
  let adapter: CcxtAdapter;
  let capture: ReturnType<typeof capturingBus>;

  beforeAll(async () => {
    fake = await BinanceFake.start();
    capture = capturingBus();
    adapter = createBinanceAdapter({
      config: {
        apiKey: 'test-key', apiSecret: 'test-secret-value', restUrl: fake.restUrl, wsUrl: fake.wsUrl,
        ccxtOptions: { ws: { backoff: { base: 0 } }, listenKeyRefreshRate: 60_000 },
      },
      bus: capture.bus, clock, settings: fastSettings({ userStream: true }),
    });
    await adapter.start();
    await adapter.watchMarket([BTC]);
    await waitFor(() => adapter.canTrade(BTC).ok, 'a first book');
  });

  afterAll(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('opens the REST breaker on a 429/418 storm, refuses orders locally, and closes once the venue recovers', async () => {
    let storm = 0;
    fake.server.override = (r) => (r.path.startsWith('/fapi/v1/order') || r.path === '/fapi/v1/openOrders' ? (storm++ % 2 === 0 ? errors.rateLimited : errors.banned) : undefined);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(await adapter.submit(intent(BTC)).then(() => 'sent', (e: { code: string; details: { sent?: boolean } }) => `${e.code}${e.details.sent === false ? ' (local)' : ''}`));
    }
    // Three refusals from the venue open the breaker; the other 17 never leave the process.
    expect(outcomes.slice(0, 3)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(outcomes.slice(3)).toEqual(Array(17).fill('RATE_LIMITED (local)'));
    expect(storm).toBe(3);
    expect(adapter.health().breakers.rest).toBe('open');
    expect(adapter.canTrade(BTC)).toMatchObject({ ok: false, reason: 'REST_BREAKER_OPEN' });
    expect(capture.of('venue.connection').some((e) => e.channel === 'rest' && e.state === 'down')).toBe(true);

    fake.server.override = undefined;
    await new Promise((resolve) => setTimeout(resolve, 650));
    // The first call after the half-open delay (at most maxHalfOpenAfterMs, jittered) is the probe; it succeeds and closes the breaker.
    expect(await adapter.submit(intent(BTC))).toMatchObject({ accepted: true });
    expect(adapter.health().breakers.rest).toBe('closed');
    expect(adapter.canTrade(BTC)).toEqual({ ok: true });
  });

  it('publishes each fill of the user stream once and never moves an order backwards', async () => {
    await waitFor(() => [...fake.server.peers].some((p) => p.path.startsWith('/private')), 'the user-data socket');
    await waitFor(() => adapter.health().streams.user.up, 'the user stream to be up');
    const order = intent(BTC);
    const placed = await adapter.submit(order);
    if (!placed.accepted) throw new Error('submit refused');
    const update = fixture('binance', 'order-trade-update');
    update.o.c = order.clientOrderId;
    update.o.i = Number(placed.venueOrderId);
    fake.server.push('/private', update);
    fake.server.push('/private', update);
    await waitFor(() => capture.of('fill.received').some((e) => e.fill.clientOrderId === order.clientOrderId), 'the fill');
    // A late "NEW" for the same order, overtaken by the fill above.
    fake.server.push('/private', { ...update, o: { ...update.o, x: 'NEW', X: 'NEW', l: '0', z: '0', t: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const fills = capture.of('fill.received').filter((e) => e.fill.clientOrderId === order.clientOrderId);
    expect(fills.map((e) => e.fill)).toEqual([{
      venue: 'binance', instrument: BTC, venueTradeId: '555001', venueOrderId: placed.venueOrderId, clientOrderId: order.clientOrderId,
      side: 'buy', price: '30000.1', size: '0.004', fee: '0.048', feeCurrency: 'USDT', liquidity: 'maker', ts: 1700000000009,
    }]);
    const statuses = capture.of('order.updated').filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status);
    expect(statuses).toEqual(['accepted', 'partially_filled']);
    expect(adapter.health().dropped.staleOrderUpdates).toBeGreaterThanOrEqual(1);
  });
});
