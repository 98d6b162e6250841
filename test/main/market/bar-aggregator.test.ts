import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { EventFactory } from '../../../src/core/event-factory.js';
import type { EventOf } from '../../../src/core/events.js';
import { dataPath } from '../../../src/data/paths.js';
import { readCandles } from '../../../src/data/candles.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import { BarAggregator } from '../../../src/main/market/bar-aggregator.js';

function setup(interval = '1m') {
  const bus = new EventBus((e) => { throw e; });
  const events = new EventFactory(new SimulatedClock(0));
  const bars: EventOf<'market.bar'>[] = [];
  bus.subscribe('market.bar', (b) => bars.push(b));
  const aggregator = new BarAggregator(bus, events, interval);
  aggregator.start();
  const trade = (instrument: string, ts: number, price: number, size: number) =>
    bus.publish(events.make('market.trade', { instrument, price, size, aggressor: 'buy', tradeId: `${ts}` }, ts));
  return { bars, trade, aggregator };
}

describe('BarAggregator', () => {
  it('rebuilds recorded candles from trades at their open, high, low and close', () => {
    // The simulator prints a candle as four trades at open, high, low, close; the bars must equal the file.
    const candles = readCandles(dataPath('BTC_USDC_USDC-1m-futures.csv')).slice(0, 50);
    const { bars, trade } = setup();
    for (const c of candles) {
      for (const [i, px] of [c.open, c.high, c.low, c.close].entries()) trade('sim:BTC-PERP', c.openTime + i * 15_000, Number(px), Number(c.volume) / 4);
    }
    trade('sim:BTC-PERP', candles.at(-1)!.openTime + 60_000, 1, 1); // opens the next bucket, closing the last
    expect(bars).toHaveLength(candles.length);
    bars.forEach((bar, i) => {
      const c = candles[i]!;
      expect([bar.openTime, bar.open, bar.high, bar.low, bar.close]).toEqual([c.openTime, Number(c.open), Number(c.high), Number(c.low), Number(c.close)]);
      expect(bar.volume).toBeCloseTo(Number(c.volume), 9);
      expect(bar.tsEvent).toBe(c.openTime + 60_000);
      expect(bar.closed).toBe(true);
    });
  });

  it('keeps instruments apart, skips empty buckets and ignores late trades', () => {
    const { bars, trade } = setup();
    trade('a', 0, 10, 1);
    trade('b', 1_000, 20, 1);
    trade('a', 30_000, 12, 1);
    trade('a', 185_000, 11, 1); // closes a's first bar; minutes 1 and 2 had no trades
    trade('a', 100_000, 99, 1); // late for a closed bucket
    trade('b', 61_000, 21, 1);
    expect(bars.map((b) => [b.instrument, b.openTime, b.open, b.high, b.low, b.close, b.volume])).toEqual([
      ['a', 0, 10, 12, 10, 12, 2],
      ['b', 0, 20, 20, 20, 20, 1],
    ]);
  });

  it('refuses an unknown interval', () => {
    expect(() => setup('7m')).toThrow(/bar interval "7m"/);
  });
});
