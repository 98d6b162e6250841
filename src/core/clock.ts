/**
 * Every component takes a Clock, never reads the wall clock itself, so a backtest is deterministic and a
 * replay is exact.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Monotonic high-resolution time in nanoseconds, for latency measurement only. */
  monotonicNs(): bigint;
}

export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }
  monotonicNs(): bigint {
    return process.hrtime.bigint();
  }
}

/** A clock that moves only when told to. Time never goes backwards. */
export class SimulatedClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  monotonicNs(): bigint {
    return BigInt(Math.round(this.#nowMs * 1e6));
  }

  /** Moves to `ms`; refuses to go backwards because a replay that did so would reorder events. */
  set(ms: number): void {
    if (ms < this.#nowMs) throw new RangeError(`simulated clock cannot go back from ${this.#nowMs} to ${ms}`);
    this.#nowMs = ms;
  }

  advance(ms: number): void {
    this.set(this.#nowMs + ms);
  }
}
