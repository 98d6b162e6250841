import type { Role } from './auth.js';
import { errorReply, type Session } from './dispatcher.js';
import type { EventSubscriber } from './methods.js';
import type { TokenBucket } from './rate-limit.js';
import type { RpcStats } from './stats.js';
import type { EventSink, SubscriptionHub } from './subscriptions.js';

/** What a transport provides for one WebSocket: bytes out, its queue, and two ways to close. */
export interface WsIo {
  /** Writes one text frame; false when the transport dropped it. */
  send(text: string): boolean;
  bufferedBytes(): number;
  /** Closes at once without a close frame (a slow consumer would not read one anyway). */
  terminate(): void;
  /** Closes with a close frame. */
  end(code: number, reason: string): void;
}

/** What a session needs of the server it belongs to (ServerCore). */
export interface SessionHost {
  readonly hub: SubscriptionHub;
  readonly stats: RpcStats;
  readonly dispatcher: { handle(text: string, session: Session): Promise<string | undefined> };
}

/**
 * One WebSocket connection: a JSON-RPC session (role, rate limit, subscriptions) and an event sink.
 * After the transport reports the close, nothing is written to it again: replies still in flight are
 * discarded, which is what an abrupt disconnect needs.
 */
export class WsSession implements Session, EventSink {
  readonly id: string;
  readonly origin: string;
  readonly role: Role;
  readonly limiter: TokenBucket;
  readonly events: EventSubscriber;
  readonly #io: WsIo;
  readonly #core: SessionHost;
  #closed = false;

  constructor(id: string, role: Role, limiter: TokenBucket, io: WsIo, core: SessionHost) {
    this.id = id;
    this.origin = id;
    this.role = role;
    this.limiter = limiter;
    this.#io = io;
    this.#core = core;
    this.events = core.hub.subscriberFor(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One frame in: `undefined` for a binary frame, which JSON-RPC over text does not use. */
  async receive(text: string | undefined): Promise<void> {
    let reply: string | undefined;
    if (text === undefined) {
      this.#core.stats.limited('binary');
      reply = JSON.stringify(errorReply(null, 'PARSE_ERROR', { reason: 'binary frames are not accepted; send JSON as text' }));
    } else {
      reply = await this.#core.dispatcher.handle(text, this);
    }
    if (reply !== undefined && !this.#closed) this.#core.hub.deliver(this, reply);
  }

  /** The transport saw the connection close (any cause). */
  markClosed(): void {
    this.#closed = true;
  }

  bufferedBytes(): number {
    return this.#closed ? 0 : this.#io.bufferedBytes();
  }

  send(text: string): boolean {
    return !this.#closed && this.#io.send(text);
  }

  dropSlow(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#io.terminate();
  }

  /** Graceful close (server shutting down). */
  end(code: number, reason: string): void {
    if (!this.#closed) this.#io.end(code, reason);
  }
}
