import { describe, expect, it } from 'vitest';
import { readCandles } from '../../src/data/candles.js';
import { dataPath } from '../../src/data/paths.js';
import { replayCandles } from './kit.js';

const candles = readCandles(dataPath('BTC_USDC_USDC-1m-futures.csv')).slice(0, 3_000);
const closes = candles.map((c) => Number(c.close));

/** z-score of close i over the `period` closes ending at i (population std), naively. */
function z(i: number, period: number): number {
  const w = closes.slice(i - period + 1, i + 1);
  const mean = w.reduce((a, b) => a + b, 0) / period;
  const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / period);
  return (closes[i]! - mean) / std;
}

describe('mean-reversion', () => {
  it('on recorded BTC candles enters only beyond entryZ, against the move, and exits inside exitZ', async () => {
    const params = { period: 20, entryZ: 2, exitZ: 0.5, sizing: { mode: 'fixed', size: '0.01' } };
    const { trades } = await replayCandles({ strategyId: 'mr', name: 'mean-reversion', params }, candles);
    expect(trades.length).toBeGreaterThan(10);
    let position = 0;
    for (const t of trades) {
      const decidedAt = t.barIndex - 1;
      const score = z(decidedAt, 20);
      const after = Number(t.positionAfter);
      if (after > 0) expect(score).toBeLessThanOrEqual(-2 + 1e-9);
      if (after < 0) expect(score).toBeGreaterThanOrEqual(2 - 1e-9);
      if (after === 0) expect(Math.abs(score)).toBeLessThanOrEqual(0.5 + 1e-9);
      expect([0, 0.01, -0.01]).toContain(after);
      expect(after).not.toBe(position);
      position = after;
    }
  });

  it('sizes by notional at the close when configured so', async () => {
    const params = { period: 20, entryZ: 2, exitZ: 0.5, sizing: { mode: 'notional', quote: 1000, step: '0.001' } };
    const { trades } = await replayCandles({ strategyId: 'mr', name: 'mean-reversion', params }, candles);
    const entry = trades.find((t) => Number(t.positionAfter) !== 0)!;
    const close = closes[entry.barIndex - 1]!;
    expect(entry.order.size).toBe((Math.floor((1000 / close) * 1000) / 1000).toString());
  });
});
