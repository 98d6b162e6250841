import type { Clock } from '../../core/clock.js';
import { EventFactory } from '../../core/event-factory.js';
import type { TradingState } from '../../core/events.js';
import type { EventBus } from '../bus/bus.js';

/**
 * ACTIVE: every intent that passes the limits may trade. REDUCING: only intents that can only shrink a
 * position pass (an operator's choice, or a soft breach). HALTED: nothing new passes; open orders are
 * cancelled and, if configured, positions flattened. Leaving HALTED is an operator decision (RPC), never
 * automatic: whatever halted trading has to be looked at first.
 */
export class TradingStateMachine {
  readonly #bus: EventBus;
  readonly #events: EventFactory;
  #state: TradingState = 'ACTIVE';
  #reason = 'start';
  readonly #listeners: ((to: TradingState, reason: string) => void)[] = [];

  constructor(bus: EventBus, clock: Clock) {
    this.#bus = bus;
    this.#events = new EventFactory(clock, 'rs');
  }

  get state(): TradingState {
    return this.#state;
  }

  get reason(): string {
    return this.#reason;
  }

  onChange(listener: (to: TradingState, reason: string) => void): void {
    this.#listeners.push(listener);
  }

  /** Moves to `to` and publishes `risk.state`; a move to the current state changes nothing. */
  set(to: TradingState, reason: string): boolean {
    const from = this.#state;
    if (from === to) return false;
    this.#state = to;
    this.#reason = reason;
    this.#bus.publish(this.#events.make('risk.state', { from, to, reason }));
    for (const listener of this.#listeners) listener(to, reason);
    return true;
  }
}
