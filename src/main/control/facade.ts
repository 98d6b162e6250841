import type { EventOf, Topic, TradingState } from '../../core/events.js';
import type { Balance, Order, Position } from '../../core/types.js';
import type { AuditEntry, AuditQuery } from '../audit/journal.js';
import type { Logger } from '../audit/logger.js';
import type { RiskLimits } from '../config/schema.js';
import type { Engine, EngineStatus } from '../engine/engine.js';
import { EventLoopMonitor } from '../metrics/event-loop.js';
import type { LatencyRegistry, StageLatency } from '../metrics/latency.js';
import { runningConfig } from './config-view.js';
import { ControlError, notAvailable } from './errors.js';
import { healthReport, type HealthReport } from './health-report.js';
import { RuntimeControls, type StrategyParams } from './runtime-controls.js';
import type { AuditJournal } from '../audit/journal.js';

/**
 * The one way into the engine from outside: every control method (CONTRACTS.md "JSON-RPC methods") is
 * a method here, and transports (src/rpc, later perhaps others) only map names onto it. Inputs arrive
 * shape-checked by the transport; values are checked here. Every change is journalled as a decision
 * (`decision.control.*`) with who asked and the value before and after; a change that cannot be
 * journalled is not made.
 *
 * Errors: ControlError (NOT_FOUND, INVALID_PARAMS, NOT_AVAILABLE, UNAVAILABLE); StateError from the store.
 */

/** Lifecycle states in which a component's data may be read. */
const SERVING: ReadonlySet<string> = new Set(['running', 'degraded']);

export type TransportName = 'uws' | 'ws' | 'none';

export interface ControlFacadeOptions {
  readonly latency: LatencyRegistry;
  /** Asks the process to stop (the CLI's SIGTERM path); called after the reply has gone out. */
  readonly requestShutdown: (reason: string) => void;
  readonly controls?: RuntimeControls;
  readonly eventLoop?: EventLoopMonitor;
  readonly log?: Logger;
}

export interface ControlStatus extends EngineStatus {
  transport: TransportName;
  paused: boolean;
  tradingState: TradingState;
  venues: { venue: string; enabled: boolean; state: string }[];
  strategies: StrategySummary[];
}

export interface StrategySummary {
  id: string;
  name: string;
  instrument: string;
  enabled: boolean;
  /** "running" once loaded on a worker, "failed" when its worker kept dying, "not-loaded" otherwise. */
  state: string;
}

export class ControlFacade {
  readonly controls: RuntimeControls;
  readonly latency: LatencyRegistry;
  readonly #engine: Engine;
  readonly #eventLoop: EventLoopMonitor;
  readonly #requestShutdown: (reason: string) => void;
  readonly #log: Logger | undefined;
  #transport: TransportName = 'none';

  constructor(engine: Engine, options: ControlFacadeOptions) {
    this.#engine = engine;
    this.latency = options.latency;
    this.controls = options.controls ?? new RuntimeControls(engine.config);
    this.#eventLoop = options.eventLoop ?? new EventLoopMonitor();
    this.#requestShutdown = options.requestShutdown;
    this.#log = options.log;
  }

  /** Set by the server that carries the facade, so `engine.status` can say which one is active. */
  set transport(name: TransportName) {
    this.#transport = name;
  }

  status(): ControlStatus {
    const engine = this.#engine.status();
    const config = this.#engine.config;
    const componentState = (venue: string) => engine.components.find((c) => c.name === `venue.${venue}`)?.state ?? 'not-started';
    const venues: ControlStatus['venues'] = (['hyperliquid', 'binance', 'bybit'] as const).map((venue) => ({ venue, enabled: config.venues[venue].enabled, state: componentState(venue) }));
    // Paper and sim modes trade against the built-in simulated venue.
    if (config.mode !== 'live') venues.push({ venue: 'sim', enabled: true, state: componentState('sim') });
    return { ...engine, transport: this.#transport, paused: this.controls.paused, tradingState: this.controls.tradingState, venues, strategies: this.strategies() };
  }

  pause(origin: string, reason = 'operator'): { paused: true; changed: boolean } {
    return { paused: true, changed: this.#decide('pause', origin, { reason }, () => this.controls.setPaused(true)) };
  }

  resume(origin: string, reason = 'operator'): { paused: false; changed: boolean } {
    return { paused: false, changed: this.#decide('resume', origin, { reason }, () => this.controls.setPaused(false)) };
  }

  shutdown(origin: string, reason = 'operator'): { stopping: true } {
    this.#decide('shutdown', origin, { reason }, () => true);
    // After this call returns, so the reply is written before the server begins to close.
    setImmediate(() => this.#requestShutdown(`rpc engine.shutdown (${reason})`));
    return { stopping: true };
  }

  strategies(): StrategySummary[] {
    const hosts = this.#engine.venues.map((v) => v.strategies?.host).filter((h) => h !== undefined);
    const stateOf = (id: string) => {
      for (const host of hosts) {
        if (host.failed.has(id)) return 'failed';
        if (host.has(id)) return 'running';
      }
      return 'not-loaded';
    };
    return this.#engine.config.strategies.map((s) => ({ id: s.id, name: s.name, instrument: s.instrument, enabled: s.enabled, state: stateOf(s.id) }));
  }

  async startStrategy(origin: string, id: string): Promise<{ id: string; state: string }> {
    this.controls.strategyParams(id); // NOT_FOUND first: an unknown id is the caller's error either way
    const started = await this.#decideAsync('strategy.start', origin, { strategyId: id }, () => this.#engine.startStrategy(id));
    if (!started) throw notAvailable('strategies.start', 'a trading venue for this strategy (none is running in this engine)');
    return { id, state: 'running' };
  }

  async stopStrategy(origin: string, id: string): Promise<{ id: string; state: string }> {
    this.controls.strategyParams(id);
    const stopped = await this.#decideAsync('strategy.stop', origin, { strategyId: id }, () => this.#engine.stopStrategy(id));
    return { id, state: stopped ? 'stopped' : 'not-loaded' };
  }

  strategyParams(id: string): { id: string; params: StrategyParams } {
    return { id, params: this.controls.strategyParams(id) };
  }

  /**
   * The running strategy validates the new parameters first (its own schema decides what may change while
   * it runs); only then are they recorded and journalled. If recording refuses them after all, the
   * strategy gets its old parameters back, so what runs and what is reported never differ.
   */
  async setStrategyParams(origin: string, id: string, patch: Record<string, unknown>): Promise<{ id: string; params: StrategyParams }> {
    const before = this.controls.strategyParams(id);
    try {
      await this.#engine.applyStrategyParams(id, patch);
    } catch (error) {
      throw new ControlError('INVALID_PARAMS', `strategy "${id}" refused the parameters: ${error instanceof Error ? error.message : String(error)}`, { strategyId: id, problems: [{ path: 'params', message: error instanceof Error ? error.message : String(error) }] });
    }
    try {
      const { after } = this.#decide('strategy.params', origin, { strategyId: id, patch }, () => this.controls.updateStrategyParams(id, patch));
      return { id, params: after };
    } catch (error) {
      const restore = Object.fromEntries(Object.keys(patch).filter((k) => k in before).map((k) => [k, before[k]]));
      await this.#engine.applyStrategyParams(id, restore).catch(() => undefined);
      throw error;
    }
  }

  orders(filter: { instrument?: string | undefined; strategyId?: string | undefined } = {}): Order[] {
    return this.#store().openOrders().filter((o) => (filter.instrument === undefined || o.instrument === filter.instrument) && (filter.strategyId === undefined || o.strategyId === filter.strategyId));
  }

  async cancelOrder(clientOrderId: string): Promise<{ clientOrderId: string; outcome: string }> {
    const order = this.#store().getOrder(clientOrderId);
    if (order === undefined) throw new ControlError('NOT_FOUND', `no order with clientOrderId "${clientOrderId}"`, { clientOrderId });
    const executor = this.#executorFor(order.instrument);
    if (executor === undefined) throw notAvailable('orders.cancel', 'order execution');
    const outcome = await executor.cancel(clientOrderId);
    return { clientOrderId, outcome };
  }

  async cancelAllOrders(): Promise<{ cancelled: number }> {
    const executors = this.#engine.venues.map((v) => v.trading?.executor).filter((e) => e !== undefined);
    if (executors.length === 0) throw notAvailable('orders.cancelAll', 'order execution');
    const outcomes = (await Promise.all(executors.map((e) => e.cancelAll()))).flat();
    return { cancelled: outcomes.length };
  }

  #executorFor(instrument: string) {
    return this.#engine.venues.find((v) => instrument.startsWith(`${v.venue}:`))?.trading?.executor;
  }

  positions(): Position[] {
    return this.#store().positions();
  }

  balances(): Balance[] {
    return this.#store().balances();
  }

  riskLimits(account?: string): Readonly<Record<string, RiskLimits>> {
    const all = this.controls.riskLimits();
    if (account === undefined) return all;
    const limits = all[account];
    if (limits === undefined) throw new ControlError('NOT_FOUND', `no risk limits for account "${account}"`, { account, accounts: Object.keys(all) });
    return { [account]: limits };
  }

  setRiskLimits(origin: string, account: string, patch: Record<string, unknown>): { account: string; limits: RiskLimits } {
    const { after } = this.#decide('risk.limits', origin, { account, patch }, () => this.controls.updateRiskLimits(account, patch));
    return { account, limits: after };
  }

  /**
   * Records the operator's trading state and announces it on the bus (`risk.state`). Until the risk
   * manager exists no order flows, so every state holds trivially; the risk gate will read it here.
   */
  setTradingState(origin: string, state: TradingState, reason = 'operator'): { from: TradingState; to: TradingState } {
    const change = this.#decide('risk.state', origin, { state, reason }, () => ({ from: this.controls.setTradingState(state, reason), to: state }));
    // A running risk gate is the authority and announces its own state changes; with none, this does.
    const gateRuns = this.#engine.venues.some((v) => v.trading !== undefined);
    if (change.from !== state && !gateRuns) this.#engine.bus.publish(this.#engine.events.make('risk.state', { from: change.from, to: state, reason }));
    return change;
  }

  health(): HealthReport {
    return healthReport(this.#engine.status(), this.#eventLoop.current());
  }

  latencyReport(stages?: readonly string[]): { build: string; unit: 'us'; stages: StageLatency[] } {
    return { build: this.latency.build, unit: 'us', stages: this.latency.snapshot(stages) };
  }

  /** Waits for the journal's pending writes first, so a caller sees the decisions it just caused. */
  async audit(query: { [K in keyof AuditQuery]?: AuditQuery[K] | undefined }): Promise<AuditEntry[]> {
    const journal = this.#journal();
    await journal.flush();
    const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as AuditQuery;
    return journal.query(defined);
  }

  testAlert(): never {
    throw notAvailable('alerts.test', 'notifier');
  }

  runBacktest(): never {
    throw notAvailable('backtest.run', 'backtester');
  }

  /** The config as running now (runtime changes included), secrets redacted; `path` picks a subtree. */
  config(path?: string): unknown {
    return runningConfig(this.#engine.config, this.controls, path);
  }

  /** Bus events of one topic, for subscriptions; returns the unsubscribe function. */
  onEvent<T extends Topic>(topic: T, handler: (event: EventOf<T>) => void, name: string): () => void {
    return this.#engine.bus.subscribe(topic, handler, name);
  }

  /** Events published per topic since start, for /metrics. */
  busCounters(): ReturnType<Engine['bus']['counters']> {
    return this.#engine.bus.counters();
  }

  /** Stops the facade's own sampler; the engine is stopped by its owner. */
  close(): void {
    this.#eventLoop.stop();
  }

  /** Runs `apply` and journals it; refuses up front when the journal cannot record the decision. */
  #decide<R>(kind: string, origin: string, request: Record<string, unknown>, apply: () => R): R {
    const journal = this.#journal();
    return this.#record(journal, kind, origin, request, apply());
  }

  /** As #decide, for a change that takes time (a worker loading a strategy); journalled once done. */
  async #decideAsync<R>(kind: string, origin: string, request: Record<string, unknown>, apply: () => Promise<R>): Promise<R> {
    const journal = this.#journal();
    return this.#record(journal, kind, origin, request, await apply());
  }

  #record<R>(journal: AuditJournal, kind: string, origin: string, request: Record<string, unknown>, result: R): R {
    journal.recordDecision(`control.${kind}`, this.#engine.clock.now(), { origin, ...request, result });
    this.#log?.info({ decision: kind, origin, ...request }, `control: ${kind}`);
    return result;
  }

  #store() {
    if (!SERVING.has(this.#engine.state.lifecycle.state)) throw this.#unavailable('state');
    return this.#engine.state.store;
  }

  #journal() {
    if (!SERVING.has(this.#engine.audit.lifecycle.state)) throw this.#unavailable('audit');
    return this.#engine.audit.journal;
  }

  #unavailable(component: string): ControlError {
    return new ControlError('UNAVAILABLE', `the ${component} component is not running; try again once the engine is running`, { component });
  }
}
