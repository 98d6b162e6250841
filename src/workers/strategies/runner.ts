import type { Clock } from '../../core/clock.js';
import { ConfigError, StrategyError } from '../../core/errors.js';
import type { OspreyEvent } from '../../core/events.js';
import type { HookFailure, RunnerOutput, RunnerSnapshot, StrategySpec } from '../protocol.js';
import { precheck, type RiskLimitsSnapshot } from '../risk/precheck.js';
import type { HookResult, Strategy, StrategyContext, StrategyDefinition, StrategyIntent, StrategyLogger } from './api.js';
import { ExitTracker } from './exits.js';
import { indicators } from './indicators.js';
import { OrderBuilder } from './orders.js';
import { tradingParamsOf, type TradingParams } from './params.js';
import { parseParams } from './registry.js';
import { StrategyViews } from './views.js';

type HookName = 'onStart' | 'onBook' | 'onTrade' | 'onBar' | 'onFill' | 'onOrderUpdate' | 'onTimer' | 'onStop';

/**
 * Runs one strategy instance: keeps its views (position from its own fills, open orders, top of book),
 * calls its hooks with one context, turns anything thrown into a StrategyError for that event only,
 * applies configured exits and the risk pre-check, and returns intents as data. The same class runs in
 * a worker thread (worker.ts), in-thread (bench `inline`) and in backtests, so all three decide alike.
 */
export class StrategyRunner {
  #spec: StrategySpec;
  readonly #def: StrategyDefinition;
  readonly #clock: Clock;
  #params: Readonly<unknown>;
  /** Order and exit config out of the params, kept apart because every event reads it. */
  #trading: TradingParams;
  #strategy: Strategy;
  readonly #views: StrategyViews;
  readonly #exits = new ExitTracker();
  readonly #idPrefix: string;
  #seq = 0;
  #nextTimer: number | undefined;
  #out: RunnerOutput;
  readonly #ctx: StrategyContext;
  limits: RiskLimitsSnapshot | undefined;
  /** Nanoseconds spent in the risk pre-check since the owner last reset it (the `risk` latency stage). */
  riskNs = 0;

  constructor(definition: StrategyDefinition, spec: StrategySpec, clock: Clock) {
    this.#spec = spec;
    this.#def = definition;
    this.#clock = clock;
    this.#params = parseParams(definition, spec.strategyId, spec.params) as Readonly<unknown>;
    this.#trading = tradingParamsOf(this.#params);
    this.#views = new StrategyViews(spec.instrument, clock.now());
    // The clock at load makes ids unique across restarts; the counter makes them unique within one run.
    this.#idPrefix = `${spec.strategyId}-${clock.now().toString(36)}-`;
    this.#out = this.#emptyOutput();
    this.#ctx = this.#makeContext();
    this.#strategy = definition.create({ strategyId: spec.strategyId, instrument: spec.instrument, params: this.#params, indicators });
  }

  get spec(): StrategySpec {
    return this.#spec;
  }

  get params(): unknown {
    return this.#params;
  }

  start(): RunnerOutput {
    return this.#run('onStart', undefined);
  }

  stop(): RunnerOutput {
    return this.#run('onStop', undefined);
  }

  /** One event, in order. Market events of other instruments are ignored. */
  handle(event: OspreyEvent): RunnerOutput {
    switch (event.type) {
      case 'market.book':
        if (event.instrument !== this.spec.instrument) return this.#emptyOutput();
        this.#views.book(event.bids, event.asks, event.snapshot);
        return this.#run('onBook', event, true);
      case 'market.quote':
        if (event.instrument !== this.spec.instrument) return this.#emptyOutput();
        this.#views.quote(event.bidPrice, event.askPrice);
        return this.#run('onBook', event, true);
      case 'market.trade':
        if (event.instrument !== this.spec.instrument) return this.#emptyOutput();
        this.#views.last(event.price);
        return this.#run('onTrade', event, true);
      case 'market.bar':
        if (event.instrument !== this.spec.instrument) return this.#emptyOutput();
        if (event.closed) this.#views.last(event.close);
        return this.#run('onBar', event, true);
      case 'fill.received':
        this.#views.fill(event.fill);
        return this.#run('onFill', event.fill, false, true);
      case 'order.updated':
        this.#views.order(event.order);
        return this.#run('onOrderUpdate', event.order);
      default:
        return this.#emptyOutput();
    }
  }

  /** Changes params while running; only keys the strategy marked updatable. Throws ConfigError. */
  setParams(changes: Readonly<Record<string, unknown>>): void {
    const fixed = Object.keys(changes).filter((k) => !this.#def.updatable.includes(k));
    if (fixed.length > 0) throw new ConfigError(fixed.map((k) => ({ path: `strategies.${this.spec.strategyId}.params.${k}`, message: 'not updatable at runtime; reload the strategy' })));
    const merged = { ...this.spec.params, ...changes };
    this.#params = parseParams(this.#def, this.spec.strategyId, merged) as Readonly<unknown>;
    this.#trading = tradingParamsOf(this.#params);
    this.#spec = { ...this.spec, params: merged };
  }

  snapshot(): RunnerSnapshot {
    return {
      name: this.spec.name,
      params: this.spec.params,
      position: this.#views.position,
      openedAt: this.#views.openedAt,
      orders: [...this.#views.allOrders()],
      exit: this.#exits.snapshot(),
      strategy: this.#strategy.snapshot?.(),
    };
  }

  /** Puts a snapshot back into this (fresh) runner. A strategy whose restore throws starts from empty state. */
  restore(snap: RunnerSnapshot): HookFailure | undefined {
    this.#views.restore(snap.position, snap.openedAt, snap.orders);
    this.#exits.restore(snap.exit);
    if (snap.strategy === undefined || this.#strategy.restore === undefined) return undefined;
    try {
      this.#strategy.restore(snap.strategy);
      return undefined;
    } catch (error) {
      this.#strategy = this.#def.create({ strategyId: this.spec.strategyId, instrument: this.spec.instrument, params: this.#params, indicators });
      return { code: 'STRATEGY_FAILED', hook: 'restore', message: this.#failure('restore', error).message };
    }
  }

  #run(hook: HookName, arg: unknown, priced = false, snapshot = false): RunnerOutput {
    const out = this.#emptyOutput();
    this.#out = out;
    this.#collect(hook, arg);
    if (priced) this.#afterPrice(out);
    if (snapshot) out.snapshot = this.snapshot();
    return out;
  }

  /** Exits and timers run on event time, after the strategy saw the price, so both see the same market. */
  #afterPrice(out: RunnerOutput): void {
    const now = this.#clock.now();
    const ref = this.#views.market().reference;
    const { exits } = this.#trading;
    if (ref !== undefined) {
      const reason = this.#exits.check(exits, this.#views.positionView(), ref, now);
      if (reason !== undefined && ![...this.#views.allOrders()].some((o) => o.reduceOnly)) {
        out.logs.push({ level: 'info', message: `exit: ${reason}`, fields: { position: this.#views.position.size, price: ref } });
        this.#accept(this.#ctx.orders.flatten());
      }
    }
    const timerMs = this.#def.timerMs;
    if (timerMs !== undefined && this.#strategy.onTimer !== undefined) {
      this.#nextTimer ??= now + timerMs;
      if (now >= this.#nextTimer) {
        this.#nextTimer = now + timerMs;
        this.#collect('onTimer', now);
      }
    }
  }

  /** Calls one hook with the context and its argument (none for start and stop): no closure per event. */
  #collect(hook: HookName, arg: unknown): void {
    const strategy = this.#strategy;
    const fn = strategy[hook] as ((ctx: StrategyContext, arg: unknown) => HookResult) | undefined;
    if (fn === undefined) return;
    let result: HookResult;
    try {
      result = fn.call(strategy, this.#ctx, arg);
      if (result !== undefined && !Array.isArray(result)) throw new TypeError(`${hook} returned ${typeof result}, expected an array of intents or nothing`);
    } catch (error) {
      const failure = this.#failure(hook, error);
      this.#out.errors.push({ code: 'STRATEGY_FAILED', hook, message: failure.message });
      return;
    }
    if (result !== undefined) this.#accept(result);
  }

  /** Risk pre-check, then the view learns of the intent at once so the next event sees it as pending. */
  #accept(intents: readonly StrategyIntent[]): void {
    // performance.now, not the injected clock: latency measurement, never an input to a decision. A
    // double rather than hrtime's BigInt, so timing the pre-check allocates nothing.
    const start = this.limits === undefined ? 0 : performance.now();
    for (const intent of intents) {
      const target = intent.kind === 'submit' ? intent.order : intent;
      if (target.strategyId !== this.spec.strategyId || target.instrument !== this.spec.instrument) {
        // A strategy trades only its configured instrument, under its own id: anything else is a bug in it.
        const message = `${this.spec.strategyId} returned an intent for ${target.strategyId} on ${target.instrument}; it may only trade ${this.spec.instrument}`;
        this.#out.errors.push({ code: 'STRATEGY_FAILED', hook: 'intent', message: new StrategyError(message, { strategyId: this.spec.strategyId, hook: 'intent' }).message });
        continue;
      }
      if (intent.kind === 'submit') {
        const views = this.#views;
        const denial = this.limits === undefined ? undefined : precheck(intent, this.limits, { position: views.position.size, reference: views.market().reference, openOrders: views.allOrders() });
        if (denial !== undefined) {
          this.#out.denials.push(denial);
          continue;
        }
        this.#views.submitted(intent);
      } else if (intent.kind === 'cancel') {
        this.#views.cancelling(intent.clientOrderId);
      }
      this.#out.intents.push(intent);
    }
    if (this.limits !== undefined) this.riskNs += Math.round((performance.now() - start) * 1e6);
  }

  #failure(hook: string, error: unknown): StrategyError {
    const message = error instanceof Error ? error.message : String(error);
    return new StrategyError(`${this.spec.strategyId}.${hook} threw: ${message}`, { strategyId: this.spec.strategyId, hook }, { cause: error });
  }

  #emptyOutput(): RunnerOutput {
    return { strategyId: this.spec.strategyId, intents: [], denials: [], errors: [], logs: [] };
  }

  #makeContext(): StrategyContext {
    const self = this;
    const log = (level: 'debug' | 'info' | 'warn') => (message: string, fields?: Record<string, unknown>) => {
      self.#out.logs.push(fields === undefined ? { level, message } : { level, message, fields });
    };
    const logger: StrategyLogger = { debug: log('debug'), info: log('info'), warn: log('warn') };
    const views = this.#views;
    const orders = new OrderBuilder({
      strategyId: this.spec.strategyId,
      instrument: this.spec.instrument,
      clock: this.#clock,
      config: () => self.#trading.order,
      market: () => views.market(),
      position: () => views.positionView(),
      openOrders: () => views.liveOrders(),
      nextId: () => `${self.#idPrefix}${(++self.#seq).toString(36)}`,
    });
    // Getters: each hook sees the views as they are when it reads them, without copying on every event.
    return {
      strategyId: this.spec.strategyId,
      instrument: this.spec.instrument,
      get params() {
        return self.#params;
      },
      clock: this.#clock,
      log: logger,
      indicators,
      get position() {
        return views.positionView();
      },
      get openOrders() {
        return views.liveOrders();
      },
      get market() {
        return views.market();
      },
      orders,
    };
  }
}
