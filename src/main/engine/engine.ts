import type { Clock } from '../../core/clock.js';
import { EventFactory } from '../../core/event-factory.js';
import { AuditComponent } from '../audit/audit-component.js';
import type { Logging } from '../audit/logger.js';
import { EventBus } from '../bus/bus.js';
import type { OspreyConfig } from '../config/schema.js';
import { openStateEnv, type StateEnv } from '../state/env.js';
import { StateComponent } from '../state/state-component.js';
import { RuntimeControls, type ControlChange } from '../control/runtime-controls.js';
import { LatencyRegistry } from '../metrics/latency.js';
import { BarAggregator } from '../market/bar-aggregator.js';
import { configuredGateLimits, workerLimits } from '../risk/limits.js';
import type { VenueId } from '../../core/types.js';
import { ErrorHandler } from './error-handler.js';
import { BaseComponent, type Component } from './lifecycle.js';
import { VenueRuntime, type PaperVenueConnection } from './venue-runtime.js';

export interface EngineOptions {
  /** Paper mode: the simulator the CLI started, which the "sim" venue trades on. */
  readonly paper?: PaperVenueConnection;
  /** A latency registry to record into; by default the engine makes one at start. */
  readonly latency?: LatencyRegistry;
  /** Where LMDB lives, if not in `dataDir` (paper sessions each get their own, see the CLI). */
  readonly stateDir?: string;
}

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
  /** Operator switches (pause, trading state, risk limits, strategy params) that apply while running. */
  readonly controls: RuntimeControls;
  readonly venues: readonly VenueRuntime[];
  /** One-minute bars from trades, for strategies that decide on bar close. */
  readonly bars: BarAggregator;
  readonly #logging: Logging;
  #latency: LatencyRegistry | undefined;
  readonly #ownsLatency: boolean;
  readonly #env: StateEnv;
  readonly #components: Component[];
  #startedAt = 0;

  constructor(config: OspreyConfig, clock: Clock, logging: Logging, onSevere: (policy: 'halt' | 'fatal', error: unknown) => void, options: EngineOptions = {}) {
    super('engine');
    this.config = config;
    this.clock = clock;
    this.#logging = logging;
    this.errors = new ErrorHandler(logging.forComponent('errors'), (policy, error) => onSevere(policy, error));
    this.bus = new EventBus((error, failure) => this.errors.report(`bus:${failure.topic}:${failure.subscriber}`, error, { isolated: true }));
    this.events = new EventFactory(clock);
    this.errors.attachBus(this.bus, this.events);
    this.#env = openStateEnv(options.stateDir ?? config.dataDir);
    this.state = new StateComponent(this.#env, clock, logging.forComponent('state'));
    this.audit = new AuditComponent(this.#env, this.bus, ['market.book', 'market.quote', 'market.trade', 'market.bar', 'market.mark']);
    this.controls = new RuntimeControls(config);
    this.bars = new BarAggregator(this.bus, this.events, '1m');
    this.#latency = options.latency;
    this.#ownsLatency = options.latency === undefined;
    const announce = (component: Component) => component.lifecycle.onChange((change) => {
      const { component: subject, ...rest } = change;
      logging.forComponent('engine').info({ subject, ...rest }, `${subject} ${change.to}`);
      this.bus.publish(this.events.make('component.state', change));
    });
    this.venues = tradingVenues(config, options.paper !== undefined).map((venue) => new VenueRuntime({
      config, venue, clock, bus: this.bus, events: this.events,
      store: () => this.state.store,
      latency: () => this.latency,
      log: (component) => logging.forComponent(component),
      ...(options.paper === undefined ? {} : { paper: options.paper }),
      paused: () => this.controls.paused,
      onError: (source, error, isolated) => this.errors.report(source, error, { isolated }),
      announce,
    }));
    this.#components = [this.state, this.audit, ...this.venues];
    for (const component of [this, ...this.#components]) announce(component);
    this.controls.onChange((change) => void this.#apply(change).catch((error: unknown) => this.errors.report('controls', error, { isolated: true })));
  }

  /** The latency histograms the hot path records into; exists once the engine started. */
  get latency(): LatencyRegistry {
    if (this.#latency === undefined) throw new Error('latency registry used before the engine started');
    return this.#latency;
  }

  /**
   * Loads a configured strategy on the workers of its venue (its stored snapshot, if any, restored).
   * Returns false when no venue here trades its instrument.
   */
  async startStrategy(strategyId: string): Promise<boolean> {
    const spec = this.config.strategies.find((s) => s.id === strategyId);
    const host = spec === undefined ? undefined : this.venues.find((v) => spec.instrument.startsWith(`${v.venue}:`))?.strategies?.host;
    if (spec === undefined || host === undefined) return false;
    if (!host.has(strategyId)) await host.load({ strategyId, name: spec.name, instrument: spec.instrument, params: this.controls.strategyParams(strategyId) });
    return true;
  }

  /** Unloads a running strategy (its snapshot stays stored); its open orders stay until cancelled. */
  async stopStrategy(strategyId: string): Promise<boolean> {
    const host = this.venues.map((v) => v.strategies?.host).find((h) => h?.has(strategyId) === true);
    if (host === undefined) return false;
    await host.snapshotAll();
    await host.unload(strategyId);
    return true;
  }

  /**
   * Hands changed parameters to the running strategy, which validates them against its own schema; throws
   * when it refuses. Returns false when the strategy is not running here (the config alone changes).
   */
  async applyStrategyParams(strategyId: string, changes: Readonly<Record<string, unknown>>): Promise<boolean> {
    const host = this.venues.map((v) => v.strategies?.host).find((h) => h?.has(strategyId) === true);
    if (host === undefined) return false;
    await host.setParams(strategyId, changes);
    return true;
  }

  /** Carries an operator's change (already validated and journalled by the control facade) to the components. */
  async #apply(change: ControlChange): Promise<void> {
    for (const venue of this.venues) {
      const { trading, strategies } = venue;
      if (trading === undefined) continue;
      if (change.kind === 'tradingState') await trading.gate.setTradingState(change.to, change.reason);
      if (change.kind === 'riskLimits' && change.account === venue.venue) {
        trading.gate.setLimits(configuredGateLimits(this.config, change.after));
        await strategies?.host?.setRiskLimits(workerLimits(change.after));
      }
    }
  }

  status(): EngineStatus {
    const counters = this.bus.counters();
    return {
      state: this.lifecycle.state,
      uptimeS: this.#startedAt === 0 ? 0 : Math.round((this.clock.now() - this.#startedAt) / 1000),
      mode: this.config.mode,
      components: this.#components.flatMap((c) => [c, ...(c instanceof VenueRuntime ? c.children() : [])]).map((c) => ({
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
    this.#latency ??= await LatencyRegistry.create();
    this.bars.start();
    const started: Component[] = [];
    try {
      for (const component of this.#components) {
        await component.start();
        started.push(component);
      }
    } catch (error) {
      // Leave nothing half running: stop what did start, newest first, then report the cause. The
      // store's environment is closed by stop(), which a failed start is followed by (the engine is failed).
      for (const component of started.reverse()) await component.stop().catch((e: unknown) => this.errors.report(`stop:${component.name}`, e));
      throw error;
    }
    this.#startedAt = this.clock.now();
  }

  protected async onStop(): Promise<void> {
    this.bars.stop();
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
    if (this.#ownsLatency) {
      this.#latency?.destroy();
      this.#latency = undefined;
    }
    this.#logging.flush();
    if (firstError !== undefined) throw firstError;
  }
}

/**
 * The venue accounts this engine trades: live, the enabled venues; otherwise the paper simulator, when
 * the CLI started one (an engine built without it, as in control-plane tests, trades nowhere).
 */
function tradingVenues(config: OspreyConfig, paper: boolean): VenueId[] {
  if (config.mode !== 'live') return paper ? ['sim'] : [];
  return (['hyperliquid', 'binance', 'bybit'] as const).filter((v) => config.venues[v].enabled);
}
