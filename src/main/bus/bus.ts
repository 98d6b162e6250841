import type { EventOf, OspreyEvent, Topic } from '../../core/events.js';
import { TOPICS } from '../../core/events.js';

export type Handler<T extends Topic> = (event: EventOf<T>) => void;
type AnyHandler = (event: OspreyEvent) => void;

interface Subscription {
  readonly name: string;
  readonly handler: AnyHandler;
}

export interface TopicCounters {
  published: number;
  delivered: number;
  failed: number;
}

export interface SubscriberFailure {
  readonly topic: Topic;
  readonly subscriber: string;
  readonly eventId: string;
}

export type SubscriberErrorHandler = (error: unknown, failure: SubscriberFailure) => void;

/**
 * The in-process event bus. Delivery is synchronous and in order: every subscriber sees events in the
 * order they were published, even when a subscriber publishes from inside its handler (such events
 * are queued and delivered after the current one has reached everyone). A subscriber that throws is
 * reported to the central error handler and the others still get the event.
 */
export class EventBus {
  readonly #byTopic = new Map<Topic, Subscription[]>();
  #wildcard: readonly Subscription[] = [];
  readonly #counters = new Map<Topic, TopicCounters>();
  readonly #onError: SubscriberErrorHandler;
  readonly #queue: OspreyEvent[] = [];
  #delivering = false;

  constructor(onSubscriberError: SubscriberErrorHandler) {
    this.#onError = onSubscriberError;
    for (const topic of TOPICS) {
      this.#byTopic.set(topic, []);
      this.#counters.set(topic, { published: 0, delivered: 0, failed: 0 });
    }
  }

  /** Returns the unsubscribe function. Subscribing while an event is delivered affects the next event. */
  subscribe<T extends Topic>(topic: T, handler: Handler<T>, name = handler.name || 'anonymous'): () => void {
    const list = this.#listFor(topic);
    const sub: Subscription = { name, handler: handler as unknown as AnyHandler };
    // Copy on write: a delivery loop in progress keeps iterating the array it started with.
    this.#byTopic.set(topic, [...list, sub]);
    return () => {
      this.#byTopic.set(topic, this.#listFor(topic).filter((s) => s !== sub));
    };
  }

  /** Every event of every topic (audit journal, RPC subscriptions). */
  subscribeAll(handler: AnyHandler, name = handler.name || 'anonymous'): () => void {
    const sub: Subscription = { name, handler };
    this.#wildcard = [...this.#wildcard, sub];
    return () => {
      this.#wildcard = this.#wildcard.filter((s) => s !== sub);
    };
  }

  publish(event: OspreyEvent): void {
    if (this.#delivering) {
      this.#queue.push(event);
      return;
    }
    this.#delivering = true;
    try {
      this.#deliver(event);
      while (this.#queue.length > 0) this.#deliver(this.#queue.shift()!);
    } finally {
      this.#delivering = false;
    }
  }

  counters(): Record<Topic, TopicCounters> {
    const out = {} as Record<Topic, TopicCounters>;
    for (const [topic, c] of this.#counters) out[topic] = { ...c };
    return out;
  }

  subscriberCount(topic: Topic): number {
    return this.#listFor(topic).length + this.#wildcard.length;
  }

  #deliver(event: OspreyEvent): void {
    const counters = this.#counters.get(event.type);
    const subs = this.#byTopic.get(event.type);
    if (counters === undefined || subs === undefined) throw new TypeError(`unknown topic "${String(event.type)}"`);
    counters.published++;
    for (let i = 0; i < subs.length; i++) this.#call(subs[i]!, event, counters);
    const wildcard = this.#wildcard;
    for (let i = 0; i < wildcard.length; i++) this.#call(wildcard[i]!, event, counters);
  }

  #call(sub: Subscription, event: OspreyEvent, counters: TopicCounters): void {
    try {
      sub.handler(event);
      counters.delivered++;
    } catch (error) {
      counters.failed++;
      try {
        this.#onError(error, { topic: event.type, subscriber: sub.name, eventId: event.id });
      } catch {
        // The error handler itself failed; nothing sensible is left to report to. Delivery goes on.
      }
    }
  }

  #listFor(topic: Topic): Subscription[] {
    const list = this.#byTopic.get(topic);
    if (list === undefined) throw new TypeError(`unknown topic "${String(topic)}"`);
    return list;
  }
}
