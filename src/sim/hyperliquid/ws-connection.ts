import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { REORDER_HOLD_MS, type TransportFaults } from './transport-faults.js';
import type { Subscription } from './ws-subscriptions.js';

/**
 * One client socket: its subscriptions and an outbox that applies the injected faults to every
 * message. Delivery is FIFO through a single timed queue, so added latency delays messages without
 * reordering them; only an explicit `reorder` fault swaps a message with its successor.
 */

interface Queued {
  readonly at: number;
  readonly text: string;
}

export class WsConnection {
  readonly subscriptions = new Map<string, Subscription>();
  readonly #socket: WebSocket;
  readonly #faults: TransportFaults;
  readonly #idleTimeoutMs: number;
  readonly #queue: Queued[] = [];
  #pumpTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #lifetimeTimer: NodeJS.Timeout | undefined;
  #held: { text: string; timer: NodeJS.Timeout } | undefined;
  #lastAt = 0;
  #closed = false;

  constructor(socket: WebSocket, faults: TransportFaults, idleTimeoutMs: number) {
    this.#socket = socket;
    this.#faults = faults;
    this.#idleTimeoutMs = idleTimeoutMs;
    const lifetime = faults.connectionLifetimeMs();
    // An injected disconnect is abrupt (no close frame), like a dropped TCP connection.
    if (lifetime !== undefined) this.#lifetimeTimer = setTimeout(() => socket.terminate(), lifetime);
    this.touch();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Any client message keeps the socket alive; live Hyperliquid closes one idle for 60 s. */
  touch(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#socket.close(1000, 'idle timeout'), this.#idleTimeoutMs);
  }

  /** Text outside the fault model (the connection greeting). */
  sendText(text: string): void {
    if (!this.#closed) this.#socket.send(text);
  }

  send(message: unknown): void {
    if (this.#closed) return;
    const text = JSON.stringify(message);
    const latency = this.#faults.latencyMs();
    switch (this.#faults.wsFault()) {
      case 'drop':
        return;
      case 'dup':
        this.#enqueue(text, latency);
        this.#enqueue(text, latency);
        return;
      case 'reorder':
        if (this.#held === undefined) {
          const timer = setTimeout(() => this.#releaseHeld(latency), REORDER_HOLD_MS);
          this.#held = { text, timer };
          return;
        }
        break;
      case 'none':
        break;
    }
    this.#enqueue(text, latency);
    this.#releaseHeld(latency);
  }

  #releaseHeld(latency: number): void {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    clearTimeout(held.timer);
    this.#enqueue(held.text, latency);
  }

  #enqueue(text: string, latency: number): void {
    const at = Math.max(performance.now() + latency, this.#lastAt);
    this.#lastAt = at;
    this.#queue.push({ at, text });
    this.#pump();
  }

  #pump(): void {
    if (this.#pumpTimer !== undefined) return;
    const now = performance.now();
    while (this.#queue.length > 0 && this.#queue[0]!.at <= now) {
      const { text } = this.#queue.shift()!;
      if (!this.#closed) this.#socket.send(text);
    }
    const next = this.#queue[0];
    if (next !== undefined) {
      this.#pumpTimer = setTimeout(() => {
        this.#pumpTimer = undefined;
        this.#pump();
      }, Math.max(1, Math.ceil(next.at - now)));
    }
  }

  /** Stops every timer; called when the socket closes. */
  dispose(): void {
    this.#closed = true;
    for (const timer of [this.#pumpTimer, this.#idleTimer, this.#lifetimeTimer, this.#held?.timer]) {
      if (timer !== undefined) clearTimeout(timer);
    }
    this.#queue.length = 0;
    this.#held = undefined;
  }

  terminate(): void {
    this.#socket.terminate();
  }
}
