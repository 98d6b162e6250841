import { z } from 'zod';
import type { PositionView } from './api.js';

/**
 * Exits, as configuration shared by strategies (`params.exits`); each is off unless set. Measured in
 * basis points from the position's average entry price (trailing: from the best price since it opened).
 * The runner checks them on every price it sees and, when one trips, closes the position with a
 * reduce-only bounded IOC and tells the strategy nothing it must handle: the exit is not its decision.
 */
export const exitsSchema = z
  .strictObject({
    takeProfitBps: z.number().positive().max(100_000).optional(),
    stopLossBps: z.number().positive().max(10_000).optional(),
    trailingStopBps: z.number().positive().max(10_000).optional(),
    /** Time stop: close a position held this long (ms of clock time). */
    maxHoldMs: z.int().positive().optional(),
  })
  .prefault({});

export type ExitsConfig = z.output<typeof exitsSchema>;

export type ExitReason = 'take-profit' | 'stop-loss' | 'trailing-stop' | 'time-stop';

export interface ExitState {
  /** Side the extremes belong to; a reversal starts over. */
  side: 'long' | 'short' | 'flat';
  /** Best price seen since the position opened: highest for a long, lowest for a short. */
  best: number;
}

export class ExitTracker {
  #state: ExitState = { side: 'flat', best: 0 };

  /** Which exit, if any, `price` at `now` trips for `position`. Call once per price, in event order. */
  check(config: ExitsConfig, position: PositionView, price: number, now: number): ExitReason | undefined {
    const side = position.qty > 0 ? 'long' : position.qty < 0 ? 'short' : 'flat';
    if (side !== this.#state.side) this.#state = { side, best: position.entryPrice || price };
    if (side === 'flat' || !(price > 0)) return undefined;
    const long = side === 'long';
    this.#state.best = long ? Math.max(this.#state.best, price) : Math.min(this.#state.best, price);
    const entry = position.entryPrice;
    // Gain in bps of entry, positive when the position is winning.
    const gainBps = ((long ? price - entry : entry - price) / entry) * 10_000;
    if (config.stopLossBps !== undefined && gainBps <= -config.stopLossBps) return 'stop-loss';
    if (config.takeProfitBps !== undefined && gainBps >= config.takeProfitBps) return 'take-profit';
    if (config.trailingStopBps !== undefined) {
      const fromBestBps = ((long ? this.#state.best - price : price - this.#state.best) / this.#state.best) * 10_000;
      if (fromBestBps >= config.trailingStopBps) return 'trailing-stop';
    }
    if (config.maxHoldMs !== undefined && position.openedAt !== undefined && now - position.openedAt >= config.maxHoldMs) return 'time-stop';
    return undefined;
  }

  snapshot(): ExitState {
    return { ...this.#state };
  }

  restore(state: ExitState | undefined): void {
    if (state !== undefined) this.#state = { ...state };
  }
}
