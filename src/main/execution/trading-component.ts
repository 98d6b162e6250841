import type { Clock } from '../../core/clock.js';
import { Decimal } from '../../core/decimal.js';
import type { TradingState } from '../../core/events.js';
import type { LatencySink } from '../../core/latency-stages.js';
import type { EventBus } from '../bus/bus.js';
import { BaseComponent } from '../engine/lifecycle.js';
import type { VenueAdapter } from '../exchange/adapter.js';
import { Reconciler, type ReconcileStatus } from '../reconcile/reconciler.js';
import type { UnknownOrderPolicy } from '../reconcile/orders.js';
import { EquitySource } from '../risk/equity.js';
import { RiskGate } from '../risk/gate.js';
import type { GateLimits } from '../risk/limits.js';
import { MarketPrices } from '../risk/marks.js';
import type { StateStore } from '../state/store.js';
import { Executor } from './executor.js';
import type { RetrySettings } from './sender.js';
import type { SlippageSettings } from './slippage.js';
import type { ThrottleSettings } from './throttle.js';

export interface TradingComponentOptions {
  /** Started by the engine before this component (its instruments and streams are needed). */
  readonly adapter: VenueAdapter;
  readonly store: StateStore;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly limits: GateLimits;
  /** What stop() does with open orders and positions (config `shutdown.policy`). */
  readonly shutdownPolicy: 'cancel-open-orders' | 'leave-open' | 'flatten';
  readonly reconcileIntervalMs?: number;
  readonly unknownOrders?: UnknownOrderPolicy;
  /** The balance asset whose total is the account value (Hyperliquid perps: "USDC"). */
  readonly equityAsset?: string;
  readonly throttle?: ThrottleSettings;
  readonly retry?: RetrySettings;
  readonly slippage?: SlippageSettings;
  readonly onError?: (error: unknown) => void;
  /** Per-stage latency sink for the executor's `gate` and `submit` stages. */
  readonly recordLatency?: LatencySink;
}

export interface TradingStatus {
  readonly lifecycle: string;
  readonly trading: TradingState;
  readonly tradingReason: string;
  readonly reconcile: ReconcileStatus;
  readonly equity?: string;
}

/**
 * Gate, executor and reconciliation for one venue account, as one engine component. Start: reconcile
 * (trading stays blocked with NOT_RECONCILED until that succeeds; the component is `degraded` with the
 * reason meanwhile), anchor equity on the venue's account value, then reconcile periodically. Stop:
 * applies the shutdown policy, then waits for sends in flight.
 */
export class TradingComponent extends BaseComponent {
  readonly prices: MarketPrices;
  readonly gate: RiskGate;
  readonly executor: Executor;
  readonly reconciler: Reconciler;
  readonly #options: TradingComponentOptions;
  readonly #equity: EquitySource;
  #anchored = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: TradingComponentOptions) {
    super(`trading.${options.adapter.venue}`);
    this.#options = options;
    const { adapter, store, bus, clock } = options;
    this.prices = new MarketPrices(bus);
    this.#equity = new EquitySource(store, this.prices);
    this.gate = new RiskGate({ bus, clock, limits: options.limits, prices: this.prices, equity: () => this.#equity.equity() });
    this.executor = new Executor({
      venue: adapter, store, gate: this.gate, bus, clock, prices: this.prices,
      ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.slippage === undefined ? {} : { slippage: options.slippage }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
      ...(options.recordLatency === undefined ? {} : { recordLatency: options.recordLatency }),
    });
    this.reconciler = new Reconciler({ venue: adapter, executor: this.executor, gate: this.gate, clock, ...(options.unknownOrders === undefined ? {} : { unknownOrders: options.unknownOrders }) });
    // Before any stream replays fills: reports about stored orders must map back to them from the first.
    this.reconciler.registerStoredOrders();
  }

  status(): TradingStatus {
    const equity = this.#equity.equity();
    return {
      lifecycle: this.lifecycle.state, trading: this.gate.trading.state, tradingReason: this.gate.trading.reason,
      reconcile: this.reconciler.status(), ...(equity === undefined ? {} : { equity: equity.toFixed() }),
    };
  }

  override async start(): Promise<void> {
    await super.start();
    this.#reflect(this.reconciler.status());
  }

  protected async onStart(): Promise<void> {
    this.executor.start();
    await this.#reconcile();
    this.#timer = setInterval(() => void this.#reconcile().then((s) => this.#reflect(s)), this.#options.reconcileIntervalMs ?? 30_000);
    this.#timer.unref();
  }

  protected async onStop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.reconciler.stop();
    const policy = this.#options.shutdownPolicy;
    if (policy !== 'leave-open') {
      // No new intents while shutting down; exits still pass when flattening.
      await this.gate.setTradingState('REDUCING', `shutdown (${policy})`);
      await this.executor.cancelAll();
      if (policy === 'flatten') await this.executor.flatten();
    }
    await this.executor.stop();
    this.prices.close();
  }

  async #reconcile(): Promise<ReconcileStatus> {
    const status = await this.reconciler.run();
    if (status.state === 'ok' && !this.#anchored) {
      try {
        const asset = this.#options.equityAsset ?? 'USDC';
        const balance = (await this.#options.adapter.fetchBalances()).find((b) => b.asset === asset);
        if (balance !== undefined) {
          this.#equity.anchor(new Decimal(balance.total));
          this.#anchored = true;
        }
      } catch {
        // Unanchored equity keeps new exposure refused (NO_EQUITY); the next periodic run tries again.
      }
    }
    return status;
  }

  /** Running while reconciled; degraded, with the reason, while trading is blocked on reconciliation. */
  #reflect(status: ReconcileStatus): void {
    const state = this.lifecycle.state;
    if (state !== 'running' && state !== 'degraded') return;
    if (status.state === 'ok') this.lifecycle.moveTo('running');
    else this.lifecycle.moveTo('degraded', status.reason);
  }
}
