import { LiveClock } from '../../src/core/clock.js';
import { EventFactory } from '../../src/core/event-factory.js';
import type { EventOf } from '../../src/core/events.js';
import { EventBus } from '../../src/main/bus/bus.js';
import type { BenchLine, Suite } from '../harness.js';

/**
 * Events per second through the bus with 1, 10 and 100 subscribers. The events are built before the
 * clock starts so the figure is the bus alone; subscribers do a trivial read so the call is not elided.
 */
export const busSuite: Suite = async ({ quick, progress }) => {
  const factory = new EventFactory(new LiveClock());
  const pool: EventOf<'market.trade'>[] = [];
  for (let i = 0; i < 1024; i++) {
    pool.push(factory.make('market.trade', { instrument: 'hyperliquid:BTC-PERP', price: 100_000 + i, size: 0.001, aggressor: 'buy', tradeId: String(i) }));
  }
  const lines: BenchLine[] = [];
  for (const subscribers of [1, 10, 100]) {
    const bus = new EventBus((error) => {
      throw error;
    });
    let sink = 0;
    for (let s = 0; s < subscribers; s++) bus.subscribe('market.trade', (e) => { sink += e.price; });
    const deliveriesTarget = quick ? 20_000_000 : 100_000_000;
    const events = Math.max(100_000, Math.floor(deliveriesTarget / subscribers));
    for (let i = 0; i < Math.min(events, 200_000); i++) bus.publish(pool[i & 1023]!); // warm up the JIT
    const start = process.hrtime.bigint();
    for (let i = 0; i < events; i++) bus.publish(pool[i & 1023]!);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (sink === 0) throw new Error('subscribers saw nothing');
    const perSecond = Math.round(events / seconds);
    progress(`${subscribers} subscriber(s): ${perSecond.toLocaleString()} events/s`);
    lines.push({ suite: 'bus', case: `${subscribers}-subscriber${subscribers > 1 ? 's' : ''}`, metric: 'events_per_s', value: perSecond, unit: 'events/s', events });
    lines.push({ suite: 'bus', case: `${subscribers}-subscriber${subscribers > 1 ? 's' : ''}`, metric: 'deliveries_per_s', value: perSecond * subscribers, unit: 'deliveries/s', events });
  }
  return lines;
};
