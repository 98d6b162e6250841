import type { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { DecimalString } from '../../core/decimal.js';
import type { EventOf } from '../../core/events.js';
import type { Fill, InstrumentId, Order, OrderIntent, OrderStatus, Side } from '../../core/types.js';
import type { IndicatorFactory } from './indicators.js';
import type { OrderBuilder } from './orders.js';

/**
 * The strategy plug-in API. A strategy is a params schema plus a class with `on*` hooks; every hook takes
 * one context object and returns intents as data. A strategy never calls a venue, never touches state
 * storage and never reads the wall clock: the runner (runner.ts) carries its intents to the main thread,
 * and a backtest runs the very same class against a simulated clock.
 *
 * Bump STRATEGY_API_VERSION on any change that would break an existing strategy; the registry refuses a
 * definition built for another version rather than run it with hooks it does not expect.
 */
export const STRATEGY_API_VERSION = 1;

/** Place an order. `order.clientOrderId` is already assigned (deterministic per strategy, see orders.ts). */
export interface SubmitIntent {
  readonly kind: 'submit';
  readonly order: OrderIntent;
  /** True for post-only (ALO) orders, so the gate and the view can tell them apart from plain GTC limits. */
  readonly postOnly: boolean;
  /** For market orders: the bound, in basis points from the reference price, that `order.price` encodes. */
  readonly slippageBps?: number;
}

export interface CancelIntent {
  readonly kind: 'cancel';
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly clientOrderId: string;
}

/** Change price and/or size of a resting order; execution may carry it out as cancel-and-replace. */
export interface AmendIntent {
  readonly kind: 'amend';
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly clientOrderId: string;
  readonly price?: DecimalString;
  readonly size?: DecimalString;
}

export type StrategyIntent = SubmitIntent | CancelIntent | AmendIntent;

/** What a hook may return: intents, or nothing. */
export type HookResult = readonly StrategyIntent[] | void;

export interface StrategyLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** The strategy's own position on its instrument (fills of its own orders only), read-only. */
export interface PositionView {
  readonly instrument: InstrumentId;
  /** Signed base units, exact. */
  readonly size: DecimalString;
  /** The same as a double, for decisions; never accumulate it. */
  readonly qty: number;
  /** Average entry price, 0 when flat. */
  readonly entryPrice: number;
  /** When the current position was opened (clock ms), undefined when flat. */
  readonly openedAt: number | undefined;
}

/** One of the strategy's orders that is not final yet, including intents not acknowledged yet ('pending'). */
export interface OrderView {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly price: number;
  /** Size still open (ordered minus filled). */
  readonly remaining: number;
  readonly status: OrderStatus;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
}

/** Last prices seen on the strategy's instrument; undefined until the first such event. */
export interface MarketView {
  readonly bid: number | undefined;
  readonly ask: number | undefined;
  readonly last: number | undefined;
  /** Mid of bid and ask when both are known, else the last trade or bar close. */
  readonly reference: number | undefined;
}

/** The one object every hook gets. The views are shared and cached between events: read them, never write them. */
export interface StrategyContext<P = unknown> {
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly params: Readonly<P>;
  readonly clock: Clock;
  readonly log: StrategyLogger;
  readonly indicators: IndicatorFactory;
  readonly position: PositionView;
  readonly openOrders: readonly OrderView[];
  readonly market: MarketView;
  /** Builds intents with the configured order type, sizing and rounding. */
  readonly orders: OrderBuilder;
}

/**
 * The hooks. All are optional and synchronous: a strategy's events are delivered one at a time, in order,
 * and a hook that awaited would let the next event overtake it. Anything thrown becomes a StrategyError
 * (STRATEGY_FAILED) for that event; the strategy keeps running.
 */
export interface Strategy<P = unknown> {
  onStart?(ctx: StrategyContext<P>): HookResult;
  onBook?(ctx: StrategyContext<P>, event: EventOf<'market.book'> | EventOf<'market.quote'>): HookResult;
  onTrade?(ctx: StrategyContext<P>, event: EventOf<'market.trade'>): HookResult;
  onBar?(ctx: StrategyContext<P>, event: EventOf<'market.bar'>): HookResult;
  onFill?(ctx: StrategyContext<P>, fill: Fill): HookResult;
  onOrderUpdate?(ctx: StrategyContext<P>, order: Order): HookResult;
  /** Every `timerMs` of event time (see StrategyDefinition.timerMs). */
  onTimer?(ctx: StrategyContext<P>, now: number): HookResult;
  onStop?(ctx: StrategyContext<P>): HookResult;
  /** Indicator and decision state to persist; must be JSON. Restored into a fresh instance by `restore`. */
  snapshot?(): unknown;
  restore?(data: unknown): void;
}

export interface StrategyInit<P> {
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly params: Readonly<P>;
  readonly indicators: IndicatorFactory;
}

export interface StrategyDefinition<P = unknown> {
  readonly apiVersion: number;
  /** The name configs use (`strategies[].name`). */
  readonly name: string;
  readonly description: string;
  /** Validates and defaults `strategies[].params`; its errors name the key. */
  readonly params: z.ZodType<P>;
  /** Param keys that may change while running (`strategies.params.set`); others need a reload. */
  readonly updatable: readonly string[];
  /** Period of onTimer in ms of event time; undefined: no timer. */
  readonly timerMs?: number;
  create(init: StrategyInit<P>): Strategy<P>;
}

/** Identity with inference, so a strategy file states its params type once (in the schema). */
export function defineStrategy<S extends z.ZodType>(
  definition: Omit<StrategyDefinition<z.output<S>>, 'apiVersion' | 'params'> & { readonly params: S },
): StrategyDefinition<z.output<S>> {
  return { ...definition, apiVersion: STRATEGY_API_VERSION } as StrategyDefinition<z.output<S>>;
}
