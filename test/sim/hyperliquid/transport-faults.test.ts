import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/sim/engine/faults.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import type { HttpFault, TransportFaults, WsFault } from '../../../src/sim/hyperliquid/transport-faults.js';
import { scriptedVenue } from '../kit/scripted-venue.js';
import { post, signedBody } from '../kit/sign.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';
import { RawWsClient, onChannel } from '../kit/ws-client.js';

/** Faults in a fixed order, so each test says exactly which request or message is hit. */
class ScriptedFaults implements TransportFaults {
  http: HttpFault[] = [];
  ws: WsFault[] = [];
  latency: number[] = [];
  lifetimeMs: number | undefined;
  latencyMs = () => this.latency.shift() ?? 0;
  httpFault = () => this.http.shift() ?? 'none';
  wsFault = () => this.ws.shift() ?? 'none';
  connectionLifetimeMs = () => this.lifetimeMs;
}

const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);
const servers: HyperliquidServer[] = [];
const clients: RawWsClient[] = [];

async function start(faults: TransportFaults) {
  const server = await startHyperliquidServer({ venue: scriptedVenue(), faults });
  servers.push(server);
  return server;
}

async function connect(server: HyperliquidServer) {
  const client = await RawWsClient.connect(server.wsUrl);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

describe('injected transport faults', () => {
  it('answers 429 and 5xx without running the request, and runs a timed-out one without answering', async () => {
    const faults = new ScriptedFaults();
    const server = await start(faults);
    faults.http = ['http429', 'http5xx', 'none', 'timeout'];
    const order = { type: 'order', orders: [{ a: 0, b: true, p: '60000', s: '0.001', r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' };
    const url = `${server.httpUrl}/exchange`;
    expect((await post(url, signedBody(TEST_FIXTURE_PRIVATE_KEY, order, Date.now()))).status).toBe(429);
    expect((await post(url, signedBody(TEST_FIXTURE_PRIVATE_KEY, order, Date.now() + 1))).status).toBe(502);
    const openBefore = (await post(`${server.httpUrl}/info`, { type: 'openOrders', user: WALLET })).json;
    expect(openBefore).toEqual([]);
    const timedOut = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signedBody(TEST_FIXTURE_PRIVATE_KEY, order, Date.now() + 2)), signal: AbortSignal.timeout(500) });
    await expect(timedOut).rejects.toThrow();
    // The venue took the order even though the client never heard back: it must ask.
    expect((await post(`${server.httpUrl}/info`, { type: 'openOrders', user: WALLET })).json).toHaveLength(1);
  });

  it('drops, duplicates and reorders WebSocket messages as told', async () => {
    const faults = new ScriptedFaults();
    const server = await start(faults);
    const ws = await connect(server);
    faults.ws = ['drop', 'dup', 'reorder', 'none'];
    ws.send({ method: 'post', id: 1, request: { type: 'info', payload: { type: 'exchangeStatus' } } });
    ws.send({ method: 'post', id: 2, request: { type: 'info', payload: { type: 'exchangeStatus' } } });
    ws.send({ method: 'post', id: 3, request: { type: 'info', payload: { type: 'exchangeStatus' } } });
    ws.send({ method: 'post', id: 4, request: { type: 'info', payload: { type: 'exchangeStatus' } } });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await ws.next<{ data: { id: number } }>(onChannel('post'))).data.id);
    expect(ids).toEqual([2, 2, 4, 3]);
  });

  it('delays messages by the injected latency without reordering them', async () => {
    const faults = new ScriptedFaults();
    const server = await start(faults);
    const ws = await connect(server);
    faults.latency = [150, 0];
    const sent = performance.now();
    ws.send({ method: 'ping' });
    ws.send({ method: 'post', id: 9, request: { type: 'info', payload: { type: 'allMids' } } });
    await ws.next(onChannel('post'));
    expect(performance.now() - sent).toBeGreaterThanOrEqual(140);
    // The undelayed reply queued behind the delayed pong: the pong arrived first.
    expect(ws.frames).toEqual([expect.any(String), { channel: 'pong' }]);
  });

  it('cuts a connection when its injected lifetime ends', async () => {
    const faults = new ScriptedFaults();
    faults.lifetimeMs = 150;
    const server = await start(faults);
    const ws = await connect(server);
    await expect(Promise.race([ws.closed.then(() => 'cut'), new Promise((r) => setTimeout(() => r('alive'), 3_000))])).resolves.toBe('cut');
  });

  it('makes the same HTTP fault decisions for the same seed', async () => {
    const statuses = async (seed: number) => {
      const server = await start(new FaultInjector('http429=0.3,http5xx=0.3', seed));
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await post(`${server.httpUrl}/info`, { type: 'exchangeStatus' })).status);
      return out;
    };
    const first = await statuses(42);
    expect(await statuses(42)).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(502);
    expect(first).toContain(200);
  });
});
