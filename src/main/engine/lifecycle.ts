import { LifecycleError } from '../../core/errors.js';

/** The states every component shares; the in-between ones (starting, stopping) are real and reported. */
export type LifecycleState = 'stopped' | 'starting' | 'running' | 'degraded' | 'stopping' | 'failed';

/** Allowed moves. Anything else is a bug in the caller and throws LIFECYCLE_ILLEGAL. */
export const TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  stopped: ['starting'],
  starting: ['running', 'degraded', 'stopping', 'failed'],
  running: ['degraded', 'stopping', 'failed'],
  degraded: ['running', 'stopping', 'failed'],
  stopping: ['stopped', 'failed'],
  failed: ['starting', 'stopping', 'stopped'],
};

export type LifecycleListener = (change: { component: string; from: LifecycleState; to: LifecycleState; reason?: string }) => void;

/** Tracks one component's state and enforces the transition table. */
export class Lifecycle {
  readonly component: string;
  #state: LifecycleState = 'stopped';
  #reason: string | undefined;
  readonly #listeners: LifecycleListener[] = [];

  constructor(component: string) {
    this.component = component;
  }

  get state(): LifecycleState {
    return this.#state;
  }

  /** Why the component is degraded or failed, if it said. */
  get reason(): string | undefined {
    return this.#reason;
  }

  onChange(listener: LifecycleListener): void {
    this.#listeners.push(listener);
  }

  canMoveTo(to: LifecycleState): boolean {
    return TRANSITIONS[this.#state].includes(to);
  }

  moveTo(to: LifecycleState, reason?: string): void {
    const from = this.#state;
    if (from === to) return;
    if (!this.canMoveTo(to)) {
      throw new LifecycleError(`${this.component} cannot move from ${from} to ${to}`, { component: this.component, from, to });
    }
    this.#state = to;
    this.#reason = reason;
    for (const listener of this.#listeners) listener({ component: this.component, from, to, ...(reason === undefined ? {} : { reason }) });
  }
}

/** What the engine needs of each part it runs. */
export interface Component {
  readonly name: string;
  readonly lifecycle: Lifecycle;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Base for components: runs `onStart`/`onStop` inside the right transitions so no component can forget
 * one. A start that throws leaves the component failed and rethrows.
 */
export abstract class BaseComponent implements Component {
  readonly name: string;
  readonly lifecycle: Lifecycle;

  constructor(name: string) {
    this.name = name;
    this.lifecycle = new Lifecycle(name);
  }

  async start(): Promise<void> {
    this.lifecycle.moveTo('starting');
    try {
      await this.onStart();
    } catch (error) {
      this.lifecycle.moveTo('failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
    this.lifecycle.moveTo('running');
  }

  async stop(): Promise<void> {
    const state = this.lifecycle.state;
    if (state === 'stopped' || state === 'stopping') return;
    this.lifecycle.moveTo('stopping');
    try {
      await this.onStop();
    } catch (error) {
      this.lifecycle.moveTo('failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
    this.lifecycle.moveTo('stopped');
  }

  protected abstract onStart(): Promise<void>;
  protected abstract onStop(): Promise<void>;
}
