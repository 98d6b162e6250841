import type { Clock } from '../../core/clock.js';
import { EventFactory } from '../../core/event-factory.js';
import { AuditComponent } from '../audit/audit-component.js';
import type { Logging } from '../audit/logger.js';
import { EventBus } from '../bus/bus.js';
import type { OspreyConfig } from '../config/schema.js';
import { openStateEnv, type StateEnv } from '../state/env.js';
import { StateComponent } from '../state/state-component.js';
import { ErrorHandler } from './error-handler.js';
import { BaseComponent, type Component } from './lifecycle.js';

export interface EngineStatus {
  state: string;
  uptimeS: number;
  mode: OspreyConfig['mode'];
  components: { name: string; state: string; reason?: string }[];
  counters: { marketEvents: number; intents: number; orders: number; fills: number; denials: number };
}

/**
 * The composition root: builds every component from config, starts them in dependency order, stops them
 * in reverse, and reports their states. It is itself a component; its own state is the engine's.
 */
export class Engine extends BaseComponent {
  readonly config: OspreyConfig;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly events: EventFactory;
  readonly errors: ErrorHandler;
  readonly state: StateComponent;
  readonly audit: AuditComponent;
  readonly #logging: Logging;
  readonly #env: StateEnv;
  readonly #components: Component[];
  #startedAt = 0;

  constructor(config: OspreyConfig, clock: Clock, logging: Logging, onSevere: (policy: 'halt' | 'fatal', error: unknown) => void) {
    super('engine');
    this.config = config;
    this.clock = clock;
    this.#logging = logging;
    this.errors = new ErrorHandler(logging.forComponent('errors'), (policy, error) => onSevere(policy, error));
    this.bus = new EventBus((error, failure) => this.errors.report(`bus:${failure.topic}:${failure.subscriber}`, error, { isolated: true }));
    this.events = new EventFactory(clock);
    this.errors.attachBus(this.bus, this.events);
    this.#env = openStateEnv(config.dataDir);
    this.state = new StateComponent(this.#env, clock, logging.forComponent('state'));
    this.audit = new AuditComponent(this.#env, this.bus, ['market.book', 'market.quote', 'market.trade', 'market.bar', 'market.mark']);
    this.#components = [this.state, this.audit];
    for (const component of [this, ...this.#components]) {
      component.lifecycle.onChange((change) => {
        const { component: subject, ...rest } = change;
        logging.forComponent('engine').info({ subject, ...rest }, `${subject} ${change.to}`);
        this.bus.publish(this.events.make('component.state', change));
      });
    }
  }

  status(): EngineStatus {
    const counters = this.bus.counters();
    return {
      state: this.lifecycle.state,
      uptimeS: this.#startedAt === 0 ? 0 : Math.round((this.clock.now() - this.#startedAt) / 1000),
      mode: this.config.mode,
      components: this.#components.map((c) => ({
        name: c.name,
        state: c.lifecycle.state,
        ...(c.lifecycle.reason === undefined ? {} : { reason: c.lifecycle.reason }),
      })),
      counters: {
        marketEvents: counters['market.book'].published + counters['market.quote'].published + counters['market.trade'].published + counters['market.bar'].published,
        intents: counters['order.intent'].published,
        orders: counters['order.submitted'].published,
        fills: counters['fill.received'].published,
        denials: counters['risk.denied'].published,
      },
    };
  }

  protected async onStart(): Promise<void> {
    const started: Component[] = [];
    try {
      for (const component of this.#components) {
        await component.start();
        started.push(component);
      }
    } catch (error) {
      // Leave nothing half running: stop what did start, newest first, then report the cause.
      for (const component of started.reverse()) await component.stop().catch((e: unknown) => this.errors.report(`stop:${component.name}`, e));
      await this.#env.close();
      throw error;
    }
    this.#startedAt = this.clock.now();
  }

  protected async onStop(): Promise<void> {
    let firstError: unknown;
    for (const component of [...this.#components].reverse()) {
      try {
        await component.stop();
      } catch (error) {
        firstError ??= error;
        this.errors.report(`stop:${component.name}`, error);
      }
    }
    await this.#env.close();
    this.#logging.flush();
    if (firstError !== undefined) throw firstError;
  }
}
