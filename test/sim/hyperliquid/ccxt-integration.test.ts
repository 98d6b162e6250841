import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { ccxtClient, within, type ProHyperliquid } from '../kit/ccxt-client.js';
import { SCRIPT_START, scriptedVenue } from '../kit/scripted-venue.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';

/**
 * THE end-to-end check: unmodified ccxt.pro.hyperliquid, over loopback HTTP and WebSocket, trading
 * against the simulator in-process. Steps share one client and run in order.
 */
const BTC = 'BTC/USDC:USDC';
const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);
const CLOID = '0x0000000000000000000000000000abcd';

let server: HyperliquidServer;
let exchange: ProHyperliquid;
/** The first resting order, amended near the end. */
let firstId = '';
const errors: unknown[] = [];

beforeAll(async () => {
  server = await startHyperliquidServer({ venue: scriptedVenue(), port: 0, onError: (e) => errors.push(e) });
  exchange = await ccxtClient(server, WALLET, TEST_FIXTURE_PRIVATE_KEY);
});

afterAll(async () => {
  await exchange?.close();
  await server?.close();
});

const num = (v: unknown) => new Decimal(String(v));
function idOf(order: { id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('order has no id');
  return order.id;
}

describe('ccxt.pro.hyperliquid against the simulator', () => {
  it('loads markets and the funded balance', async () => {
    const markets = await exchange.loadMarkets();
    expect(markets[BTC]).toMatchObject({ id: '0', baseName: 'BTC', swap: true, settle: 'USDC' });
    expect(markets['ETH/USDC:USDC']).toMatchObject({ id: '1' });
    const balance = await exchange.fetchBalance();
    expect(balance['USDC']?.total).toBe(100_000);
    expect(await exchange.fetchPositions()).toEqual([]);
    expect(exchange.options['approvedBuilderFee']).toBe(true);
  });

  it('reads the book over REST and WebSocket', async () => {
    const book = await exchange.fetchOrderBook(BTC);
    expect(book.bids[0]).toEqual([64990, 0.5]);
    expect(book.asks[0]).toEqual([65010, 0.01]);
    const watched = await within(exchange.watchOrderBook(BTC), 5_000, 'watchOrderBook');
    expect(watched.bids[0]).toEqual([64990, 0.5]);
  });

  it('rests a limit order, visible through fetchOpenOrders, fetchOrder and watchOrders', async () => {
    const watching = exchange.watchOrders(BTC);
    const order = await exchange.createOrder(BTC, 'limit', 'buy', 0.001, 60000);
    firstId = idOf(order);
    const pushed = await within(watching, 5_000, 'watchOrders');
    expect(pushed.at(-1)).toMatchObject({ id: firstId, status: 'open', price: 60000, amount: 0.001 });
    const open = await exchange.fetchOpenOrders(BTC);
    expect(open.map((o) => o.id)).toEqual([firstId]);
    expect(await exchange.fetchOrder(firstId, BTC)).toMatchObject({ status: 'open', side: 'buy', price: 60000, remaining: 0.001 });
  });

  it('partially fills a limit order that rests its remainder, and reports the trades', async () => {
    const myTrades = exchange.watchMyTrades(BTC);
    const trades = exchange.watchTrades(BTC);
    const positions = exchange.watchPositions([BTC]);
    const order = await exchange.createOrder(BTC, 'limit', 'buy', 0.02, 65015);
    const status = await exchange.fetchOrder(idOf(order), BTC);
    expect(status).toMatchObject({ status: 'open', amount: 0.02, filled: 0.01, remaining: 0.01 });
    const mine = await within(myTrades, 5_000, 'watchMyTrades');
    // ccxt's WS trade parser leaves takerOrMaker unset; the REST check below covers it.
    expect(mine.at(-1)).toMatchObject({ order: order.id, side: 'buy', price: 65010, amount: 0.01 });
    expect(mine.at(-1)?.fee).toMatchObject({ cost: 0.292545, currency: 'USDC' });
    const publicTrades = await within(trades, 5_000, 'watchTrades');
    expect(publicTrades.at(-1)).toMatchObject({ price: 65010, amount: 0.01, side: 'buy' });
    const position = await within(positions, 5_000, 'watchPositions');
    expect(position[0]).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 65010 });
  });

  it('fills a market order completely, rejects a crossing post-only, rests a passive one', async () => {
    const market = await exchange.createOrder(BTC, 'market', 'buy', 0.001, 65000);
    expect(market).toMatchObject({ amount: 0.001, filled: 0.001, average: 65020 });
    await expect(exchange.createOrder(BTC, 'limit', 'sell', 0.001, 64990, { postOnly: true })).rejects.toThrow(/Post only order would have immediately matched/);
    const passive = await exchange.createOrder(BTC, 'limit', 'sell', 0.001, 66000, { postOnly: true });
    expect(await exchange.fetchOrder(idOf(passive), BTC)).toMatchObject({ status: 'open', postOnly: true, timeInForce: 'ALO' });
  });

  it('fills IOC partially and refuses an IOC with nothing to match', async () => {
    const ioc = await exchange.createOrder(BTC, 'limit', 'buy', 2, 65020, { timeInForce: 'IOC' });
    expect(ioc).toMatchObject({ filled: 0.999 });
    await expect(exchange.createOrder(BTC, 'limit', 'buy', 0.001, 65020, { timeInForce: 'IOC' })).rejects.toThrow(/could not immediately match/);
    expect(await exchange.fetchOrder(idOf(ioc), BTC)).toMatchObject({ status: 'canceled', filled: 0.999, remaining: 1.001 });
  });

  it('reduces with a reduce-only market sell and refuses one that would increase the position', async () => {
    const reduced = await exchange.createOrder(BTC, 'market', 'sell', 0.5, 65000, { reduceOnly: true });
    expect(reduced).toMatchObject({ filled: 0.5, average: 64990 });
    const positions = await exchange.fetchPositions([BTC]);
    expect(positions[0]).toMatchObject({ side: 'long', contracts: 0.51 });
  });

  it('places, fetches and cancels by client order id', async () => {
    const order = await exchange.createOrder(BTC, 'limit', 'buy', 0.001, 59000, { clientOrderId: CLOID });
    expect(await exchange.fetchOrder(undefined as unknown as string, BTC, { clientOrderId: CLOID })).toMatchObject({ id: order.id, clientOrderId: CLOID, status: 'open' });
    await exchange.cancelOrder(undefined as unknown as string, BTC, { clientOrderId: CLOID });
    expect(await exchange.fetchOrder(idOf(order), BTC)).toMatchObject({ status: 'canceled' });
  });

  it('amends with editOrder and cancels by id', async () => {
    const edited = await exchange.editOrder(firstId, BTC, 'limit', 'buy', 0.002, 61000);
    expect(edited.id).not.toBe(firstId);
    const open = await exchange.fetchOpenOrders(BTC);
    expect(open.find((o) => o.id === edited.id)).toMatchObject({ price: 61000, amount: 0.002 });
    expect(open.find((o) => o.id === firstId)).toBeUndefined();
    await exchange.cancelOrder(idOf(edited), BTC);
    expect(await exchange.fetchOrder(idOf(edited), BTC)).toMatchObject({ status: 'canceled' });
    await expect(exchange.cancelOrder(idOf(edited), BTC)).rejects.toThrow(/never placed, already canceled, or filled/);
  });

  it('trades over the WebSocket post channel: createOrderWs, editOrderWs, cancelOrderWs', async () => {
    const placed = await exchange.createOrderWs(BTC, 'limit', 'buy', 0.001, 58000);
    expect(await exchange.fetchOrder(idOf(placed), BTC)).toMatchObject({ status: 'open', price: 58000 });
    const edited = await exchange.editOrderWs(idOf(placed), BTC, 'limit', 'buy', 0.001, 57000);
    expect(await exchange.fetchOrder(idOf(edited), BTC)).toMatchObject({ status: 'open', price: 57000 });
    await exchange.cancelOrderWs(idOf(edited), BTC);
    expect(await exchange.fetchOrder(idOf(edited), BTC)).toMatchObject({ status: 'canceled' });
    await expect(exchange.createOrderWs(BTC, 'limit', 'buy', 0.0001, 58000)).rejects.toThrow(/minimum value of \$10/);
  });

  it('sets leverage, arms the dead man\'s switch, reads ticker, time and balance stream, and unwatches the book', async () => {
    await exchange.setLeverage(10, BTC);
    expect((await exchange.fetchPositions([BTC]))[0]).toMatchObject({ leverage: 10 });
    await exchange.cancelAllOrdersAfter(60_000);
    // ETH's book is untouched; BTC's replayed asks were all taken above, so its mid is gone.
    expect(await exchange.fetchTicker('ETH/USDC:USDC')).toMatchObject({ symbol: 'ETH/USDC:USDC', close: 3200, bid: 3199, ask: 3201 });
    expect(await exchange.fetchTime()).toBe(SCRIPT_START);
    // watchPositions already holds the clearinghouseState subscription, so this watcher resolves on the
    // next push, which any account change (here: a new resting order) triggers.
    const balanceUpdate = exchange.watchBalance();
    const resting = await exchange.createOrder(BTC, 'limit', 'buy', 0.001, 50000);
    const balance = await within(balanceUpdate, 5_000, 'watchBalance');
    await exchange.cancelOrder(idOf(resting), BTC);
    expect(balance['USDC']?.total).toBeGreaterThan(0);
    await within(exchange.unWatchOrderBook(BTC), 5_000, 'unWatchOrderBook');
  });

  it('keeps trades, fees, positions and balance consistent', async () => {
    const trades = await exchange.fetchMyTrades(BTC);
    const fees = trades.reduce((sum, t) => sum.plus(num(t.fee?.cost)), new Decimal(0));
    expect(trades.length).toBe(4);
    expect(trades.every((t) => t.takerOrMaker === 'taker' && t.fee?.currency === 'USDC')).toBe(true);
    const bought = trades.filter((t) => t.side === 'buy').reduce((s, t) => s.plus(num(t.amount)), new Decimal(0));
    const sold = trades.filter((t) => t.side === 'sell').reduce((s, t) => s.plus(num(t.amount)), new Decimal(0));
    const [position] = await exchange.fetchPositions([BTC]);
    expect(num(position?.contracts).eq(bought.minus(sold))).toBe(true);
    const closedPnl = trades.reduce((s, t) => s.plus(num((t.info as { closedPnl: string }).closedPnl)), new Decimal(0));
    const balance = await exchange.fetchBalance();
    const expected = new Decimal(100_000).minus(fees).plus(closedPnl).plus(num(position?.unrealizedPnl));
    expect(num(balance['USDC']?.total).minus(expected).abs().lt('0.000001')).toBe(true);
    // Candles are built from the prints our own fills made, all in the script's first minute.
    const candles = await exchange.fetchOHLCV(BTC, '1m', SCRIPT_START - 60_000, 5, { until: SCRIPT_START + 60_000 });
    expect(candles).toHaveLength(1);
    expect(candles[0]).toEqual([1_795_492_920_000, 65010, 65020, 64990, 64990, 1.51]);
    expect(errors).toEqual([]);
  });
});
