import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPC_ERRORS } from '../../src/rpc/errors.js';
import { METHODS } from '../../src/rpc/methods.js';
import { req, startHarness, TRANSPORTS, type Harness, type RpcSocket } from './kit.js';

/**
 * Every JSON-RPC method of CONTRACTS.md, over real sockets: for each server transport (uWebSockets.js
 * and the ws fallback) and each client path (HTTP POST /rpc and WebSocket), against a running engine
 * whose store holds an order, a position and a balance.
 */

type Reply = { id?: unknown; result?: any; error?: { code: number; message: string; data?: any } };
const CODE = Object.fromEntries(Object.entries(RPC_ERRORS).map(([name, e]) => [name, e.code])) as Record<keyof typeof RPC_ERRORS, number>;

async function seedStore(h: Harness): Promise<void> {
  const store = h.engine.state.store;
  const now = Date.now();
  await store.writeIntent({ clientOrderId: 'c-1', strategyId: 'sma-btc', instrument: 'sim:BTC-PERP', side: 'buy', type: 'limit', size: '0.01', price: '60000', timeInForce: 'GTC', reduceOnly: false, createdAt: now });
  await store.recordFill({ venue: 'sim', instrument: 'sim:ETH-PERP', venueTradeId: 't-1', venueOrderId: 'v-1', side: 'buy', price: '3000', size: '0.5', fee: '0.75', feeCurrency: 'USDC', liquidity: 'taker', ts: now });
  await store.recordBalance({ venue: 'sim', asset: 'USDC', total: '100000', available: '98500', updatedAt: now });
}

for (const transport of TRANSPORTS) {
  for (const client of ['http', 'ws'] as const) {
    describe(`${transport} server, ${client} client`, () => {
      let h: Harness;
      let socket: RpcSocket | undefined;
      const call = async (method: string, params?: unknown): Promise<Reply> => {
        if (socket !== undefined) return (await socket.call(method, params)) as Reply;
        const reply = await h.http(req(method, params, 7));
        expect(reply.status).toBe(200);
        return reply.json as Reply;
      };

      beforeAll(async () => {
        h = await startHarness(transport);
        await seedStore(h);
        if (client === 'ws') socket = await h.ws();
      });
      afterAll(() => h.close());

      it('engine.status reports state, mode, transport, venues, strategies and counters', async () => {
        const { result } = await call('engine.status');
        expect(result).toMatchObject({ state: 'running', mode: 'paper', transport, paused: false, tradingState: 'ACTIVE' });
        expect(result.uptimeS).toBeGreaterThanOrEqual(0);
        expect(result.venues).toContainEqual({ venue: 'sim', enabled: true, state: 'not-started' });
        expect(result.strategies).toEqual([{ id: 'sma-btc', name: 'sma-cross', instrument: 'sim:BTC-PERP', enabled: true, state: 'not-loaded' }]);
        expect(Object.keys(result.counters).sort()).toEqual(['denials', 'fills', 'intents', 'marketEvents', 'orders']);
      });

      it('engine.pause and engine.resume toggle the trading flag and are journalled', async () => {
        expect((await call('engine.pause', { reason: 'maintenance' })).result).toEqual({ paused: true, changed: true });
        expect((await call('engine.pause')).result).toEqual({ paused: true, changed: false });
        expect((await call('engine.status')).result.paused).toBe(true);
        expect((await call('engine.resume')).result).toEqual({ paused: false, changed: true });
        const entries = (await call('audit.query', { types: ['decision.control.pause'] })).result as { data: { reason: string } }[];
        expect(entries.map((e) => e.data.reason)).toEqual(['maintenance', 'operator']);
      });

      it('engine.shutdown answers first, then asks the process to stop', async () => {
        const before = h.shutdownRequests.length;
        expect((await call('engine.shutdown', { reason: 'test' })).result).toEqual({ stopping: true });
        await new Promise((r) => setImmediate(r));
        expect(h.shutdownRequests.slice(before)).toEqual(['rpc engine.shutdown (test)']);
      });

      it('strategies.list, params.get and params.set (validated, atomic)', async () => {
        expect((await call('strategies.list')).result).toHaveLength(1);
        expect((await call('strategies.params.get', { id: 'sma-btc' })).result).toEqual({ id: 'sma-btc', params: { fast: 5, slow: 20, size: 0.01 } });
        expect((await call('strategies.params.set', { id: 'sma-btc', params: { fast: 8 } })).result.params.fast).toBe(8);
        const refused = await call('strategies.params.set', { id: 'sma-btc', params: { fast: 9, fsat: 1 } });
        expect(refused.error?.code).toBe(CODE.INVALID_PARAMS);
        expect(refused.error?.data.problems).toEqual([expect.objectContaining({ path: 'params.fsat' })]);
        expect((await call('strategies.params.set', { id: 'sma-btc', params: { slow: 'x' } })).error?.code).toBe(CODE.INVALID_PARAMS);
        // Neither refused change touched anything.
        expect((await call('strategies.params.get', { id: 'sma-btc' })).result.params).toEqual({ fast: 8, slow: 20, size: 0.01 });
        expect((await call('strategies.params.get', { id: 'nope' })).error?.code).toBe(CODE.NOT_FOUND);
      });

      it('strategies.start needs a trading venue (this engine has none); stop of an unloaded strategy says so', async () => {
        const { error } = await call('strategies.start', { id: 'sma-btc' });
        expect(error).toMatchObject({ code: CODE.NOT_AVAILABLE, data: { component: 'a trading venue for this strategy (none is running in this engine)' } });
        expect((await call('strategies.stop', { id: 'sma-btc' })).result).toEqual({ id: 'sma-btc', state: 'not-loaded' });
        for (const method of ['strategies.start', 'strategies.stop']) expect((await call(method, { id: 'ghost' })).error?.code).toBe(CODE.NOT_FOUND);
      });

      it('orders.list, positions.list and balances.list read the state store', async () => {
        const orders = (await call('orders.list')).result;
        expect(orders).toEqual([expect.objectContaining({ clientOrderId: 'c-1', status: 'pending', instrument: 'sim:BTC-PERP' })]);
        expect((await call('orders.list', { instrument: 'sim:ETH-PERP' })).result).toEqual([]);
        expect((await call('positions.list')).result).toEqual([expect.objectContaining({ instrument: 'sim:ETH-PERP', size: '0.5' })]);
        expect((await call('balances.list')).result).toEqual([expect.objectContaining({ venue: 'sim', asset: 'USDC', total: '100000' })]);
      });

      it('orders.cancel and cancelAll wait for order execution; an unknown order is NOT_FOUND', async () => {
        expect((await call('orders.cancel', { clientOrderId: 'c-1' })).error).toMatchObject({ code: CODE.NOT_AVAILABLE, data: { component: 'order execution' } });
        expect((await call('orders.cancel', { clientOrderId: 'zzz' })).error?.code).toBe(CODE.NOT_FOUND);
        expect((await call('orders.cancelAll', {})).error?.code).toBe(CODE.NOT_AVAILABLE);
      });

      it('risk.limits.get and set: validated by the config schema, applied whole or not at all', async () => {
        expect((await call('risk.limits.get')).result.sim.maxLeverage).toBe(5);
        expect((await call('risk.limits.set', { account: 'sim', limits: { maxLeverage: 3, maxOpenOrders: 10 } })).result.limits).toMatchObject({ maxLeverage: 3, maxOpenOrders: 10 });
        const bad = await call('risk.limits.set', { account: 'sim', limits: { maxLeverage: 2, maxOpenOrders: 0.5 } });
        expect(bad.error?.code).toBe(CODE.INVALID_PARAMS);
        expect((await call('risk.limits.get', { account: 'sim' })).result.sim).toMatchObject({ maxLeverage: 3, maxOpenOrders: 10 });
        expect((await call('risk.limits.set', { account: 'binance', limits: { maxLeverage: 2 } })).error?.message).toMatch(/a new account needs every limit/);
        expect((await call('risk.limits.get', { account: 'binance' })).error?.code).toBe(CODE.NOT_FOUND);
        expect((await call('config.get', { path: 'risk.limits.sim.maxLeverage' })).result).toBe(3);
        const journal = (await call('audit.query', { types: ['decision.control.risk.limits'] })).result as { data: { result: { before: { maxLeverage: number } } } }[];
        expect(journal.at(-1)?.data.result.before.maxLeverage).toBe(5);
      });

      it('risk.state.set records the state and announces it on the bus', async () => {
        const published = h.facade.busCounters()['risk.state'].published;
        expect((await call('risk.state.set', { state: 'HALTED', reason: 'drill' })).result).toEqual({ from: 'ACTIVE', to: 'HALTED' });
        expect((await call('engine.status')).result.tradingState).toBe('HALTED');
        expect((await call('risk.state.set', { state: 'ACTIVE' })).result).toEqual({ from: 'HALTED', to: 'ACTIVE' });
        expect(h.facade.busCounters()['risk.state'].published).toBe(published + 2);
        expect((await call('risk.state.set', { state: 'PANIC' })).error?.code).toBe(CODE.INVALID_PARAMS);
      });

      it('health.get, metrics.latency (with a mergeable histogram) and audit.query', async () => {
        const health = (await call('health.get')).result;
        // Startup can stall the event loop past the threshold on a busy machine; nothing else may be wrong.
        expect(health.problems.filter((p: string) => !p.startsWith('event-loop delay'))).toEqual([]);
        expect(['ok', 'degraded']).toContain(health.status);
        expect(health.components.map((c: { name: string }) => c.name)).toEqual(['state', 'audit']);
        const latency = (await call('metrics.latency')).result;
        const rpc = latency.stages.find((s: { stage: string }) => s.stage === 'rpc.request');
        expect(rpc.count).toBeGreaterThan(0);
        expect(rpc.histogram).toMatch(/^HISTF/);
        expect((await call('metrics.latency', { stages: ['nope'] })).result.stages).toEqual([]);
        const audit = (await call('audit.query', { types: ['component.state'], limit: 2 })).result;
        expect(audit).toHaveLength(2);
      });

      it('alerts.test and backtest.run wait for their components; config.get redacts and selects', async () => {
        expect((await call('alerts.test', { priority: 'critical' })).error?.data.component).toBe('notifier');
        expect((await call('backtest.run', { strategy: 'sma-cross' })).error?.data.component).toBe('backtester');
        expect((await call('config.get', { path: 'rpc.port' })).result).toBe(7400);
        expect((await call('config.get')).result.strategies[0].id).toBe('sma-btc');
        expect((await call('config.get', { path: 'no.such.key' })).error?.code).toBe(CODE.NOT_FOUND);
      });

      it('refuses unknown methods, positional params and unknown param names', async () => {
        expect((await call('engine.explode')).error?.code).toBe(CODE.METHOD_NOT_FOUND);
        expect((await call('strategies.params.get', ['sma-btc'])).error?.code).toBe(CODE.INVALID_PARAMS);
        const unknown = await call('engine.status', { verbose: true });
        expect(unknown.error?.code).toBe(CODE.INVALID_PARAMS);
      });

      if (client === 'http') {
        it('subscribe over HTTP says a WebSocket is needed', async () => {
          expect((await call('subscribe', { topics: ['order.*'] })).error?.code).toBe(CODE.NEEDS_WEBSOCKET);
        });
      }

      it('the method table is exactly the contract list plus subscribe/unsubscribe', () => {
        expect(Object.keys(METHODS).sort()).toEqual(
          [
            'engine.status', 'engine.pause', 'engine.resume', 'engine.shutdown', 'strategies.list', 'strategies.start', 'strategies.stop',
            'strategies.params.get', 'strategies.params.set', 'orders.list', 'orders.cancel', 'orders.cancelAll', 'positions.list',
            'balances.list', 'risk.limits.get', 'risk.limits.set', 'risk.state.set', 'health.get', 'metrics.latency', 'audit.query',
            'alerts.test', 'backtest.run', 'config.get', 'subscribe', 'unsubscribe',
          ].sort(),
        );
      });
    });
  }
}
