import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/clock.js';
import { EventFactory } from '../../src/core/event-factory.js';
import { readCandles, type CandleRow } from '../../src/data/candles.js';
import { dataPath } from '../../src/data/paths.js';
import type { RunnerSnapshot } from '../../src/workers/protocol.js';
import { barEvent, drive, referenceSma, replayCandles, runnerFor } from './kit.js';

const candles = readCandles(dataPath('BTC_USDT_USDT-1m-futures.csv')).slice(0, 5_000);
const closes = candles.map((c) => Number(c.close));

/** Bars where the reference says fast crossed slow (against the last non-zero sign), and which way. */
function referenceCrosses(fast: number, slow: number): { index: number; dir: 1 | -1 }[] {
  const out: { index: number; dir: 1 | -1 }[] = [];
  let last = 0;
  for (let i = 0; i < closes.length; i++) {
    const f = referenceSma(closes, i, fast);
    const s = referenceSma(closes, i, slow);
    if (f === undefined || s === undefined || f === s) continue;
    const sign = f > s ? 1 : -1;
    if (last !== 0 && sign !== last) out.push({ index: i, dir: sign });
    last = sign;
  }
  return out;
}

describe('sma-cross (CONTRACTS.md)', () => {
  it('on recorded BTC candles trades exactly at the crosses, targeting +size and -size', async () => {
    const { trades } = await replayCandles({ strategyId: 'sma', name: 'sma-cross', params: { fast: 10, slow: 30, size: '0.01' } }, candles);
    const crosses = referenceCrosses(10, 30).filter((c) => c.index < candles.length - 1);
    expect(crosses.length).toBeGreaterThan(20);
    // Each cross decided at bar i's close fills at bar i+1's open.
    expect(trades.map((t) => t.barIndex)).toEqual(crosses.map((c) => c.index + 1));
    trades.forEach((t, k) => {
      const dir = crosses[k]!.dir;
      expect(t.order.side).toBe(dir > 0 ? 'buy' : 'sell');
      // The first cross opens `size`; every later one reverses through zero in one order of 2 x size.
      expect(t.order.size).toBe(k === 0 ? '0.01' : '0.02');
      expect(t.order.reduceOnly).toBe(false);
      expect(t.positionAfter).toBe(dir > 0 ? '0.01' : '-0.01');
    });
  });

  it('uses market orders as IOC limits bounded by slippageBps from the close', async () => {
    const { trades } = await replayCandles({ strategyId: 'sma', name: 'sma-cross', params: { fast: 5, slow: 20, size: 1, order: { type: 'market', slippageBps: 20 } } }, candles.slice(0, 600));
    expect(trades.length).toBeGreaterThan(0);
    for (const t of trades) {
      const close = closes[t.barIndex - 1]!;
      const bound = t.order.side === 'buy' ? close * 1.002 : close * 0.998;
      expect(t.order.type).toBe('market');
      expect(t.order.timeInForce).toBe('IOC');
      expect(Math.abs(Number(t.order.price) - bound) / bound).toBeLessThan(1e-7);
    }
  });

  it('a touch (fast == slow) and back is no cross; open bars are ignored', async () => {
    const { runner, clock } = await runnerFor({ strategyId: 'sma', name: 'sma-cross', params: { fast: 1, slow: 2, size: '1' } });
    const factory = new EventFactory(clock, 'b');
    const bar = (close: number): CandleRow => ({ openTime: clock.now(), open: String(close), high: String(close), low: String(close), close: String(close), volume: '1' });
    const feed = (close: number, closed = true) => runner.handle(barEvent(factory, bar(close), closed)).intents;
    expect(feed(10)).toEqual([]); // slow not ready
    expect(feed(11)).toEqual([]); // first sign (+): sets state, no trade
    expect(feed(11)).toEqual([]); // fast == slow: a touch
    expect(feed(12)).toEqual([]); // back above: still no cross
    expect(feed(1, false)).toEqual([]); // an open bar is not a close
    const down = feed(5);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ kind: 'submit', order: { side: 'sell', size: '1' } });
  });

  it('rejects params that CONTRACTS does not allow, naming the key', async () => {
    await expect(runnerFor({ strategyId: 'bad', name: 'sma-cross', params: { fast: 30, slow: 10, size: '1' } })).rejects.toThrow('strategies.bad.params.fast: fast must be shorter than slow');
    await expect(runnerFor({ strategyId: 'bad', name: 'sma-cross', params: { fast: 3, slow: 10 } })).rejects.toThrow(/strategies\.bad\.params\.size/);
  });

  it('restores from a snapshot and goes on deciding exactly as a run that never stopped', async () => {
    const spec = { strategyId: 'sma', name: 'sma-cross', params: { fast: 10, slow: 30, size: '0.01' } };
    const whole = await replayCandles(spec, candles.slice(0, 1_000));
    const first = await runnerFor(spec);
    const part = drive(first.runner, first.clock, candles.slice(0, 500));
    // Through JSON, as LMDB stores it; the clock moves on, as after a restart.
    const saved = JSON.parse(JSON.stringify(first.runner.snapshot())) as RunnerSnapshot;
    const second = await runnerFor(spec, new SimulatedClock(first.clock.now()));
    expect(second.runner.restore(saved)).toBeUndefined();
    const rest = drive(second.runner, second.clock, candles.slice(500, 1_000), 500, part.pending);
    const shape = (t: { barIndex: number; order: { side: string; size: string }; positionAfter: string }) => [t.barIndex, t.order.side, t.order.size, t.positionAfter];
    expect([...part.trades, ...rest.trades].map(shape)).toEqual(whole.trades.map(shape));
    expect(rest.trades.length).toBeGreaterThan(0);
  });
});
