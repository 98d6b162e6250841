import { afterEach, describe, expect, it } from 'vitest';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { GREETING } from '../../../src/sim/hyperliquid/ws-server.js';
import { scriptedVenue } from '../kit/scripted-venue.js';
import { signedBody } from '../kit/sign.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';
import { RawWsClient, onChannel } from '../kit/ws-client.js';

const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);
let server: HyperliquidServer | undefined;
let client: RawWsClient | undefined;
let nonce = Date.now();

async function connect(options: { idleTimeoutMs?: number } = {}) {
  server = await startHyperliquidServer({ venue: scriptedVenue(), ...options });
  client = await RawWsClient.connect(server.wsUrl);
  return client;
}

const buy = (p: string, s: string, tif = 'Gtc') => ({ type: 'order', orders: [{ a: 0, b: true, p, s, r: false, t: { limit: { tif } } }], grouping: 'na' });

afterEach(async () => {
  client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

describe('WebSocket /ws', () => {
  it('greets, acks subscriptions with an exact echo, then sends the snapshot', async () => {
    const ws = await connect();
    await expect.poll(() => ws.frames[0]).toBe(GREETING);
    const subscription = { type: 'l2Book', coin: 'BTC' };
    ws.send({ method: 'subscribe', subscription });
    expect(await ws.next(onChannel('subscriptionResponse'))).toEqual({ channel: 'subscriptionResponse', data: { method: 'subscribe', subscription } });
    const book = await ws.next<{ data: { coin: string; levels: unknown[][] } }>(onChannel('l2Book'));
    expect(book.data.coin).toBe('BTC');
    expect(book.data.levels[0]?.[0]).toEqual({ px: '64990.0', sz: '0.5', n: 1 });
  });

  it('reports duplicate and unknown subscriptions as errors, and acks unsubscribe once', async () => {
    const ws = await connect();
    const subscription = { type: 'trades', coin: 'BTC' };
    ws.send({ method: 'subscribe', subscription });
    await ws.next(onChannel('subscriptionResponse'));
    ws.send({ method: 'subscribe', subscription: { coin: 'BTC', type: 'trades' } });
    expect(await ws.next(onChannel('error'))).toMatchObject({ data: expect.stringContaining('Already subscribed') });
    ws.send({ method: 'subscribe', subscription: { type: 'teleport' } });
    expect(await ws.next(onChannel('error'))).toMatchObject({ data: expect.stringContaining('Invalid subscription') });
    ws.send({ method: 'unsubscribe', subscription, id: '1795492929000' });
    expect(await ws.next(onChannel('subscriptionResponse'))).toEqual({ channel: 'subscriptionResponse', data: { method: 'unsubscribe', subscription } });
    ws.send({ method: 'unsubscribe', subscription });
    expect(await ws.next(onChannel('error'))).toMatchObject({ data: expect.stringContaining('Already unsubscribed') });
    ws.send('not json');
    expect(await ws.next(onChannel('error'))).toMatchObject({ data: expect.stringContaining('Error parsing JSON') });
  });

  it('answers ping with pong and serves info over post', async () => {
    const ws = await connect();
    ws.send({ method: 'ping' });
    expect(await ws.next(onChannel('pong'))).toEqual({ channel: 'pong' });
    ws.send({ method: 'post', id: 7, request: { type: 'info', payload: { type: 'l2Book', coin: 'ETH' } } });
    const reply = await ws.next<{ data: { id: number; response: { type: string; payload: { type: string; data: { coin: string } } } } }>(onChannel('post'));
    expect(reply.data.id).toBe(7);
    expect(reply.data.response.type).toBe('info');
    expect(reply.data.response.payload).toMatchObject({ type: 'l2Book', data: { coin: 'ETH' } });
    ws.send({ method: 'post', id: 8, request: { type: 'info', payload: { type: 'nonsense' } } });
    expect(await ws.next(onChannel('post'))).toMatchObject({ data: { id: 8, response: { type: 'error', payload: expect.stringContaining('Failed to deserialize') } } });
  });

  it('trades over post and pushes orderUpdates, userFills, trades and clearinghouseState', async () => {
    const ws = await connect();
    for (const subscription of [
      { type: 'orderUpdates', user: WALLET },
      { type: 'userFills', user: WALLET },
      { type: 'clearinghouseState', user: WALLET },
      { type: 'trades', coin: 'BTC' },
    ]) {
      ws.send({ method: 'subscribe', subscription });
      await ws.next((f) => f['channel'] === 'subscriptionResponse' && (f['data'] as { subscription: { type: string } }).subscription.type === subscription.type);
    }
    expect(await ws.next(onChannel('userFills'))).toEqual({ channel: 'userFills', data: { isSnapshot: true, user: WALLET, fills: [] } });
    const initial = await ws.next<{ data: { user: string; clearinghouseState: { marginSummary: { accountValue: string } } } }>(onChannel('clearinghouseState'));
    expect(initial.data.clearinghouseState.marginSummary.accountValue).toBe('100000.0');

    ws.send({ method: 'post', id: 1, request: { type: 'action', payload: signedBody(TEST_FIXTURE_PRIVATE_KEY, buy('65010', '0.01', 'Ioc'), ++nonce) } });
    const reply = await ws.next<{ data: { response: { type: string; payload: { status: string; response: { data: { statuses: unknown[] } } } } } }>(onChannel('post'));
    expect(reply.data.response.type).toBe('action');
    expect(reply.data.response.payload.response.data.statuses[0]).toMatchObject({ filled: { totalSz: '0.01', avgPx: '65010.0' } });
    expect(await ws.next(onChannel('orderUpdates'))).toMatchObject({ data: [{ status: 'filled', order: { coin: 'BTC', side: 'B', origSz: '0.01' } }] });
    expect(await ws.next(onChannel('userFills'))).toMatchObject({ data: { isSnapshot: false, user: WALLET, fills: [{ px: '65010.0', sz: '0.01', crossed: true, twapId: null }] } });
    expect(await ws.next(onChannel('trades'))).toMatchObject({ data: [{ coin: 'BTC', side: 'B', px: '65010.0', sz: '0.01' }] });
    const after = await ws.next<{ data: { clearinghouseState: { assetPositions: { position: { szi: string } }[] } } }>(onChannel('clearinghouseState'));
    expect(after.data.clearinghouseState.assetPositions[0]?.position.szi).toBe('0.01');
  });

  it('snapshots allMids, activeAssetCtx, bbo, spotState and the current candle on subscribe', async () => {
    const ws = await connect();
    const snapshot = async (subscription: Record<string, unknown>, channel: string) => {
      ws.send({ method: 'subscribe', subscription });
      await ws.next(onChannel('subscriptionResponse'));
      return ws.next(onChannel(channel));
    };
    expect(await snapshot({ type: 'allMids' }, 'allMids')).toEqual({ channel: 'allMids', data: { mids: { BTC: '65000.0', ETH: '3200.0' } } });
    expect(await snapshot({ type: 'activeAssetCtx', coin: 'ETH' }, 'activeAssetCtx')).toMatchObject({ data: { coin: 'ETH', ctx: { midPx: '3200.0', impactPxs: ['3199.0', '3201.0'] } } });
    expect(await snapshot({ type: 'bbo', coin: 'ETH' }, 'bbo')).toMatchObject({ data: { coin: 'ETH', bbo: [{ px: '3199.0' }, { px: '3201.0' }] } });
    expect(await snapshot({ type: 'spotState', user: WALLET }, 'spotState')).toMatchObject({ data: { user: WALLET, spotState: { balances: expect.any(Array) } } });
    ws.send({ method: 'post', id: 1, request: { type: 'action', payload: signedBody(TEST_FIXTURE_PRIVATE_KEY, buy('65010', '0.002', 'Ioc'), ++nonce) } });
    await ws.next(onChannel('post'));
    expect(await snapshot({ type: 'candle', coin: 'BTC', interval: '1m' }, 'candle')).toMatchObject({ data: { s: 'BTC', i: '1m', c: '65010.0', v: '0.002' } });
  });

  it('answers an unreadable posted action in the action shape', async () => {
    const ws = await connect();
    ws.send({ method: 'post', id: 3, request: { type: 'action', payload: { action: { type: 'order' } } } });
    expect(await ws.next(onChannel('post'))).toMatchObject({
      data: { id: 3, response: { type: 'action', payload: { status: 'err', response: expect.stringMatching(/^Failed to deserialize the JSON body/) } } },
    });
  });

  it('closes a socket that stays silent past the idle timeout', async () => {
    const ws = await connect({ idleTimeoutMs: 200 });
    await expect(Promise.race([ws.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 3_000))])).resolves.toBe('closed');
  });
});
