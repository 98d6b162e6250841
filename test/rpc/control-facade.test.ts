import { afterEach, describe, expect, it } from 'vitest';
import { ControlError } from '../../src/main/control/errors.js';
import { healthReport } from '../../src/main/control/health-report.js';
import { RuntimeControls, type ControlChange } from '../../src/main/control/runtime-controls.js';
import { metricsText } from '../../src/rpc/metrics-text.js';
import { jsonBoundsProblem } from '../../src/rpc/params.js';
import { startHarness, type Harness } from './kit.js';

/** The facade's own rules, without a socket: runtime changes, availability, health, exposition. */

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function harness(): Promise<Harness> {
  const h = await startHarness('uws');
  harnesses.push(h);
  return h;
}

describe('RuntimeControls', () => {
  it('applies a risk-limit change whole, as a new frozen object, and tells listeners', async () => {
    const controls = (await harness()).facade.controls;
    const changes: ControlChange[] = [];
    controls.onChange((c) => changes.push(c));
    const before = controls.riskLimits();
    controls.updateRiskLimits('sim', { maxLeverage: 2 });
    const after = controls.riskLimits();
    expect(after).not.toBe(before);
    expect(Object.isFrozen(after) && Object.isFrozen(after.sim)).toBe(true);
    expect(before.sim?.maxLeverage).toBe(5); // a reader holding the old object keeps a consistent view
    expect(changes).toEqual([{ kind: 'riskLimits', account: 'sim', before: before.sim, after: after.sim }]);
  });

  it('refuses an invalid change without touching anything, naming every problem', async () => {
    const controls = (await harness()).facade.controls;
    const before = controls.riskLimits();
    let error: unknown;
    try {
      controls.updateRiskLimits('bad name!', { maxLeverage: 500, colour: 'red' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ControlError);
    const problems = (error as ControlError).details.problems as { path: string }[];
    expect(problems.map((p) => p.path).sort()).toEqual(['account', 'limits', 'limits.maxLeverage'].sort());
    expect(controls.riskLimits()).toBe(before);
  });

  it('takes strategy params only for keys the strategy has, keeping their JSON type', async () => {
    const controls = (await harness()).facade.controls;
    expect(controls.updateStrategyParams('sma-btc', { fast: 7, size: 0.02 }).after).toEqual({ fast: 7, slow: 20, size: 0.02 });
    expect(() => controls.updateStrategyParams('sma-btc', { fast: null })).toThrow(/params\.fast: expected a number, got a null/);
    expect(() => controls.updateStrategyParams('sma-btc', {})).toThrow(/at least one parameter/);
    expect(() => controls.updateStrategyParams('ghost', { fast: 1 })).toThrow(/no strategy with id "ghost"/);
    expect(controls.strategyParams('sma-btc')).toEqual({ fast: 7, slow: 20, size: 0.02 });
  });

  it('reports pause and trading-state changes only when something changed', () => {
    const controls = new RuntimeControls({ risk: { limits: {} }, strategies: [] } as never);
    const changes: ControlChange[] = [];
    controls.onChange((c) => changes.push(c));
    expect([controls.setPaused(true), controls.setPaused(true)]).toEqual([true, false]);
    expect(controls.setTradingState('REDUCING', 'loss')).toBe('ACTIVE');
    controls.setTradingState('REDUCING', 'again');
    expect(changes.map((c) => c.kind)).toEqual(['paused', 'tradingState']);
  });
});

describe('ControlFacade', () => {
  it('refuses reads of stopped components and changes it cannot journal, changing nothing', async () => {
    const h = await harness();
    await h.server.stop();
    await h.engine.stop();
    expect(() => h.facade.positions()).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(() => h.facade.pause('test')).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(h.facade.controls.paused).toBe(false);
    expect(h.facade.status().state).toBe('stopped');
    expect(h.facade.health().status).toBe('failing');
  });
});

describe('health report', () => {
  const loop = { windowMs: 10_000, p50Ms: 1, p99Ms: 2, maxMs: 3 };
  it('is failing when a component failed, degraded when the event loop stalls, ok otherwise', () => {
    const running = { state: 'running', components: [{ name: 'state', state: 'running' }] };
    expect(healthReport(running, loop).status).toBe('ok');
    expect(healthReport({ ...running, components: [{ name: 'state', state: 'failed', reason: 'disk full' }] }, loop)).toMatchObject({ status: 'failing', problems: ['state is failed (disk full)'] });
    expect(healthReport(running, { ...loop, p99Ms: 250 }).problems).toEqual(['event-loop delay p99 250 ms exceeds 100 ms']);
  });
});

describe('Prometheus exposition', () => {
  it('/metrics text is well formed: every sample belongs to the family declared just before it', async () => {
    const h = await harness();
    await h.http({ jsonrpc: '2.0', id: 1, method: 'engine.status' });
    const text = await metricsText(h.facade, h.server.core.stats, h.server.core.hub.size);
    let family = '';
    for (const line of text.trimEnd().split('\n').filter((l) => l !== '')) {
      const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (type) family = type[1]!;
      else if (!line.startsWith('# HELP ')) {
        expect(line).toMatch(/^[a-z_:][a-z0-9_:]*(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? -?[\d.e+-]+$/);
        expect(line.startsWith(family)).toBe(true);
      }
    }
    expect(text).toMatch(/osprey_stage_latency_samples_total\{stage="rpc.request"\} [1-9]/);
    expect(text).toMatch(/osprey_stage_latency_seconds\{stage="rpc.request",quantile="0.99"\} [\d.e-]+/);
    expect(text).toContain('osprey_rpc_requests_total{method="engine.status"} 1');
  });
});

describe('free-form JSON bounds', () => {
  it('measures depth and size iteratively, so hostile nesting cannot overflow the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(jsonBoundsProblem({ x: deep })).toMatch(/nested deeper than 16/);
    expect(jsonBoundsProblem({ list: Array.from({ length: 20_000 }, () => 1) })).toMatch(/more than 10000 values/);
    expect(jsonBoundsProblem({ fast: 5, nested: { ok: [1, 2, { three: 3 }] } })).toBeUndefined();
  });
});
