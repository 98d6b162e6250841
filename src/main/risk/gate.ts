import type { Clock } from '../../core/clock.js';
import { OspreyError } from '../../core/errors.js';
import { type Decimal, ZERO, dec, str } from '../../core/decimal.js';
import { EventFactory } from '../../core/event-factory.js';
import type { TradingState } from '../../core/events.js';
import type { InstrumentId, Order, OrderIntent } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import type { EventBus } from '../bus/bus.js';
import {
  type CheckInput, type Denial, INTENT_CHECKS, checkLeverage, checkNotional, checkOrderRate, checkOrderSize, checkPosition, checkPriceBand,
} from './checks.js';
import { ExposureBook, isReducing } from './exposure.js';
import type { GateLimits } from './limits.js';
import type { MarketPrices } from './marks.js';
import { PnlGuard } from './pnl-guard.js';
import { TradingStateMachine } from './trading-state.js';

export interface RiskGateOptions {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly limits: GateLimits;
  readonly prices: MarketPrices;
  /** Account equity marked to market, or undefined when unknown (then new exposure is refused). */
  readonly equity: () => Decimal | undefined;
}

/** What the gate asks of whoever can cancel and flatten (the executor), when it halts. */
export type HaltHandler = (flatten: boolean, reason: string) => Promise<void>;

const RATE_WINDOW_MS = 1_000;

/**
 * The authoritative risk gate on the main thread. `check` is synchronous and reserves the intent's size
 * in the same call that passes it, so two strategies whose intents arrive together are checked one after
 * the other against exposure that already includes the first: together they cannot breach a limit that
 * each respects alone. Every refusal is published as `risk.denied` with a stable code and the numbers.
 * Errors: none thrown for a refused intent; a refusal is an event (and the returned Denial).
 */
export class RiskGate {
  readonly exposure = new ExposureBook();
  readonly trading: TradingStateMachine;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #events: EventFactory;
  readonly #prices: MarketPrices;
  readonly #equity: () => Decimal | undefined;
  #limits: GateLimits;
  readonly #pnl: PnlGuard;
  readonly #passed: { at: number; strategyId: string }[] = [];
  #precondition: (() => Denial | undefined) | undefined;
  #onHalt: HaltHandler | undefined;
  #halting: Promise<void> | undefined;

  constructor(options: RiskGateOptions) {
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#events = new EventFactory(options.clock, 'rg');
    this.#prices = options.prices;
    this.#equity = options.equity;
    this.#limits = options.limits;
    this.#pnl = new PnlGuard(options.limits.account);
    this.trading = new TradingStateMachine(options.bus, options.clock);
    // A mark move changes unrealised PnL: loss limits are watched on marks too, not only on fills.
    options.bus.subscribe('market.mark', () => this.evaluatePnl(), 'risk.pnl');
  }

  get limits(): GateLimits {
    return this.#limits;
  }

  /** Runtime update (RPC `risk.limits.set`); applies to the next intent. The PnL baseline is kept. */
  setLimits(limits: GateLimits): void {
    this.#limits = limits;
    this.#pnl.setLimits(limits.account);
  }

  /** A condition outside risk that must hold to trade (reconciliation done, venue up). */
  setPrecondition(check: () => Denial | undefined): void {
    this.#precondition = check;
  }

  onHalt(handler: HaltHandler): void {
    this.#onHalt = handler;
  }

  /**
   * Passes (undefined, size reserved) or denies (the Denial, published). `flatten` marks the gate's own
   * exits after a halt: they pass in HALTED, but only when they can only reduce a position.
   */
  check(intent: OrderIntent, options: { flatten?: boolean } = {}): Denial | undefined {
    const denial = this.#evaluate(intent, options.flatten === true);
    if (denial !== undefined) {
      this.publishDenial(intent, denial);
      return denial;
    }
    this.exposure.reserve(intent.clientOrderId, intent.strategyId, intent.instrument, intent.side, intent.size);
    this.#passed.push({ at: this.#clock.now(), strategyId: intent.strategyId });
    return undefined;
  }

  /**
   * Checks an amendment of a resting order to `price` and `size`, against the same limits as a new
   * intent: order size and price band on the new values, order rate for the action, and exposure for
   * the size it adds (none when it shrinks). In REDUCING only amendments that do not grow the order pass.
   * Does not resize the reservation; the executor does, when it sends (growth) or on confirmation (shrink).
   */
  checkAmend(order: Order, price: Decimal, size: Decimal): Denial | undefined {
    const current = this.exposure.reservedSize(order.clientOrderId) ?? dec(order.size);
    const growth = size.minus(current);
    const probe: OrderIntent = { ...order, size: str(size), price: str(price) };
    const denial = this.#amendDenial(probe, price, size, growth);
    if (denial !== undefined) {
      this.publishDenial(order, denial);
      return denial;
    }
    this.#passed.push({ at: this.#clock.now(), strategyId: order.strategyId });
    return undefined;
  }

  #amendDenial(probe: OrderIntent, price: Decimal, size: Decimal, growth: Decimal): Denial | undefined {
    const state = this.trading.state;
    if (state === 'HALTED') return { code: 'TRADING_HALTED', reason: `trading is halted: ${this.trading.reason}`, limit: '0', value: '1' };
    if (state === 'REDUCING' && growth.gt(0)) return { code: 'TRADING_REDUCING', reason: `an amendment that grows an order: ${this.trading.reason}`, limit: '0', value: str(growth) };
    const pre = this.#precondition?.();
    if (pre !== undefined) return pre;
    const input = this.#input(probe, size, price, growth.gt(0) ? growth : ZERO);
    for (const check of [checkOrderSize, checkPriceBand, checkOrderRate]) {
      const denial = check({ ...input, size });
      if (denial !== undefined) return denial;
    }
    if (!growth.gt(0)) return undefined;
    for (const check of [checkPosition, checkNotional, checkLeverage]) {
      const denial = check(input);
      if (denial !== undefined) return denial;
    }
    return undefined;
  }

  /** Publishes a denial decided elsewhere (execution: book too thin) under the same event. */
  publishDenial(intent: Pick<OrderIntent, 'strategyId' | 'instrument'>, denial: Denial): void {
    this.#bus.publish(this.#events.make('risk.denied', withFields(denial, { strategyId: intent.strategyId, instrument: intent.instrument })));
  }

  /** Re-checks daily loss and drawdown; call on fills and mark changes. Halts on a breach. */
  evaluatePnl(): void {
    const equity = this.#equity();
    if (equity === undefined) return;
    const breach = this.#pnl.observe(equity, this.#clock.now());
    if (breach === undefined || this.trading.state === 'HALTED') return;
    this.halt(`${breach.code}: ${breach.reason}`).catch((error: unknown) => {
      // Trading is halted whatever happened; the failed cancel or flatten must reach an operator.
      const message = `halt could not cancel or flatten: ${error instanceof Error ? error.message : String(error)}`;
      const code = error instanceof OspreyError ? error.code : 'UNCLASSIFIED';
      this.#bus.publish(this.#events.make('engine.error', { source: 'risk.gate', code, message }));
    });
  }

  /** Halts trading, then cancels every open order and, if configured, flattens. Resolves when done. */
  halt(reason: string): Promise<void> {
    this.trading.set('HALTED', reason);
    const handler = this.#onHalt;
    if (handler === undefined) return Promise.resolve();
    this.#halting ??= handler(this.#limits.flattenOnHalt, reason).finally(() => {
      this.#halting = undefined;
    });
    return this.#halting;
  }

  setTradingState(to: TradingState, reason: string): Promise<void> {
    if (to === 'HALTED') return this.halt(reason);
    this.trading.set(to, reason);
    return Promise.resolve();
  }

  /** Gross worst-case notional of the account, optionally with one more order on one instrument. */
  grossNotional(extra?: { instrument: InstrumentId; side: 'buy' | 'sell'; size: Decimal }): Decimal {
    const instruments = new Set(this.exposure.instruments());
    if (extra !== undefined) instruments.add(extra.instrument);
    let total = ZERO;
    for (const instrument of instruments) {
      const view = this.exposure.ofInstrument(instrument);
      const mark = this.#prices.mark(instrument);
      if (mark === undefined) continue;
      let buy = view.position.plus(view.pendingBuy);
      let sell = view.position.minus(view.pendingSell);
      if (extra?.instrument === instrument) {
        if (extra.side === 'buy') buy = buy.plus(extra.size);
        else sell = sell.minus(extra.size);
      }
      total = total.plus((buy.abs().gt(sell.abs()) ? buy.abs() : sell.abs()).times(mark));
    }
    return total;
  }

  #evaluate(intent: OrderIntent, flatten: boolean): Denial | undefined {
    let size: Decimal;
    let price: Decimal;
    try {
      size = dec(intent.size, 'size');
      price = dec(intent.price, 'price');
    } catch (error) {
      return { code: 'INVALID_INTENT', reason: error instanceof Error ? error.message : String(error), limit: '0', value: '0' };
    }
    if (size.lte(0) || price.lte(0)) return { code: 'INVALID_INTENT', reason: 'size and price must be positive', limit: '0', value: str(size.lte(0) ? size : price) };
    const strategy = this.exposure.ofStrategy(intent.strategyId, intent.instrument);
    const instrument = this.exposure.ofInstrument(intent.instrument);
    const reducing = isReducing(instrument, intent.side, size) && isReducing(strategy, intent.side, size);
    const state = this.trading.state;
    if (state === 'HALTED' && !(flatten && reducing)) return { code: 'TRADING_HALTED', reason: `trading is halted: ${this.trading.reason}`, limit: '0', value: '1' };
    if (state === 'REDUCING' && !reducing) return { code: 'TRADING_REDUCING', reason: `only risk-reducing intents pass: ${this.trading.reason}`, limit: '0', value: str(size) };
    if (intent.reduceOnly && !reducing) {
      return { code: 'REDUCE_ONLY_INCREASES', reason: 'a reduce-only intent that could grow or flip the position if open orders fill', limit: str(instrument.position.abs()), value: str(size) };
    }
    const pre = this.#precondition?.();
    if (pre !== undefined) return pre;
    return this.#limitsDenial(intent, size, price);
  }

  /** The live picture one check runs on; `size` is what the intent would add to exposure. */
  #input(intent: OrderIntent, size: Decimal, price: Decimal, exposureSize: Decimal = size): CheckInput {
    const now = this.#clock.now();
    while (this.#passed.length > 0 && this.#passed[0]!.at <= now - RATE_WINDOW_MS) this.#passed.shift();
    return {
      intent, size: exposureSize, price, limits: this.#limits,
      strategy: this.exposure.ofStrategy(intent.strategyId, intent.instrument),
      instrument: this.exposure.ofInstrument(intent.instrument),
      mark: this.#prices.mark(intent.instrument),
      gross: { before: this.grossNotional(), after: this.grossNotional({ instrument: intent.instrument, side: intent.side, size: exposureSize }) },
      equity: this.#equity(),
      rate: { account: this.#passed.length, strategy: this.#passed.filter((p) => p.strategyId === intent.strategyId).length },
      openOrders: { account: this.exposure.openOrderCount(), strategy: this.exposure.openOrderCount(intent.strategyId) },
    };
  }

  #limitsDenial(intent: OrderIntent, size: Decimal, price: Decimal): Denial | undefined {
    const input = this.#input(intent, size, price);
    for (const check of INTENT_CHECKS) {
      const denial = check(input);
      if (denial !== undefined) return denial;
    }
    return undefined;
  }
}
