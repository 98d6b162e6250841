import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopDelay {
  /** Length of the window these figures cover, ms. */
  readonly windowMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Event-loop delay over a rolling window: Node's sampler (perf_hooks) is read and reset every
 * `windowMs`, and the last complete window is what callers see, so two readers never disturb each
 * other and a stall from an hour ago does not stay in the figures forever. Until the first window
 * completes, the figures cover the time since start.
 */
export class EventLoopMonitor {
  readonly #windowMs: number;
  readonly #sampler: IntervalHistogram;
  readonly #timer: NodeJS.Timeout;
  #windowStart = Date.now();
  #last: EventLoopDelay | undefined;

  constructor(options: { windowMs?: number; resolutionMs?: number } = {}) {
    this.#windowMs = options.windowMs ?? 10_000;
    this.#sampler = monitorEventLoopDelay({ resolution: options.resolutionMs ?? 20 });
    this.#sampler.enable();
    this.#timer = setInterval(() => this.#rotate(), this.#windowMs);
    // A monitor must never be what keeps the process alive.
    this.#timer.unref();
  }

  current(): EventLoopDelay {
    return this.#last ?? this.#read(Date.now() - this.#windowStart);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#sampler.disable();
  }

  #rotate(): void {
    const now = Date.now();
    this.#last = this.#read(now - this.#windowStart);
    this.#sampler.reset();
    this.#windowStart = now;
  }

  #read(windowMs: number): EventLoopDelay {
    const s = this.#sampler;
    // The sampler reports nanoseconds and NaN-like huge values when it holds no sample yet.
    const ms = (ns: number) => (s.count === 0 || !Number.isFinite(ns) ? 0 : Math.round(ns / 1e4) / 100);
    return { windowMs, p50Ms: ms(s.percentile(50)), p99Ms: ms(s.percentile(99)), maxMs: ms(s.max) };
  }
}
