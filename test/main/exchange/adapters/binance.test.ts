import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/core/order-book.js';
import { createBinanceAdapter } from '../../../../src/main/exchange/binance/adapter.js';
import type { CcxtAdapter } from '../../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { BinanceFake } from '../fakes/binance-fake.js';
import { fixture } from '../fakes/fixtures.js';
import { capturingBus, clock, fastSettings, intent, waitFor } from '../fakes/harness.js';

const BTC = 'binance:BTCUSDT-PERP';
const errors = fixture('binance', 'errors');

describe('Binance USDⓈ-M adapter over loopback HTTP and WebSocket', () => {
  let fake: BinanceFake;
  let adapter: CcxtAdapter;
  let capture: ReturnType<typeof capturingBus>;

  beforeAll(async () => {
    fake = await BinanceFake.start();
    capture = capturingBus();
    adapter = createBinanceAdapter({
      config: { apiKey: 'test-key', apiSecret: 'test-secret-value', restUrl: fake.restUrl, wsUrl: fake.wsUrl, ccxtOptions: { ws: { backoff: { base: 0 } } } },
      bus: capture.bus, clock, settings: fastSettings(),
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

  it('turns exchangeInfo into an instrument with the venue tick, lot and minimum notional', () => {
    expect(adapter.instrument(BTC)).toEqual({
      id: BTC, venue: 'binance', venueSymbol: 'BTCUSDT', kind: 'perp', base: 'BTC', quote: 'USDT',
      priceRule: { kind: 'tick', tickSize: '0.1' }, lotSize: '0.001', sizeDecimals: 3, minNotional: '100',
    });
    expect(adapter.canTrade(BTC)).toMatchObject({ ok: false, reason: 'NO_BOOK' });
  });

  it('syncs the depth stream to the REST snapshot and publishes the rebuilt book and trades', async () => {
    await adapter.watchMarket([BTC]);
    await waitFor(() => fake.server.count('GET', '/fapi/v1/depth') > 0, 'ccxt to fetch the depth snapshot after the SUBSCRIBE ack');
    expect(fake.subscriptions).toEqual(expect.arrayContaining(['btcusdt@depth@100ms', 'btcusdt@trade']));
    const diffs = fixture<unknown[]>('binance', 'depth-diffs');
    for (const diff of diffs) fake.server.push('/public', diff);
    await waitFor(() => capture.of('market.book').some((e) => e.sequence === 1005), 'the book at update id 1005');

    const book = new OrderBook();
    for (const e of capture.of('market.book')) book.apply(e);
    // Snapshot 1000, the stale diff (u 995) ignored, then 996-1002 and 1003-1005 applied.
    expect(book.topBids()).toEqual([{ price: 29999.95, size: 0.3 }, { price: 29999.9, size: 1 }, { price: 29999, size: 5 }]);
    expect(book.topAsks()).toEqual([{ price: 30000, size: 0.7 }, { price: 30001, size: 4 }]);
    expect(adapter.canTrade(BTC)).toEqual({ ok: true });

    fake.server.push('/public', fixture('binance', 'trade'));
    await waitFor(() => capture.of('market.trade').length > 0, 'a trade event');
    expect(capture.of('market.trade')[0]).toMatchObject({ instrument: BTC, price: 30000.1, size: 0.01, aggressor: 'sell', tradeId: '123456', tsEvent: 1700000000299 });
  });

  it('places, queries, amends and cancels by client order id, passing the id through as newClientOrderId', async () => {
    const order = intent(BTC, { price: '30000.1', size: '0.012' });
    const placed = await adapter.submit(order);
    expect(placed).toMatchObject({ accepted: true, clientOrderId: order.clientOrderId, status: 'accepted' });
    const sent = new URLSearchParams(fake.orderRequests().at(-1)!.body);
    expect(Object.fromEntries(['symbol', 'side', 'type', 'quantity', 'price', 'timeInForce', 'newClientOrderId'].map((k) => [k, sent.get(k)]))).toEqual({
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.012', price: '30000.1', timeInForce: 'GTC', newClientOrderId: order.clientOrderId,
    });
    expect(capture.of('order.accepted').at(-1)).toMatchObject({ clientOrderId: order.clientOrderId, venueOrderId: placed.accepted ? placed.venueOrderId : '' });

    const fetched = await adapter.fetchOrder(BTC, { clientOrderId: order.clientOrderId });
    expect(fake.server.requests.at(-1)!.query.get('origClientOrderId')).toBe(order.clientOrderId);
    expect(fetched).toMatchObject({ clientOrderId: order.clientOrderId, strategyId: 'test', status: 'accepted', price: '30000.1', size: '0.012' });

    const amended = await adapter.amend({ instrument: BTC, clientOrderId: order.clientOrderId, price: '29990' });
    const put = new URLSearchParams(fake.orderRequests().at(-1)!.body);
    expect([fake.orderRequests().at(-1)!.method, put.get('origClientOrderId'), put.get('price'), put.get('quantity'), put.has('orderId')]).toEqual(['PUT', order.clientOrderId, '29990', '0.012', false]);
    expect(amended).toMatchObject({ accepted: true });

    const cancelled = await adapter.cancelByClientId(BTC, order.clientOrderId);
    expect(fake.server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/fapi/v1/order' });
    expect(fake.server.requests.at(-1)!.query.get('origClientOrderId')).toBe(order.clientOrderId);
    expect(cancelled.confirmed).toBe(true);
    expect(capture.of('order.cancelled').at(-1)).toMatchObject({ clientOrderId: order.clientOrderId });
    expect(capture.of('order.updated').filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status)).toEqual(['accepted', 'accepted', 'cancelled']);
  });

  it('sends post-only as GTX and a market intent as a limit IOC at its bound', async () => {
    await adapter.submit(intent(BTC, { timeInForce: 'ALO' }));
    expect(new URLSearchParams(fake.orderRequests().at(-1)!.body).get('timeInForce')).toBe('GTX');
    await adapter.submit(intent(BTC, { type: 'market', side: 'sell', price: '29000', reduceOnly: true }));
    const sent = new URLSearchParams(fake.orderRequests().at(-1)!.body);
    expect([sent.get('type'), sent.get('timeInForce'), sent.get('price'), sent.get('reduceOnly')]).toEqual(['LIMIT', 'IOC', '29000', 'true']);
  });

  it('refuses client ids Binance cannot carry before sending anything', async () => {
    const before = fake.orderRequests().length;
    await expect(adapter.submit(intent(BTC, { clientOrderId: 'has spaces and is far too long for binance ids' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fake.orderRequests().length).toBe(before);
  });

  it('maps Binance error codes: refused orders become order.rejected events, the rest typed errors', async () => {
    fake.server.override = (r) => (r.path === '/fapi/v1/order' && r.method === 'POST' ? errors.rejected : undefined);
    const refused = intent(BTC);
    expect(await adapter.submit(refused)).toMatchObject({ accepted: false, clientOrderId: refused.clientOrderId, reason: expect.stringContaining('Margin is insufficient') });
    expect(capture.of('order.rejected').at(-1)).toMatchObject({ clientOrderId: refused.clientOrderId, code: 'ORDER_REJECTED' });

    fake.server.override = () => errors.unknownOrder;
    await expect(adapter.cancel(BTC, '123')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    fake.server.override = () => errors.orderDoesNotExist;
    expect(await adapter.fetchOrder(BTC, { venueOrderId: '123' })).toBeUndefined();
    fake.server.override = () => errors.overloaded;
    await expect(adapter.fetchOpenOrders(BTC)).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    fake.server.override = () => errors.timeout;
    await expect(adapter.fetchOpenOrders(BTC)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reads balances, positions and fills as core values', async () => {
    expect(await adapter.fetchBalances()).toEqual([{ venue: 'binance', asset: 'USDT', total: '1000', available: '975', updatedAt: expect.any(Number) }]);
    expect(await adapter.fetchPositions()).toEqual([{
      instrument: BTC, size: '-0.01', entryPrice: '30000', markPrice: '30100', unrealisedPnl: '-1', liquidationPrice: '45000', leverage: expect.any(Number), updatedAt: 1720736417660,
    }].map(({ leverage: _l, ...rest }) => expect.objectContaining(rest)));
    const fills = await adapter.fetchFills(1569514978000, BTC);
    expect(fills).toEqual([{
      venue: 'binance', instrument: BTC, venueTradeId: '698759', venueOrderId: '25851813', side: 'sell', price: '7819.01', size: '0.002',
      fee: '-0.0781901', feeCurrency: 'USDT', liquidity: 'taker', ts: 1569514978020,
    }]);
    expect((await adapter.fetchMark(BTC))).toMatchObject({ instrument: BTC, markPrice: 30010.5, fundingRate: 0.0001 });
  });

  it('blocks new exposure on a stale book but lets a reduce-only exit through', async () => {
    const strict = createBinanceAdapter({
      config: { apiKey: 'test-key', apiSecret: 'test-secret-value', restUrl: fake.restUrl, wsUrl: fake.wsUrl },
      bus: capturingBus().bus, clock, settings: fastSettings({ staleGuard: { maxBookAgeMs: 150 } }),
    });
    await strict.start();
    try {
      await strict.watchMarket([BTC]);
      await waitFor(() => strict.canTrade(BTC).ok, 'a fresh book');
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(strict.canTrade(BTC)).toMatchObject({ ok: false, reason: 'STALE_BOOK' });
      const before = fake.orderRequests().length;
      await expect(strict.submit(intent(BTC))).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE', details: { gate: 'STALE_BOOK', sent: false } });
      expect(fake.orderRequests().length).toBe(before);
      expect(await strict.submit(intent(BTC, { side: 'sell', reduceOnly: true }))).toMatchObject({ accepted: true });
    } finally {
      await strict.stop();
    }
  });
});
