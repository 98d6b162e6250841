import type { Clock } from '../../../core/clock.js';
import type { InstrumentId } from '../../../core/types.js';

/** Whether a new order may go out on an instrument, and if not, why. */
export type TradeGate =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'NOT_RUNNING' | 'NO_BOOK' | 'STALE_BOOK' | 'VENUE_BREAKER_OPEN' | 'REST_BREAKER_OPEN' | 'UNKNOWN_INSTRUMENT'; readonly detail: string };

export interface StaleGuardSettings {
  /** A book older than this (by our receive time) blocks new orders. */
  readonly maxBookAgeMs: number;
  /** Tighter or looser limits for single instruments. */
  readonly perInstrumentMs?: Readonly<Record<InstrumentId, number>>;
}

export const DEFAULT_STALE_GUARD: StaleGuardSettings = { maxBookAgeMs: 5_000 };

/**
 * Remembers when each instrument's book last arrived (stream or REST poll alike) and refuses trading on
 * a book older than its limit: quoting against a picture of the market that may no longer exist is how
 * a dropped feed turns into bad fills. Receive time, not venue time, because what matters is how long
 * we have been blind, and venue clocks drift from ours.
 */
export class StaleDataGuard {
  readonly #clock: Clock;
  readonly #settings: StaleGuardSettings;
  readonly #lastBookAt = new Map<InstrumentId, number>();

  constructor(clock: Clock, settings: StaleGuardSettings = DEFAULT_STALE_GUARD) {
    this.#clock = clock;
    this.#settings = settings;
  }

  noteBook(instrument: InstrumentId, receivedAt: number = this.#clock.now()): void {
    this.#lastBookAt.set(instrument, receivedAt);
  }

  limitFor(instrument: InstrumentId): number {
    return this.#settings.perInstrumentMs?.[instrument] ?? this.#settings.maxBookAgeMs;
  }

  /** Age of the last book in ms, or undefined when none has arrived. */
  ageOf(instrument: InstrumentId): number | undefined {
    const at = this.#lastBookAt.get(instrument);
    return at === undefined ? undefined : this.#clock.now() - at;
  }

  check(instrument: InstrumentId): TradeGate {
    const age = this.ageOf(instrument);
    if (age === undefined) return { ok: false, reason: 'NO_BOOK', detail: `no book for ${instrument} has arrived yet` };
    const limit = this.limitFor(instrument);
    if (age > limit) return { ok: false, reason: 'STALE_BOOK', detail: `book for ${instrument} is ${age} ms old, limit ${limit} ms` };
    return { ok: true };
  }
}
