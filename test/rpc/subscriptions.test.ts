import { afterEach, describe, expect, it } from 'vitest';
import type { BookLevel } from '../../src/core/types.js';
import { RPC_ERRORS } from '../../src/rpc/errors.js';
import { req, startHarness, TRANSPORTS, type Harness } from './kit.js';

/** Subscriptions (notifications, back-pressure) and batches, over real sockets, on both transports. */

type Reply = { id?: unknown; result?: any; error?: { code: number; message: string; data?: any } };

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function harness(transport: 'uws' | 'ws', maxBufferedBytes?: number): Promise<Harness> {
  const h = await startHarness(transport, maxBufferedBytes === undefined ? {} : { maxBufferedBytes });
  harnesses.push(h);
  return h;
}

function publishAccepted(h: Harness, id: string): void {
  h.engine.bus.publish(h.engine.events.make('order.accepted', { clientOrderId: id, venueOrderId: `v-${id}` }));
}

const until = async (condition: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return condition();
};

for (const transport of TRANSPORTS) {
  describe(`${transport}: subscriptions`, () => {
    it('streams subscribed topics as notifications, in order, until unsubscribed', async () => {
      const h = await harness(transport);
      const a = await h.ws();
      const b = await h.ws();
      const sub = (await a.call('subscribe', { topics: ['order.*'] })) as Reply;
      expect(sub.result.topics).toContain('order.accepted');
      expect(sub.result.topics.every((t: string) => t.startsWith('order.'))).toBe(true);
      expect(((await b.call('subscribe', { topics: ['order.accepted', 'risk.state'] })) as Reply).result.topics).toEqual(['order.accepted', 'risk.state']);

      for (let i = 0; i < 5; i++) publishAccepted(h, `c${i}`);
      h.engine.bus.publish(h.engine.events.make('order.filled', { clientOrderId: 'c0', venueOrderId: 'v-c0' }));
      expect(await until(() => a.notifications().length === 6 && b.notifications().length === 5)).toBe(true);
      expect(a.notifications('order.accepted').map((n) => n.params!.event.clientOrderId)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
      expect(a.notifications('order.filled')[0]!.params!.event).toMatchObject({ type: 'order.filled', clientOrderId: 'c0', id: expect.any(String) });
      expect(b.notifications('order.filled')).toEqual([]);

      expect(((await a.call('unsubscribe', { topics: ['order.accepted'] })) as Reply).result.topics).not.toContain('order.accepted');
      publishAccepted(h, 'late');
      expect(await until(() => b.notifications().length === 6)).toBe(true);
      expect(a.notifications('order.accepted')).toHaveLength(5);

      expect(((await a.call('unsubscribe')) as Reply).result.topics).toEqual([]);
      b.close();
      await b.closed;
      // Nobody listens any more: the hub has left the bus.
      expect(await until(() => h.server.core.hub.size.sinks === 0 && h.server.core.hub.size.topics === 0)).toBe(true);
      expect(h.engine.bus.subscriberCount('order.accepted')).toBe(1); // the audit journal's wildcard only
    });

    it('refuses unknown topics, naming the allowed ones', async () => {
      const h = await harness(transport);
      const a = await h.ws();
      const reply = (await a.call('subscribe', { topics: ['order.filed'] })) as Reply;
      expect(reply.error?.code).toBe(RPC_ERRORS.INVALID_PARAMS.code);
      expect(JSON.stringify(reply.error?.data)).toMatch(/unknown topic \\"order.filed\\".*order\.filled/);
    });

    it('drops a client that stops reading, and only that one', async () => {
      const h = await harness(transport, 256 * 1024);
      const slow = await h.ws();
      const fast = await h.ws();
      await slow.call('subscribe', { topics: ['market.book'] });
      await fast.call('subscribe', { topics: ['market.book'] });
      (slow.raw as unknown as { _socket: { pause(): void } })._socket.pause(); // reads nothing from here on
      const levels: BookLevel[] = Array.from({ length: 200 }, (_, i) => ({ price: 60_000 + i, size: 1.5 }));
      const stats = h.server.core.stats;
      let published = 0;
      const deadline = Date.now() + 20_000;
      while (stats.limits.slow_consumer === 0 && published < 50_000 && Date.now() < deadline) {
        for (let i = 0; i < 10; i++, published++) h.engine.bus.publish(h.engine.events.make('market.book', { instrument: 'sim:BTC-PERP', bids: levels, asks: levels, snapshot: true }));
        await new Promise((r) => setImmediate(r));
      }
      expect(stats.limits.slow_consumer).toBe(1);
      expect(await until(() => h.server.core.hub.size.sinks === 1)).toBe(true);
      // The reader got everything, and is still connected and answering.
      expect(await until(() => fast.notifications('market.book').length === published)).toBe(true);
      expect(((await fast.call('engine.status')) as Reply).result.state).toBe('running');
    });
  });

  describe(`${transport}: batches`, () => {
    it('answers a mixed batch with an array in request order, skipping notifications, over WS and HTTP', async () => {
      const h = await harness(transport);
      const batch = [req('engine.status', undefined, 1), { jsonrpc: '2.0', method: 'engine.pause' }, 5, req('no.such', undefined, 'x'), req('risk.limits.get', { account: 42 }, 3)];
      const ws = await h.ws();
      ws.send(JSON.stringify(batch));
      const overWs = (await ws.waitFor((m) => Array.isArray(m))) as Reply[];
      const overHttp = (await h.http(batch)).json as Reply[];
      for (const replies of [overWs, overHttp]) {
        expect(replies.map((r) => r.id)).toEqual([1, null, 'x', 3]);
        expect(replies[0]!.result.state).toBe('running');
        expect(replies.slice(1).map((r) => r.error?.code)).toEqual([RPC_ERRORS.INVALID_REQUEST.code, RPC_ERRORS.METHOD_NOT_FOUND.code, RPC_ERRORS.INVALID_PARAMS.code]);
      }
      expect(h.facade.controls.paused).toBe(true); // the notification ran
    });

    it('keeps a one-element batch an array, answers nothing to notifications only, refuses empty and oversized batches', async () => {
      const h = await harness(transport);
      expect((await h.http([req('engine.status', undefined, 9)])).json).toEqual([expect.objectContaining({ id: 9 })]);
      const silent = await h.http([{ jsonrpc: '2.0', method: 'engine.resume' }]);
      expect([silent.status, silent.text]).toEqual([204, '']);
      expect(((await h.http([])).json as Reply).error?.code).toBe(RPC_ERRORS.INVALID_REQUEST.code);
      const tooMany = (await h.http(Array.from({ length: 101 }, (_, i) => req('engine.status', undefined, i)))).json as Reply;
      expect(tooMany.error).toMatchObject({ code: RPC_ERRORS.BATCH_TOO_LARGE.code, data: { max: 100, got: 101 } });
      expect(h.server.core.stats.limits.batch).toBe(1);
      const ws = await h.ws();
      ws.send(JSON.stringify([{ jsonrpc: '2.0', method: 'engine.pause' }]));
      expect((await ws.call('engine.status')).result).toMatchObject({ paused: true });
      expect(ws.messages).toHaveLength(1); // the notification-only batch got no reply
    });
  });
}
