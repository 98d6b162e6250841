import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskLimitsSchema } from '../../src/main/config/schema.js';
import { RPC_ERRORS } from '../../src/rpc/errors.js';
import { METHODS } from '../../src/rpc/methods.js';
import { FULL_TOKEN, req, RpcSocket, startHarness, type Harness } from './kit.js';
import { frameArbitrary, type FuzzCase } from './fuzz-frames.js';

/**
 * 20,000+ hostile frames against a live server (uWebSockets.js; a shorter run against the ws
 * fallback): invalid JSON, wrong `jsonrpc`, wrong types, huge numbers, deep nesting, oversized frames,
 * 10,000-element batches, binary frames, abrupt disconnects (WebSocket and mid-body HTTP). After each
 * frame a sentinel request must be answered correctly, and every message the server sends must be a
 * well-formed JSON-RPC response or notification. Afterwards every read method answers correctly, the
 * server holds no leftover connection or subscription, and the heap is back near its baseline.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const heapAfterGc = (): number => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

function wellFormed(message: unknown): boolean {
  if (Array.isArray(message)) return message.length > 0 && message.every((m) => wellFormed(m) && (m as { method?: unknown }).method === undefined);
  if (message === null || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return false;
  if (m.method === 'event') return typeof m.params === 'object' && !('id' in m);
  if (!('id' in m) || ('result' in m) === ('error' in m)) return false;
  if ('error' in m) {
    const e = m.error as { code?: unknown; message?: unknown };
    return Number.isInteger(e.code) && typeof e.message === 'string';
  }
  return true;
}

/** Sends a request's head and part of its body, then vanishes. */
function abortHttp(port: number, declared: number, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /rpc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${FULL_TOKEN}\r\nContent-Length: ${declared}\r\n\r\n${'{'.repeat(sent)}`);
      socket.destroy();
      resolve();
    });
    socket.on('error', () => resolve());
  });
}

class FuzzClient {
  socket!: RpcSocket;
  malformed = 0;
  #seen = 0;
  #sentinel = 0;
  constructor(readonly h: Harness) {}

  async open(): Promise<void> {
    // Connected directly, not through h.ws(), so the harness does not keep 20,000 cases' sockets alive.
    this.socket = await RpcSocket.connect(this.h.url.ws, FULL_TOKEN);
    this.#seen = 0;
  }

  /** One case: send it, then prove the server still answers a proper request on a working socket. */
  async run(c: FuzzCase): Promise<void> {
    if (c.kind === 'oversized') {
      this.socket.send(`"${'x'.repeat(this.h.server.core.limits.maxFrameBytes + c.extra)}"`);
      await this.socket.closed;
      return this.open();
    }
    if (c.kind === 'disconnect') {
      const doomed = await RpcSocket.connect(this.h.url.ws, FULL_TOKEN);
      doomed.send(c.text);
      doomed.terminate();
      return;
    }
    if (c.kind === 'httpAbort') return abortHttp(this.h.server.port, c.declared, c.sent);
    if (c.kind === 'binary') this.socket.send(Buffer.from(c.bytes), true);
    else this.socket.send(c.text);
    const id = `sentinel-${this.#sentinel++}`;
    const reply = this.socket.waitFor((m) => (m as { id?: unknown }).id === id, 10_000);
    this.socket.send(JSON.stringify(req('engine.status', undefined, id)));
    expect(((await reply) as { result?: { state?: string } }).result?.state).toBe('running');
    const messages = this.socket.messages;
    for (; this.#seen < messages.length; this.#seen++) if (!wellFormed(messages[this.#seen])) this.malformed++;
    messages.splice(0, this.#seen); // keep memory flat over 20,000 cases
    this.#seen = 0;
  }
}

async function expectEveryReadMethodCorrect(h: Harness): Promise<void> {
  const socket = await h.ws();
  expect((await socket.call('engine.status')).result).toMatchObject({ state: 'running', transport: h.server.transport });
  expect((await socket.call('strategies.list')).result).toEqual([expect.objectContaining({ id: 'sma-btc' })]);
  for (const limits of Object.values((await socket.call('risk.limits.get')).result as Record<string, unknown>)) expect(riskLimitsSchema.safeParse(limits).success).toBe(true);
  expect((await socket.call('health.get')).result).toMatchObject({ components: expect.any(Array) });
  expect((await socket.call('metrics.latency')).result).toMatchObject({ unit: 'us' });
  expect((await socket.call('orders.list')).result).toEqual([]);
  expect((await socket.call('config.get', { path: 'mode' })).result).toBe('paper');
  expect((await socket.call('no.such.method')).error?.code).toBe(RPC_ERRORS.METHOD_NOT_FOUND.code);
  expect((await h.http(req('positions.list'))).json).toEqual({ jsonrpc: '2.0', id: 1, result: [] });
  socket.close();
  await socket.closed;
}

const RUNS = { uws: 20_000, ws: 4_000 } as const;

for (const transport of ['uws', 'ws'] as const) {
  describe(`${transport}: frame fuzz`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(transport, { maxConnections: 256 });
    });
    afterAll(() => h.close());

    it(`survives ${RUNS[transport].toLocaleString('en')} hostile frames and comes back to baseline`, async () => {
      const client = new FuzzClient(h);
      await client.open();
      // Warm up (JIT, lazily created histograms and maps) before taking the baseline.
      await fc.assert(fc.asyncProperty(frameArbitrary(Object.keys(METHODS)), (c) => client.run(c)), { numRuns: 500, seed: 1 });
      const baseline = heapAfterGc();
      await fc.assert(fc.asyncProperty(frameArbitrary(Object.keys(METHODS)), (c) => client.run(c)), { numRuns: RUNS[transport], seed: 42, endOnFailure: true });
      expect(client.malformed).toBe(0);
      client.socket.close();
      await client.socket.closed;

      const core = h.server.core;
      const deadline = Date.now() + 5000;
      while (core.stats.openConnections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(core.stats.openConnections).toBe(0);
      expect(core.hub.size).toEqual({ topics: 0, sinks: 0 });
      expect(core.stats.limits.frame).toBeGreaterThan(0);
      expect(core.stats.limits.batch).toBeGreaterThan(0);
      expect(core.stats.limits.binary).toBeGreaterThan(0);
      const grownMb = (heapAfterGc() - baseline) / 1024 / 1024;
      expect(grownMb).toBeLessThan(8); // about 1.4 MB (uws) and 0.6 MB (ws) measured
      // Hostile input is always the caller's error, never an internal one.
      expect(core.stats.errors.get(RPC_ERRORS.INTERNAL.code) ?? 0).toBe(0);
      expect(core.stats.errors.get(RPC_ERRORS.PARSE_ERROR.code)).toBeGreaterThan(0);
      expect(core.stats.errors.get(RPC_ERRORS.INVALID_REQUEST.code)).toBeGreaterThan(0);

      await expectEveryReadMethodCorrect(h);
    });
  });
}
