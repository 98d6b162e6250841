import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/core/order-book.js';
import { createBybitAdapter } from '../../../../src/main/exchange/bybit/adapter.js';
import type { CcxtAdapter } from '../../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { BybitFake } from '../fakes/bybit-fake.js';
import { fixture } from '../fakes/fixtures.js';
import { capturingBus, clock, fastSettings, intent, waitFor } from '../fakes/harness.js';

const BTC = 'bybit:BTCUSDT-PERP';
const errors = fixture('bybit', 'errors');

describe('Bybit v5 linear adapter over loopback HTTP and WebSocket', () => {
  let fake: BybitFake;
  let adapter: CcxtAdapter;
  let capture: ReturnType<typeof capturingBus>;

  beforeAll(async () => {
    fake = await BybitFake.start();
    capture = capturingBus();
    adapter = createBybitAdapter({
      config: { apiKey: 'test-key', apiSecret: 'test-secret-value', restUrl: fake.server.httpUrl, wsUrl: fake.server.wsUrl },
      bus: capture.bus, clock,
      // A high REST threshold so the error-mapping cases reach the venue; the last test shrinks nothing and storms.
      settings: fastSettings({ userStream: true, breakers: { ...fastSettings().breakers, rest: { threshold: 12, halfOpenAfterMs: 300, maxHalfOpenAfterMs: 600 } } }),
    });
    await adapter.start();
  });

  afterAll(async () => {
    await adapter.stop();
    await fake.close();
  });

  afterEach(() => {
    fake.server.override = undefined;
  });

  it('lists the linear perpetual with its tick, lot and minimum notional', () => {
    expect(adapter.instruments().map((i) => i.id)).toEqual([BTC]);
    expect(adapter.instrument(BTC)).toMatchObject({ venueSymbol: 'BTCUSDT', priceRule: { kind: 'tick', tickSize: '0.1' }, lotSize: '0.001', sizeDecimals: 3, minNotional: '5', maxLeverage: 100 });
  });

  it('rebuilds the book from snapshot and delta messages and publishes public trades', async () => {
    await adapter.watchMarket([BTC]);
    await waitFor(() => fake.topics.includes('orderbook.50.BTCUSDT') && fake.topics.includes('publicTrade.BTCUSDT'), 'book and trade subscriptions');
    // Paced as a venue paces them: ccxt resolves one watch per message it has time to deliver.
    for (const message of [...fixture<unknown[]>('bybit', 'ws-orderbook'), fixture('bybit', 'ws-public-trade')]) {
      fake.server.push('/v5/public/linear', message);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await waitFor(() => capture.of('market.book').length >= 2 && capture.of('market.trade').length >= 1, 'two books and a trade');
    const book = new OrderBook();
    for (const e of capture.of('market.book')) book.apply(e);
    expect(book.topBids()).toEqual([{ price: 59999.9, size: 2 }, { price: 59999.8, size: 4 }]);
    expect(book.topAsks()).toEqual([{ price: 60000.1, size: 0.7 }, { price: 60000.2, size: 1.5 }]);
    expect(capture.of('market.trade')[0]).toMatchObject({ instrument: BTC, price: 60000.1, size: 0.001, aggressor: 'buy', tradeId: '20f43950' });
    expect(adapter.canTrade(BTC)).toEqual({ ok: true });
  });

  it('round-trips an order by orderLinkId: create, query, amend, cancel', async () => {
    const order = intent(BTC, { price: '60000.1', size: '0.012', timeInForce: 'ALO' });
    const placed = await adapter.submit(order);
    expect(placed).toMatchObject({ accepted: true, status: 'accepted' });
    expect(fake.orderBodies('/v5/order/create').at(-1)).toEqual({
      symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', orderLinkId: order.clientOrderId, timeInForce: 'PostOnly', price: '60000.1', category: 'linear', qty: '0.012',
    });
    expect(await adapter.fetchOrder(BTC, { clientOrderId: order.clientOrderId })).toMatchObject({ clientOrderId: order.clientOrderId, status: 'accepted', timeInForce: 'ALO' });
    expect(fake.server.requests.at(-1)!.query.get('orderLinkId')).toBe(order.clientOrderId);

    expect(await adapter.amend({ instrument: BTC, clientOrderId: order.clientOrderId, price: '59990' })).toMatchObject({ accepted: true });
    expect(fake.orderBodies('/v5/order/amend').at(-1)).toMatchObject({ orderLinkId: order.clientOrderId, price: '59990', qty: '0.012' });

    const cancelled = await adapter.cancelByClientId(BTC, order.clientOrderId);
    expect(fake.orderBodies('/v5/order/cancel').at(-1)).toMatchObject({ symbol: 'BTCUSDT', orderLinkId: order.clientOrderId, category: 'linear' });
    // Bybit only acknowledges a cancel; the order stream or a query confirms it.
    expect(cancelled.confirmed).toBe(false);
  });

  it('maps retCodes and HTTP statuses to our error codes', async () => {
    fake.server.override = (r) => (r.path === '/v5/order/create' ? errors.insufficient : undefined);
    expect(await adapter.submit(intent(BTC))).toMatchObject({ accepted: false, reason: expect.stringContaining('ab not enough for new order') });
    expect(capture.of('order.rejected').at(-1)).toMatchObject({ code: 'ORDER_REJECTED' });
    const expectations: [keyof typeof errors, string][] = [['notFound', 'ORDER_NOT_FOUND'], ['tooManyVisits', 'RATE_LIMITED'], ['http403', 'RATE_LIMITED']];
    for (const [name, code] of expectations) {
      fake.server.override = () => errors[name];
      await expect(adapter.cancel(BTC, 'bb-unknown'), String(name)).rejects.toMatchObject({ code });
    }
    fake.server.override = () => errors.serverError;
    await expect(adapter.fetchBalances()).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    fake.server.override = () => errors.requestTimeout;
    await expect(adapter.fetchBalances()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(adapter.health().breakers.rest).toBe('closed');
  });

  it('reads wallet, positions and executions as core values', async () => {
    expect(await adapter.fetchBalances()).toEqual([{ venue: 'bybit', asset: 'USDT', total: '10059.33', available: '9998', updatedAt: 1717000000000 }]);
    expect(await adapter.fetchPositions()).toEqual([expect.objectContaining({ instrument: BTC, size: '0.01', entryPrice: '60000', markPrice: '60100', unrealisedPnl: '1', liquidationPrice: '54300.5', leverage: 10 })]);
    expect(await adapter.fetchFills(1717000000000)).toEqual([{
      venue: 'bybit', instrument: BTC, venueTradeId: 'e0f5c1d2', venueOrderId: '1c8f5a31', clientOrderId: 'my-cid-1', side: 'buy', price: '60000', size: '0.01',
      fee: '0.036', feeCurrency: 'USDT', liquidity: 'taker', ts: 1717000001000,
    }]);
  });

  it('applies the private order and execution streams to our order', async () => {
    await waitFor(() => fake.topics.includes('order') && fake.topics.includes('execution'), 'private subscriptions');
    const order = intent(BTC, { price: '60000', size: '0.01' });
    const placed = await adapter.submit(order);
    if (!placed.accepted) throw new Error('submit refused');
    const update = fixture('bybit', 'ws-order');
    Object.assign(update.data[0], { orderId: placed.venueOrderId, orderLinkId: order.clientOrderId });
    const execution = fixture('bybit', 'ws-execution');
    Object.assign(execution.data[0], { orderId: placed.venueOrderId, orderLinkId: order.clientOrderId });
    fake.server.push('/v5/private', update);
    fake.server.push('/v5/private', execution);
    fake.server.push('/v5/private', execution);
    await waitFor(() => capture.of('fill.received').some((e) => e.fill.clientOrderId === order.clientOrderId), 'the execution as a fill');
    await waitFor(() => capture.of('order.updated').some((e) => e.order.clientOrderId === order.clientOrderId && e.order.status === 'partially_filled'), 'the partial fill status');
    expect(capture.of('fill.received').filter((e) => e.fill.clientOrderId === order.clientOrderId)).toHaveLength(1);
    expect(capture.of('order.updated').filter((e) => e.order.clientOrderId === order.clientOrderId).at(-1)!.order).toMatchObject({ filledSize: '0.004', avgFillPrice: '60000' });
  });

  it('opens the REST breaker on a retCode 10006 storm and stops sending until the half-open probe', async () => {
    fake.server.override = (r) => (r.path === '/v5/order/create' ? errors.tooManyVisits : undefined);
    const before = fake.server.count('POST', '/v5/order/create');
    const codes = [];
    for (let i = 0; i < 30; i++) codes.push(await adapter.submit(intent(BTC)).then(() => 'sent', (e: { code: string }) => e.code));
    expect(new Set(codes)).toEqual(new Set(['RATE_LIMITED']));
    // At most the breaker's threshold of consecutive failures reaches the venue; the rest are refused locally.
    const reached = fake.server.count('POST', '/v5/order/create') - before;
    expect(reached).toBe(12);
    expect(adapter.health().breakers.rest).toBe('open');
    fake.server.override = undefined;
    await new Promise((resolve) => setTimeout(resolve, 650));
    expect(await adapter.submit(intent(BTC))).toMatchObject({ accepted: true });
    expect(adapter.health().breakers.rest).toBe('closed');
  });
});
