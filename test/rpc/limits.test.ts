import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RPC_ERRORS } from '../../src/rpc/errors.js';
import { FULL_TOKEN, req, RpcSocket, startHarness, TRANSPORTS, type Harness } from './kit.js';

/** Each limit trips with a JSON-RPC error or a close, is counted, and leaves the server serving. */

type Reply = { id?: unknown; result?: any; error?: { code: number; message: string; data?: any } };

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function harness(transport: 'uws' | 'ws', options: Parameters<typeof startHarness>[1]): Promise<Harness> {
  const h = await startHarness(transport, options);
  harnesses.push(h);
  return h;
}

/** POSTs `chunks` KiB with chunked encoding (no Content-Length), so the server must count as it reads. */
function postChunked(url: string, token: string, chunks: number): Promise<number> {
  return new Promise((resolve) => {
    const r = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' } });
    r.on('error', () => resolve(-1));
    r.on('response', (res) => resolve(res.statusCode ?? 0));
    for (let i = 0; i < chunks; i++) r.write('x'.repeat(1024));
    r.end();
  });
}

for (const transport of TRANSPORTS) {
  describe(`${transport}: limits`, () => {
    it('closes a WebSocket that sends a frame over maxFrameBytes, and serves the next connection', async () => {
      const h = await harness(transport, { maxFrameBytes: 4096 });
      const socket = await h.ws();
      socket.send(JSON.stringify(req('engine.status', { pad: 'x'.repeat(5000) })));
      const { code } = await socket.closed;
      expect([1006, 1009]).toContain(code);
      expect(h.server.core.stats.limits.frame).toBe(1);
      const next = await h.ws();
      expect((await next.call('engine.status')).result).toMatchObject({ state: 'running' });
    });

    it('answers 413 to an HTTP body over maxFrameBytes, declared or streamed', async () => {
      const h = await harness(transport, { maxFrameBytes: 4096 });
      const declared = await h.http(JSON.stringify(req('engine.status', { pad: 'x'.repeat(5000) })));
      expect(declared.status).toBe(413);
      expect(declared.json).toEqual({ jsonrpc: '2.0', id: null, error: { ...RPC_ERRORS.FRAME_TOO_LARGE, data: { max: 4096 } } });
      const chunked = await postChunked(h.url.http, FULL_TOKEN, 10);
      expect(chunked).toBe(413);
      expect(h.server.core.stats.limits.body).toBe(2);
      expect((await h.http(req('engine.status'))).status).toBe(200);
    });

    it('rate-limits each connection: requests over the budget get RATE_LIMITED, then it refills', async () => {
      const h = await harness(transport, { requestsPerSecond: 20 });
      const socket = await h.ws();
      socket.send(JSON.stringify(Array.from({ length: 40 }, (_, i) => req('engine.status', undefined, i))));
      const replies = (await socket.waitFor((m) => Array.isArray(m))) as Reply[];
      const limited = replies.filter((r) => r.error?.code === RPC_ERRORS.RATE_LIMITED.code).length;
      expect(limited).toBeGreaterThanOrEqual(19);
      expect(limited).toBeLessThanOrEqual(21);
      // Another connection has its own budget.
      const other = await h.ws();
      expect((await other.call('engine.status')).error).toBeUndefined();
      await new Promise((r) => setTimeout(r, 300));
      expect((await socket.call('engine.status')).error).toBeUndefined();
      expect(h.server.core.stats.limits.rate).toBe(limited);
      const http = (await h.http(Array.from({ length: 40 }, (_, i) => req('engine.status', undefined, i)))).json as Reply[];
      expect(http.some((r) => r.error?.code === RPC_ERRORS.RATE_LIMITED.code)).toBe(true);
    });

    it('refuses connections beyond maxConnections with 503 until one closes', async () => {
      const h = await harness(transport, { maxConnections: 3 });
      const open = [await h.ws(), await h.ws(), await h.ws()];
      const refused = await RpcSocket.connect(h.url.ws, FULL_TOKEN).then(
        () => undefined,
        (e: { status?: number; body?: string }) => e,
      );
      expect(refused).toMatchObject({ status: 503, body: JSON.stringify({ jsonrpc: '2.0', id: null, error: RPC_ERRORS.TOO_MANY_CONNECTIONS }) });
      expect(h.server.core.stats.limits.connections).toBe(1);
      open[0]!.close();
      await open[0]!.closed;
      const deadline = Date.now() + 2000;
      while (h.server.core.stats.openConnections > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect((await (await h.ws()).call('engine.status')).result).toMatchObject({ state: 'running' });
    });

    it('answers a binary frame with a parse error and keeps the connection', async () => {
      const h = await harness(transport, {});
      const socket = await h.ws();
      socket.send(Buffer.from(JSON.stringify(req('engine.status'))), true);
      const reply = (await socket.waitFor(() => true)) as Reply;
      expect(reply.error).toMatchObject({ code: RPC_ERRORS.PARSE_ERROR.code, data: { reason: expect.stringMatching(/binary frames/) } });
      expect(h.server.core.stats.limits.binary).toBe(1);
      expect((await socket.call('engine.status')).result).toMatchObject({ state: 'running' });
    });
  });
}
