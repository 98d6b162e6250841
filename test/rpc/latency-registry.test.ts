import { afterEach, describe, expect, it } from 'vitest';
import { HIGHEST_US, LatencyRegistry, mergeEncoded } from '../../src/main/metrics/latency.js';

/** HDR latency histograms per stage: percentiles, clamping, and exact merging across engines. */

const registries: LatencyRegistry[] = [];
afterEach(() => {
  for (const r of registries.splice(0)) r.destroy();
});

async function registry(prefer?: 'js'): Promise<LatencyRegistry> {
  const r = await LatencyRegistry.create(prefer === undefined ? {} : { prefer });
  registries.push(r);
  return r;
}

describe('LatencyRegistry', () => {
  it('uses the WebAssembly build when it loads, the JS build when asked', async () => {
    expect((await registry()).build).toBe('wasm');
    expect((await registry('js')).build).toBe('js');
  });

  it('reports percentiles per stage within HDR precision (3 significant digits)', async () => {
    const r = await registry();
    for (let us = 1; us <= 10_000; us++) r.record('rpc.request', us);
    r.record('risk.check', 42.2);
    const [risk, rpc] = r.snapshot();
    expect(risk).toMatchObject({ stage: 'risk.check', count: 1, minUs: 43, maxUs: 43 });
    expect(rpc!.stage).toBe('rpc.request');
    expect(rpc!.count).toBe(10_000);
    expect(rpc!.p50Us).toBeGreaterThanOrEqual(4995);
    expect(rpc!.p50Us).toBeLessThanOrEqual(5005);
    expect(rpc!.p99Us).toBeGreaterThanOrEqual(9890);
    expect(rpc!.p99Us).toBeLessThanOrEqual(9910);
    expect(r.snapshot(['risk.check', 'absent']).map((s) => s.stage)).toEqual(['risk.check']);
  });

  it('clamps values outside the range instead of throwing, and still counts them', async () => {
    const r = await registry();
    for (const weird of [0, -5, Number.NaN, Infinity, 1e15]) r.record('odd', weird);
    const [odd] = r.snapshot();
    expect(odd!.count).toBe(5);
    expect(odd!.maxUs).toBeGreaterThanOrEqual(HIGHEST_US);
    expect(odd!.minUs).toBe(1);
  });

  it('merges encoded histograms exactly: the merge of two engines equals one engine that saw everything', async () => {
    const a = await registry();
    const b = await registry('js');
    const whole = await registry();
    for (let i = 0; i < 20_000; i++) {
      const us = Math.round(50 + ((i * 7919) % 100_000) * (i % 3 === 0 ? 1 : 0.01));
      (i % 2 === 0 ? a : b).record('stage', us);
      whole.record('stage', us);
    }
    const merged = mergeEncoded([a.snapshot()[0]!.histogram, b.snapshot()[0]!.histogram]);
    const expected = whole.snapshot()[0]!;
    expect(merged.totalCount).toBe(expected.count);
    for (const [p, value] of [[50, expected.p50Us], [90, expected.p90Us], [99, expected.p99Us], [99.9, expected.p999Us]] as const) {
      expect(merged.getValueAtPercentile(p)).toBe(value);
    }
    // The max survives encoding as its bucket's upper edge: equal to 3 significant digits.
    expect(Math.abs(merged.maxValue - expected.maxUs) / expected.maxUs).toBeLessThan(1e-3);
  });

  it('names the input that is not an encoded histogram', () => {
    expect(() => mergeEncoded(['HISTFAAAAB', 'not base64 at all'])).toThrow(/histogram 0/);
  });

  it('reset empties every stage but keeps it known', async () => {
    const r = await registry();
    r.recordSince('x', process.hrtime.bigint() - 2_000_000n);
    expect(r.snapshot()[0]!.p50Us).toBeGreaterThanOrEqual(2000);
    r.reset();
    expect(r.snapshot()).toEqual([expect.objectContaining({ stage: 'x', count: 0 })]);
  });
});
