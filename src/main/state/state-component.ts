import type { Clock } from '../../core/clock.js';
import type { Logger } from '../audit/logger.js';
import { BaseComponent } from '../engine/lifecycle.js';
import type { StateEnv } from './env.js';
import { StateStore } from './store.js';

/** Runs the state store inside the engine lifecycle: load and validate on start, flush on stop. */
export class StateComponent extends BaseComponent {
  readonly #env: StateEnv;
  readonly #clock: Clock;
  readonly #log: Logger;
  #store: StateStore | undefined;

  constructor(env: StateEnv, clock: Clock, log: Logger) {
    super('state');
    this.#env = env;
    this.#clock = clock;
    this.#log = log;
  }

  /** The store; only valid once started. */
  get store(): StateStore {
    if (this.#store === undefined) throw new Error('state store used before the state component started');
    return this.#store;
  }

  protected async onStart(): Promise<void> {
    this.#store = await StateStore.attach(this.#env, { clock: this.#clock });
    this.#log.info(
      { orders: this.#store.openOrders().length, positions: this.#store.positions().length, balances: this.#store.balances().length },
      'state loaded',
    );
  }

  protected async onStop(): Promise<void> {
    await this.#store?.close();
  }
}
