import type { Clock } from './clock.js';
import type { EventOf, EventPayloads, Topic } from './events.js';
import { createIdGenerator } from './ids.js';

/** Stamps payloads into events: a fresh id, the source's event time and our receive time. */
export class EventFactory {
  readonly #clock: Clock;
  readonly #nextId: () => string;

  constructor(clock: Clock, idPrefix = 'e') {
    this.#clock = clock;
    this.#nextId = createIdGenerator(idPrefix);
  }

  make<T extends Topic>(type: T, payload: EventPayloads[T], tsEvent?: number): EventOf<T> {
    const tsRecv = this.#clock.now();
    return { ...payload, id: this.#nextId(), type, tsEvent: tsEvent ?? tsRecv, tsRecv } as EventOf<T>;
  }
}
