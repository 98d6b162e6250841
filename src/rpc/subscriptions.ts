import type { OspreyEvent, Topic } from '../core/events.js';
import type { ControlFacade } from '../main/control/facade.js';
import { scrubSecrets } from '../main/config/secret.js';
import type { EventSubscriber } from './methods.js';
import { expandTopics } from './params.js';
import type { RpcStats } from './stats.js';

/**
 * Streams bus events to WebSocket clients as JSON-RPC notifications:
 *   {"jsonrpc":"2.0","method":"event","params":{"topic":"order.filled","event":{...}}}
 * One bus subscription per topic however many clients listen, and each event is serialised once.
 * Back-pressure is per client: before anything is written to a client, the bytes it has not yet read
 * are checked, and a client over the limit is dropped (closed as a slow consumer) rather than buffered
 * without bound. The same check guards replies (`deliver`), so a client that never reads cannot grow
 * the server's memory by sending requests either.
 */

export interface EventSink {
  readonly id: string;
  /** Bytes written to this client that the socket has not sent yet. */
  bufferedBytes(): number;
  /** Writes one text frame; false when the transport refused it. */
  send(text: string): boolean;
  /** Closes the connection as a slow consumer (close code 1008). */
  dropSlow(): void;
}

interface TopicFanout {
  readonly sinks: Set<EventSink>;
  readonly unsubscribe: () => void;
}

export class SubscriptionHub {
  readonly #facade: ControlFacade;
  readonly #maxBufferedBytes: number;
  readonly #stats: RpcStats;
  readonly #byTopic = new Map<Topic, TopicFanout>();
  readonly #bySink = new Map<EventSink, Set<Topic>>();

  constructor(facade: ControlFacade, maxBufferedBytes: number, stats: RpcStats) {
    this.#facade = facade;
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#stats = stats;
  }

  /** The `subscribe`/`unsubscribe` methods' view of one connection. */
  subscriberFor(sink: EventSink): EventSubscriber {
    return {
      subscribe: (patterns) => this.subscribe(sink, patterns),
      unsubscribe: (patterns) => this.unsubscribe(sink, patterns),
    };
  }

  subscribe(sink: EventSink, patterns: readonly string[]): Topic[] {
    let topics = this.#bySink.get(sink);
    if (topics === undefined) this.#bySink.set(sink, (topics = new Set()));
    for (const topic of patterns.flatMap(expandTopics)) {
      if (topics.has(topic)) continue;
      topics.add(topic);
      this.#fanoutFor(topic).sinks.add(sink);
    }
    return [...topics].sort();
  }

  /** Without patterns: every topic. Returns the topics still subscribed. */
  unsubscribe(sink: EventSink, patterns?: readonly string[]): Topic[] {
    const topics = this.#bySink.get(sink);
    if (topics === undefined) return [];
    const drop = patterns === undefined ? [...topics] : patterns.flatMap(expandTopics);
    for (const topic of drop) {
      if (!topics.delete(topic)) continue;
      const fanout = this.#byTopic.get(topic);
      fanout?.sinks.delete(sink);
      // The last listener gone: leave the bus, so an idle RPC server costs the hot path nothing.
      if (fanout !== undefined && fanout.sinks.size === 0) {
        fanout.unsubscribe();
        this.#byTopic.delete(topic);
      }
    }
    if (topics.size === 0) this.#bySink.delete(sink);
    return [...topics].sort();
  }

  /** A connection closed: forget it everywhere. */
  remove(sink: EventSink): void {
    this.unsubscribe(sink);
  }

  /** Writes `text` to `sink` unless the sink is over its buffer limit, in which case it is dropped. */
  deliver(sink: EventSink, text: string): boolean {
    if (sink.bufferedBytes() > this.#maxBufferedBytes || !sink.send(text)) {
      this.#stats.limited('slow_consumer');
      this.remove(sink);
      sink.dropSlow();
      return false;
    }
    return true;
  }

  /** Topics with at least one listener, and listening connections (tests, /metrics). */
  get size(): { topics: number; sinks: number } {
    return { topics: this.#byTopic.size, sinks: this.#bySink.size };
  }

  #fanoutFor(topic: Topic): TopicFanout {
    let fanout = this.#byTopic.get(topic);
    if (fanout === undefined) {
      const sinks = new Set<EventSink>();
      const unsubscribe = this.#facade.onEvent(topic, (event) => this.#publish(sinks, event as OspreyEvent), 'rpc-subscriptions');
      fanout = { sinks, unsubscribe };
      this.#byTopic.set(topic, fanout);
    }
    return fanout;
  }

  #publish(sinks: ReadonlySet<EventSink>, event: OspreyEvent): void {
    const text = scrubSecrets(JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { topic: event.type, event } }));
    // A sink dropped during the loop is deleted from the set; iteration then simply skips it.
    for (const sink of sinks) {
      if (this.deliver(sink, text)) this.#stats.notifications++;
    }
  }
}
