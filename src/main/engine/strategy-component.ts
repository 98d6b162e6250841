import type { Logger } from 'pino';
import type { EventFactory } from '../../core/event-factory.js';
import type { Order } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import type { StrategyIntent } from '../../workers/strategies/api.js';
import type { EventBus } from '../bus/bus.js';
import type { OspreyConfig } from '../config/schema.js';
import type { Executor } from '../execution/executor.js';
import type { LatencyRegistry } from '../metrics/latency.js';
import type { StateStore } from '../state/store.js';
import { workerLimits } from '../risk/limits.js';
import { StrategyHost } from '../strategy-host/host.js';
import { BaseComponent } from './lifecycle.js';

export interface StrategyComponentOptions {
  readonly strategies: readonly OspreyConfig['strategies'][number][];
  readonly limits: OspreyConfig['risk']['limits'][string];
  readonly store: StateStore;
  readonly bus: EventBus;
  readonly events: EventFactory;
  readonly executor: Executor;
  readonly latency: LatencyRegistry;
  readonly log: Logger;
  /** True while the operator paused trading (engine.pause): new orders wait, cancels still go. */
  readonly paused: () => boolean;
  readonly onError: (error: unknown) => void;
}

/**
 * Runs the configured strategies on the worker threads and carries their intents out through the
 * executor, which passes each through the authoritative risk gate. Workers decide, the main thread acts.
 */
export class StrategyComponent extends BaseComponent {
  readonly #o: StrategyComponentOptions;
  #host: StrategyHost | undefined;
  #detach: (() => void) | undefined;
  #intentSeq = 0;

  constructor(options: StrategyComponentOptions) {
    super('strategies');
    this.#o = options;
  }

  get host(): StrategyHost | undefined {
    return this.#host;
  }

  protected async onStart(): Promise<void> {
    const o = this.#o;
    const host = await StrategyHost.start({
      store: o.store,
      onIntents: (strategyId, intents) => this.#carryOut(strategyId, intents),
      onDenials: (denials) => {
        for (const d of denials) o.log.info({ strategyId: d.strategyId, code: d.code, limit: d.limit, value: d.value }, `worker pre-check denied: ${d.reason}`);
      },
      onError: (error) => o.onError(error),
      onLog: (strategyId, entry) => o.log[entry.level]({ strategyId, ...entry.fields }, entry.message),
      recordLatency: (stage, micros) => o.latency.record(stage, micros),
    });
    this.#host = host;
    await host.setRiskLimits(workerLimits(o.limits));
    for (const s of o.strategies) {
      await host.load({ strategyId: s.id, name: s.name, instrument: s.instrument, params: s.params });
      o.log.info({ strategyId: s.id, name: s.name, instrument: s.instrument }, 'strategy loaded');
    }
    this.#detach = host.attach(o.bus);
  }

  protected async onStop(): Promise<void> {
    this.#detach?.();
    await this.#host?.stop();
  }

  #carryOut(strategyId: string, intents: readonly StrategyIntent[]): void {
    const { executor } = this.#o;
    for (const intent of intents) {
      if (intent.kind === 'submit') {
        if (this.#o.paused()) {
          this.#refuse(intent.order.clientOrderId, strategyId, intent.order, 'trading paused by the operator');
          continue;
        }
        // The executor stamps its own createdAt when it writes the intent ahead.
        const { clientOrderId, createdAt: _createdAt, ...fields } = intent.order;
        void executor.submit(withFields(fields, { clientOrderId, intentSeq: ++this.#intentSeq })).then(
          (outcome) => {
            if (outcome.kind === 'denied') this.#refuse(clientOrderId, strategyId, intent.order, `${outcome.denial.code}: ${outcome.denial.reason}`);
          },
          (error: unknown) => this.#o.onError(error),
        );
      } else if (intent.kind === 'cancel') {
        void executor.cancel(intent.clientOrderId).catch((error: unknown) => this.#o.onError(error));
      } else {
        const change = { ...(intent.price === undefined ? {} : { price: intent.price }), ...(intent.size === undefined ? {} : { size: intent.size }) };
        void executor.amend(intent.clientOrderId, change).catch((error: unknown) => this.#o.onError(error));
      }
    }
  }

  /**
   * A refused intent never reaches the venue or the store, so the strategy hears of it directly: an
   * order update with status rejected, delivered to its worker only (the bus carries the risk.denied).
   */
  #refuse(clientOrderId: string, strategyId: string, intent: Omit<Order, 'status' | 'filledSize' | 'avgFillPrice' | 'updatedAt'>, reason: string): void {
    const order: Order = withFields(intent, { clientOrderId, strategyId, status: 'rejected', filledSize: '0', avgFillPrice: '0', updatedAt: intent.createdAt, reason } as const);
    this.#host?.dispatch(this.#o.events.make('order.updated', { order }));
  }
}
