import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { FaultInjector, NO_FAULT_SPEC, parseFaultSpec } from '../../../src/sim/engine/faults.js';

const FULL = 'latency=20-80ms,drop=0.01,dup=0.01,reorder=0.01,disconnect=30s,http429=0.05,http5xx=0.02,timeout=0.01';

function problems(spec: string): string[] {
  try {
    parseFaultSpec(spec);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('fault spec', () => {
  it('parses the full example', () => {
    expect(parseFaultSpec(FULL)).toEqual({
      latencyMs: [20, 80],
      drop: 0.01,
      dup: 0.01,
      reorder: 0.01,
      http429: 0.05,
      http5xx: 0.02,
      timeout: 0.01,
      disconnectMs: [30_000, 30_000],
    });
  });

  it('takes single values, ranges, units and "none"', () => {
    expect(parseFaultSpec('latency=1.5s').latencyMs).toEqual([1500, 1500]);
    expect(parseFaultSpec(' disconnect=1-2m ').disconnectMs).toEqual([60_000, 120_000]);
    expect(parseFaultSpec('')).toBe(NO_FAULT_SPEC);
    expect(parseFaultSpec('none')).toBe(NO_FAULT_SPEC);
  });

  it('names every problem at once, with what is allowed', () => {
    expect(problems('drop=2,jitter=5,latency=80-20ms,http429=0.6,timeout=0.6,dup')).toEqual([
      'faults.drop: expected a probability from 0 to 1, got "2"',
      'faults.jitter: unknown fault; known: latency, drop, dup, reorder, http429, http5xx, timeout, disconnect',
      'faults.latency: range 80-20ms runs backwards',
      'faults.dup: expected key=value, got "dup"',
      'faults.http429: http429 + http5xx + timeout must not exceed 1',
    ]);
    expect(problems('latency=20')).toEqual(['faults.latency: expected N or MIN-MAX with a unit (ms, s), e.g. 20-80ms, got "20"']);
    expect(problems('latency=1m')).toHaveLength(1);
    expect(problems('drop=0.5,dup=0.3,reorder=0.3')).toEqual(['faults.drop: drop + dup + reorder must not exceed 1']);
    expect(problems('drop=0.1,drop=0.2')).toEqual(['faults.drop: given twice']);
    expect(problems('disconnect=0s')).toEqual(['faults.disconnect: a connection lifetime must be longer than 0']);
    expect(problems('drop=-0.1')).toHaveLength(1);
  });
});

describe('fault decisions', () => {
  it('gives the same decisions for the same seed and spec, and different ones for another seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector(FULL, seed);
      return Array.from({ length: 200 }, () => [f.latencyMs(), f.httpFault(), f.wsFault(), f.connectionLifetimeMs()]);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('keeps each kind of decision on its own stream', () => {
    const httpOnly = new FaultInjector('http429=0.3,http5xx=0.2', 7);
    const withLatency = new FaultInjector('http429=0.3,http5xx=0.2,latency=5-50ms', 7);
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 100; i++) {
      a.push(httpOnly.httpFault());
      withLatency.latencyMs();
      withLatency.wsFault();
      b.push(withLatency.httpFault());
    }
    expect(b).toEqual(a);
  });

  it('hits the configured rates and ranges, and counts what it decided', () => {
    const f = new FaultInjector('latency=20-80ms,drop=0.1,dup=0.05,http429=0.2,timeout=0.1,disconnect=10-20s', 1234);
    const n = 20_000;
    const ws = { none: 0, drop: 0, dup: 0, reorder: 0 };
    const http = { none: 0, http429: 0, http5xx: 0, timeout: 0 };
    let minLatency = Infinity;
    let maxLatency = -Infinity;
    for (let i = 0; i < n; i++) {
      ws[f.wsFault()] += 1;
      http[f.httpFault()] += 1;
      const ms = f.latencyMs();
      minLatency = Math.min(minLatency, ms);
      maxLatency = Math.max(maxLatency, ms);
    }
    expect(ws.drop / n).toBeCloseTo(0.1, 1);
    expect(ws.dup / n).toBeCloseTo(0.05, 1);
    expect(ws.reorder).toBe(0);
    expect(http.http429 / n).toBeCloseTo(0.2, 1);
    expect(http.http5xx).toBe(0);
    expect(http.timeout / n).toBeCloseTo(0.1, 1);
    expect([minLatency, maxLatency]).toEqual([20, 80]);
    const lifetime = f.connectionLifetimeMs()!;
    expect(lifetime).toBeGreaterThanOrEqual(10_000);
    expect(lifetime).toBeLessThanOrEqual(20_000);
    expect(f.counts()).toEqual({ latency: n, drop: ws.drop, dup: ws.dup, reorder: 0, http429: http.http429, http5xx: 0, timeout: http.timeout, disconnect: 1 });
  });

  it('decides nothing without faults', () => {
    const f = new FaultInjector('', 9);
    expect([f.latencyMs(), f.httpFault(), f.wsFault(), f.connectionLifetimeMs()]).toEqual([0, 'none', 'none', undefined]);
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => new FaultInjector('', 1.5)).toThrow(/integer/);
  });
});
