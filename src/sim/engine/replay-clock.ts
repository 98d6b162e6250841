import { type Clock, LiveClock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';

/**
 * Real time, optionally faster: venue time starts at `startMs` (default: the base clock's now) and then runs
 * `speed` times as fast as the base clock. `osprey sim` uses it to replay candles at, say, 60x, so a
 * candle-replayed minute passes in one second while every timestamp the venue prints stays consistent.
 */
export class AcceleratedClock implements Clock {
  readonly speed: number;
  readonly #base: Clock;
  readonly #baseStart: number;
  readonly #start: number;

  constructor(speed: number, base: Clock = new LiveClock(), startMs?: number) {
    if (!Number.isFinite(speed) || speed <= 0) throw new ConfigError([{ path: 'speed', message: `must be a positive number, got ${speed}` }]);
    this.speed = speed;
    this.#base = base;
    this.#baseStart = base.now();
    this.#start = startMs ?? this.#baseStart;
  }

  now(): number {
    return this.#start + Math.floor((this.#base.now() - this.#baseStart) * this.speed);
  }

  /** Latency is measured in real time, never accelerated. */
  monotonicNs(): bigint {
    return this.#base.monotonicNs();
  }
}
