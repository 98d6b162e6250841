import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { EventFactory } from '../../../src/core/event-factory.js';
import { OspreyError, StrategyError } from '../../../src/core/errors.js';
import type { EventOf, OspreyEvent } from '../../../src/core/events.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import { StrategyHost } from '../../../src/main/strategy-host/host.js';
import { strategyWorkerFile } from '../../../src/main/strategy-host/worker-file.js';
import { StateStore } from '../../../src/main/state/store.js';
import type { StrategyIntent } from '../../../src/workers/strategies/api.js';
import { PROTOCOL_VERSION, type RunnerSnapshot, type StrategySpec } from '../../../src/workers/protocol.js';

// These run the compiled worker (dist/): `npm test` builds first.
const PROBE = pathToFileURL(join(import.meta.dirname, '../../workers/fixtures/probe-strategy.mjs')).href;
const SPEC: StrategySpec = { strategyId: 'probe-1', name: 'probe', instrument: 'sim:BTC-PERP', params: {}, module: PROBE };
const factory = new EventFactory(new SimulatedClock(1_000), 't');
const trade = (price: number, tradeId: string): OspreyEvent => factory.make('market.trade', { instrument: SPEC.instrument, price, size: 1, aggressor: 'buy', tradeId });

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const seenOf = async (host: StrategyHost) => ((await host.state(SPEC.strategyId)).strategy as { seen: string[] }).seen;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function startHost(extra: Partial<Parameters<typeof StrategyHost.start>[0]> = {}) {
  const intents: [string, readonly StrategyIntent[]][] = [];
  const errors: Error[] = [];
  const host = await StrategyHost.start({ threads: 1, onIntents: (id, i) => intents.push([id, i]), onError: (e) => errors.push(e), ...extra });
  cleanup.push(() => host.stop());
  await host.load(SPEC);
  return { host, intents, errors };
}

describe('strategy host', () => {
  it('delivers one instance its events in dispatch order, batching a burst', async () => {
    const { host } = await startHost();
    const ids = Array.from({ length: 2_000 }, (_, i) => `t${i}`);
    for (const id of ids) host.dispatch(trade(100, id));
    await until(async () => (await seenOf(host)).length === ids.length, 'all trades');
    expect(await seenOf(host)).toEqual(ids);
    // Sent while earlier batches were in flight, the burst left in far fewer messages than events.
    const [stats] = host.stats();
    expect(stats!.events).toBe(ids.length);
    expect(stats!.batches).toBeLessThan(ids.length / 10);
    expect(stats!.queued).toBe(0);
  });

  it('turns a throwing hook into a StrategyError and keeps the worker and the strategy running', async () => {
    const { host, errors } = await startHost();
    host.dispatch(trade(100, 'a'));
    host.dispatch(trade(666, 'boom'));
    host.dispatch(trade(100, 'b'));
    await until(async () => (await seenOf(host)).length === 2, 'trades after the throw');
    expect(await seenOf(host)).toEqual(['a', 'b']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StrategyError);
    expect((errors[0] as StrategyError).code).toBe('STRATEGY_FAILED');
    expect(errors[0]!.message).toContain('probe-1.onTrade threw: probe was told to throw');
    expect(host.restarts).toBe(0);
  });

  it.each([
    ['process.exit in the worker', 999],
    ['an uncaught throw in the worker', 998],
  ])('replaces a worker killed by %s and restores the strategy from its last stored snapshot', async (_how, crashPrice) => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-host-'));
    const store = await StateStore.open(dir, { clock: new SimulatedClock(5_000) });
    cleanup.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const { host, intents, errors } = await startHost({ store });
    host.dispatch(trade(1, 'order-it'));
    await until(() => intents.length === 1, 'the submit');
    const submit = intents[0]![1][0]!;
    if (submit.kind !== 'submit') throw new Error('expected a submit');
    // A fill of its order: the host routes it by client order id, and stores a snapshot right after it.
    host.dispatch(factory.make('fill.received', { fill: { venue: 'sim', instrument: SPEC.instrument, venueTradeId: 'f1', venueOrderId: 'v1', clientOrderId: submit.order.clientOrderId, side: 'buy', price: '1', size: '1', fee: '0', feeCurrency: 'USDC', liquidity: 'maker', ts: 2_000 } }));
    await until(() => (store.loadSnapshot(SPEC.strategyId)?.data as RunnerSnapshot | undefined)?.position.size === '1', 'the snapshot after the fill');
    host.dispatch(trade(100, 'after-snapshot'));
    await until(async () => (await seenOf(host)).length === 2, 'the trade after the snapshot');
    host.dispatch(trade(crashPrice, 'crash'));
    await until(() => host.restarts === 1, 'the restart');
    host.dispatch(trade(100, 'after-restart'));
    await until(async () => (await seenOf(host).catch((): string[] => [])).length === 2, 'the trade after the restart').catch((e: unknown) => { throw new Error(String(e) + errors.map((x) => x.message).join(' / ')); });
    // Restored from the stored snapshot: the trade seen after it is gone, the position is back.
    expect(await seenOf(host)).toEqual(['order-it', 'after-restart']);
    expect((await host.state(SPEC.strategyId)).position.size).toBe('1');
    expect(errors.some((e) => e.message.includes('died'))).toBe(true);
  });

  it('replaces a worker whose hook is stuck in a loop, and the strategy goes on from its snapshot', async () => {
    const { host, errors } = await startHost({ hangTimeoutMs: 300 });
    host.dispatch(trade(100, 'before'));
    await until(async () => (await seenOf(host)).length === 1, 'the first trade');
    await host.snapshotAll();
    host.dispatch(trade(555, 'loop'));
    host.dispatch(trade(100, 'queued'));
    await until(() => host.restarts === 1, 'the watchdog');
    expect(errors.some((e) => e.message.includes('has not answered for'))).toBe(true);
    await until(async () => (await seenOf(host).catch((): string[] => [])).includes('queued'), 'the queued trade');
    expect(await seenOf(host)).toEqual(['before', 'queued']);
  });

  it('stops a strategy whose restore keeps killing its worker, instead of restarting forever', async () => {
    const { host, errors } = await startHost();
    host.dispatch(trade(997, 'poison'));
    await until(async () => (await seenOf(host)).length === 1, 'the poison');
    await host.snapshotAll();
    host.dispatch(trade(999, 'crash'));
    await until(() => host.failed.has(SPEC.strategyId), 'the give-up', 20_000);
    expect(host.restarts).toBe(4);
    expect(host.failed.get(SPEC.strategyId)).toBe('worker died 4 times in 60 s');
    expect(errors.at(-1)?.message ?? '').not.toBe('');
    expect(errors.some((e) => e.message.includes('stopped probe-1'))).toBe(true);
    await expect(host.state(SPEC.strategyId)).rejects.toThrow('no strategy "probe-1" is loaded');
  });

  it('routes a fill of an order it never saw (placed before a restart) by the client order id prefix', async () => {
    const { host } = await startHost();
    host.dispatch(factory.make('fill.received', { fill: { venue: 'sim', instrument: SPEC.instrument, venueTradeId: 'old', venueOrderId: 'v0', clientOrderId: `${SPEC.strategyId}-abc-1`, side: 'sell', price: '2', size: '0.5', fee: '0', feeCurrency: 'USDC', liquidity: 'maker', ts: 3_000 } }));
    host.dispatch(factory.make('fill.received', { fill: { venue: 'sim', instrument: SPEC.instrument, venueTradeId: 'other', venueOrderId: 'v9', clientOrderId: 'someone-else-1', side: 'buy', price: '2', size: '7', fee: '0', feeCurrency: 'USDC', liquidity: 'maker', ts: 3_000 } }));
    await until(async () => (await host.state(SPEC.strategyId)).position.size !== '0', 'the fill');
    expect((await host.state(SPEC.strategyId)).position.size).toBe('-0.5');
  });

  it('takes its events from the bus: market data by instrument, nothing for other instruments', async () => {
    const { host } = await startHost();
    const bus = new EventBus((error) => {
      throw error;
    });
    const off = host.attach(bus);
    bus.publish(trade(100, 'x1') as EventOf<'market.trade'>);
    bus.publish(factory.make('market.trade', { instrument: 'sim:ETH-PERP', price: 100, size: 1, aggressor: 'buy', tradeId: 'eth' }));
    bus.publish(trade(100, 'x2') as EventOf<'market.trade'>);
    await until(async () => (await seenOf(host)).length === 2, 'the bus trades');
    expect(await seenOf(host)).toEqual(['x1', 'x2']);
    off();
    expect(bus.subscriberCount('market.trade')).toBe(0);
  });

  it('refuses a worker that speaks another protocol version', async () => {
    const refused = StrategyHost.start({ threads: 1, onIntents: () => undefined, protocolVersion: 999 });
    await expect(refused).rejects.toThrow(new RegExp(`WORKER_PROTOCOL_MISMATCH|protocol ${PROTOCOL_VERSION}, the other side 999`));
    // And the worker side on its own: its attach task rejects a wrong version and attaches nothing.
    const pool = new Piscina({ filename: strategyWorkerFile(), maxThreads: 1, atomics: 'disabled' });
    try {
      const { port1, port2 } = new MessageChannel();
      const { port1: c1, port2: c2 } = new MessageChannel();
      const attempt = pool.run({ type: 'attach', protocolVersion: 0, hot: port2, control: c2 }, { transferList: [port2, c2] });
      await expect(attempt).rejects.toThrow(`worker speaks worker protocol ${PROTOCOL_VERSION}, the other side 0`);
      port1.close();
      c1.close();
    } finally {
      await pool.destroy();
    }
  });

  it('errors name the problem: a mismatch is an OspreyError with its code', async () => {
    const { assertProtocolVersion } = await import('../../../src/workers/protocol.js');
    let caught: unknown;
    try {
      assertProtocolVersion(PROTOCOL_VERSION + 1, 'host');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OspreyError);
    expect((caught as OspreyError).code).toBe('WORKER_PROTOCOL_MISMATCH');
    expect((caught as OspreyError).policy).toBe('fatal');
  });
});
