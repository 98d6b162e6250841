import type { EventFactory } from '../../core/event-factory.js';
import type { EventOf } from '../../core/events.js';
import type { InstrumentId } from '../../core/types.js';
import type { EventBus } from '../bus/bus.js';

const INTERVAL_MS: Readonly<Record<string, number>> = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

interface OpenBar {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Builds time bars from trades, by the trades' event time (venue time), so bars are the same live, in
 * an accelerated replay and in a backtest. A bar is published (`closed: true`) when the first trade of a
 * later bucket arrives; a bucket without trades produces no bar, as on venues that skip empty candles.
 * Late trades for an already closed bucket are ignored rather than rewriting history.
 */
export class BarAggregator {
  readonly #bus: EventBus;
  readonly #events: EventFactory;
  readonly #intervalMs: number;
  readonly #interval: string;
  readonly #open = new Map<InstrumentId, OpenBar>();
  #unsubscribe: (() => void) | undefined;

  constructor(bus: EventBus, events: EventFactory, interval: string) {
    const ms = INTERVAL_MS[interval];
    if (ms === undefined) throw new RangeError(`bar interval "${interval}" is not one of ${Object.keys(INTERVAL_MS).join(', ')}`);
    this.#bus = bus;
    this.#events = events;
    this.#intervalMs = ms;
    this.#interval = interval;
  }

  start(): void {
    this.#unsubscribe ??= this.#bus.subscribe('market.trade', (trade) => this.onTrade(trade), 'bar-aggregator');
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  onTrade(trade: EventOf<'market.trade'>): void {
    const bucket = trade.tsEvent - (trade.tsEvent % this.#intervalMs);
    const bar = this.#open.get(trade.instrument);
    if (bar === undefined || bucket > bar.openTime) {
      if (bar !== undefined) this.#publish(trade.instrument, bar, bar.openTime + this.#intervalMs);
      this.#open.set(trade.instrument, { openTime: bucket, open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: trade.size });
      return;
    }
    if (bucket < bar.openTime) return;
    if (trade.price > bar.high) bar.high = trade.price;
    if (trade.price < bar.low) bar.low = trade.price;
    bar.close = trade.price;
    bar.volume += trade.size;
  }

  #publish(instrument: InstrumentId, bar: OpenBar, closeTime: number): void {
    this.#bus.publish(
      this.#events.make('market.bar', { instrument, interval: this.#interval, openTime: bar.openTime, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, closed: true }, closeTime),
    );
  }
}
