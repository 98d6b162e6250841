import type { Decimal } from '../../core/decimal.js';
import { str } from '../../core/decimal.js';
import type { OrderIntent } from '../../core/types.js';
import { type ExposureView, worstCase } from './exposure.js';
import { type DenialCode, type GateLimits, type ScopeLimits, tightest } from './limits.js';

/**
 * The per-intent checks, as pure functions of the live picture the gate assembles. Each returns the
 * first breach with the limit and the value that tripped it, or undefined. Exposure checks deny only an
 * intent that makes things worse: one that leaves the worst case below the limit, or that does not grow
 * it (an exit after a mark move pushed notional over), passes, so exits are never blocked.
 */

export interface Denial {
  readonly code: DenialCode;
  readonly reason: string;
  readonly limit: string;
  readonly value: string;
}

export interface CheckInput {
  readonly intent: OrderIntent;
  readonly size: Decimal;
  readonly price: Decimal;
  readonly mark: Decimal | undefined;
  readonly strategy: ExposureView;
  readonly instrument: ExposureView;
  /** Worst-case gross notional of the account before and after this intent, and the equity it is levered on. */
  readonly gross: { readonly before: Decimal; readonly after: Decimal };
  readonly equity: Decimal | undefined;
  /** Orders passed in the last second, for the account and for this strategy. */
  readonly rate: { readonly account: number; readonly strategy: number };
  readonly openOrders: { readonly account: number; readonly strategy: number };
  readonly limits: GateLimits;
}

const deny = (code: DenialCode, reason: string, limit: Decimal | number, value: Decimal | number): Denial => ({
  code, reason, limit: typeof limit === 'number' ? String(limit) : str(limit), value: typeof value === 'number' ? String(value) : str(value),
});

function scopes(input: CheckInput): ScopeLimits[] {
  const { limits, intent } = input;
  return [limits.account, limits.strategies[intent.strategyId] ?? {}, limits.instruments[intent.instrument] ?? {}];
}

export function checkOrderSize(input: CheckInput): Denial | undefined {
  const max = tightest(scopes(input).map((s) => s.maxOrderSize));
  if (max !== undefined && input.size.gt(max)) return deny('MAX_ORDER_SIZE', `order size ${str(input.size)} exceeds ${str(max)}`, max, input.size);
  return undefined;
}

export function checkPriceBand(input: CheckInput): Denial | undefined {
  const band = input.limits.account.priceBandBps;
  if (input.mark === undefined || input.mark.lte(0)) return deny('NO_MARK_PRICE', `no mark price for ${input.intent.instrument}; the price band cannot be checked`, band, 0);
  const bps = input.price.minus(input.mark).abs().div(input.mark).times(10_000);
  if (bps.gt(band)) return deny('PRICE_BAND', `price ${str(input.price)} is ${bps.toDecimalPlaces(2).toFixed()} bps from mark ${str(input.mark)}`, band, bps.toDecimalPlaces(4));
  return undefined;
}

export function checkOrderRate(input: CheckInput): Denial | undefined {
  const account = input.limits.account.maxOrdersPerSecond;
  if (account !== undefined && input.rate.account + 1 > account) return deny('ORDER_RATE', `account order rate would exceed ${account}/s`, account, input.rate.account + 1);
  const strategy = input.limits.strategies[input.intent.strategyId]?.maxOrdersPerSecond;
  if (strategy !== undefined && input.rate.strategy + 1 > strategy) return deny('ORDER_RATE', `strategy ${input.intent.strategyId} order rate would exceed ${strategy}/s`, strategy, input.rate.strategy + 1);
  return undefined;
}

export function checkOpenOrders(input: CheckInput): Denial | undefined {
  const account = input.limits.account.maxOpenOrders;
  if (account !== undefined && input.openOrders.account + 1 > account) return deny('MAX_OPEN_ORDERS', `account would have ${input.openOrders.account + 1} open orders`, account, input.openOrders.account + 1);
  const strategy = input.limits.strategies[input.intent.strategyId]?.maxOpenOrders;
  if (strategy !== undefined && input.openOrders.strategy + 1 > strategy) {
    return deny('MAX_OPEN_ORDERS', `strategy ${input.intent.strategyId} would have ${input.openOrders.strategy + 1} open orders`, strategy, input.openOrders.strategy + 1);
  }
  return undefined;
}

/** Base-unit position, per strategy (strategy and account scopes) and per instrument (instrument and account scopes). */
export function checkPosition(input: CheckInput): Denial | undefined {
  const { limits, intent } = input;
  const perStrategy = tightest([limits.account.maxPosition, limits.strategies[intent.strategyId]?.maxPosition]);
  const perInstrument = tightest([limits.account.maxPosition, limits.instruments[intent.instrument]?.maxPosition]);
  for (const [max, view, what] of [[perStrategy, input.strategy, `strategy ${intent.strategyId}`], [perInstrument, input.instrument, intent.instrument]] as const) {
    if (max === undefined) continue;
    const { before, after } = worstCase(view, intent.side, input.size);
    if (after.gt(max) && after.gt(before)) return deny('MAX_POSITION', `${what} position could reach ${str(after)} if open orders fill`, max, after);
  }
  return undefined;
}

/** Quote notional of the instrument's worst-case position, valued at the worse of mark and order price. */
export function checkNotional(input: CheckInput): Denial | undefined {
  const max = tightest([input.limits.account.maxPositionNotional, input.limits.instruments[input.intent.instrument]?.maxPositionNotional]);
  if (max === undefined) return undefined;
  const px = input.mark === undefined || input.price.gt(input.mark) ? input.price : input.mark;
  const { before, after } = worstCase(input.instrument, input.intent.side, input.size);
  const value = after.times(px);
  if (value.gt(max) && after.gt(before)) return deny('MAX_NOTIONAL', `${input.intent.instrument} notional could reach ${str(value)}`, max, value);
  return undefined;
}

export function checkLeverage(input: CheckInput): Denial | undefined {
  const max = input.limits.account.maxLeverage;
  if (!input.gross.after.gt(input.gross.before)) return undefined;
  if (input.equity === undefined || input.equity.lte(0)) return deny('NO_EQUITY', 'account equity is unknown or not positive; new exposure refused', 0, input.equity ?? 0);
  const leverage = input.gross.after.div(input.equity);
  if (leverage.gt(max)) return deny('MAX_LEVERAGE', `leverage could reach ${leverage.toDecimalPlaces(4).toFixed()}x`, max, leverage.toDecimalPlaces(6));
  return undefined;
}

/** In the order the gate runs them: cheap, stateless checks first. */
export const INTENT_CHECKS: readonly ((input: CheckInput) => Denial | undefined)[] = [
  checkOrderSize, checkPriceBand, checkOrderRate, checkOpenOrders, checkPosition, checkNotional, checkLeverage,
];
