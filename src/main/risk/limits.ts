import { type Decimal, dec } from '../../core/decimal.js';
import type { InstrumentId } from '../../core/types.js';
import type { RiskLimitsSnapshot } from '../../workers/risk/precheck.js';
import type { OspreyConfig, RiskLimits } from '../config/schema.js';

/**
 * The limits the gate enforces, in exact decimals. The config (`risk.limits`) gives one account's
 * limits; a scope (one strategy, one instrument) may tighten any of them, never loosen: the gate checks
 * every scope an intent falls in and the first breach denies it.
 */

/** Stable denial codes: operators and tests key on these, never on the reason text. */
export const DENIAL_CODES = [
  'TRADING_HALTED', 'TRADING_REDUCING', 'NOT_RECONCILED', 'VENUE_NOT_READY',
  'MAX_ORDER_SIZE', 'MAX_POSITION', 'MAX_NOTIONAL', 'MAX_LEVERAGE', 'PRICE_BAND', 'NO_MARK_PRICE',
  'ORDER_RATE', 'MAX_OPEN_ORDERS', 'NO_EQUITY', 'BOOK_TOO_THIN', 'NO_BOOK', 'INVALID_INTENT', 'REDUCE_ONLY_INCREASES',
] as const;
export type DenialCode = (typeof DENIAL_CODES)[number];

export interface ScopeLimits {
  /** Base units per order. */
  readonly maxOrderSize?: Decimal;
  /** Base units of position, long or short. The config has no such field; scopes may set it. */
  readonly maxPosition?: Decimal;
  /** Quote currency per instrument. */
  readonly maxPositionNotional?: Decimal;
  readonly maxOrdersPerSecond?: number;
  readonly maxOpenOrders?: number;
}

export interface AccountLimits extends ScopeLimits {
  readonly maxLeverage: Decimal;
  readonly priceBandBps: Decimal;
  readonly maxDailyLoss: Decimal;
  readonly maxDrawdownPct: Decimal;
}

export interface GateLimits {
  readonly account: AccountLimits;
  readonly strategies: Readonly<Record<string, ScopeLimits>>;
  readonly instruments: Readonly<Record<InstrumentId, ScopeLimits>>;
  /** After a daily-loss or drawdown halt, also close every position with reduce-only IOCs. */
  readonly flattenOnHalt: boolean;
}

/** Scope limits as an operator writes them (numbers or decimal text). */
export interface ScopeLimitsInput {
  readonly maxOrderSize?: number | string | undefined;
  readonly maxPosition?: number | string | undefined;
  readonly maxPositionNotional?: number | string | undefined;
  readonly maxOrdersPerSecond?: number | undefined;
  readonly maxOpenOrders?: number | undefined;
}

function scope(input: ScopeLimitsInput, where: string): ScopeLimits {
  const out: { -readonly [K in keyof ScopeLimits]: ScopeLimits[K] } = {};
  if (input.maxOrderSize !== undefined) out.maxOrderSize = dec(input.maxOrderSize, `${where}.maxOrderSize`);
  if (input.maxPosition !== undefined) out.maxPosition = dec(input.maxPosition, `${where}.maxPosition`);
  if (input.maxPositionNotional !== undefined) out.maxPositionNotional = dec(input.maxPositionNotional, `${where}.maxPositionNotional`);
  if (input.maxOrdersPerSecond !== undefined) out.maxOrdersPerSecond = input.maxOrdersPerSecond;
  if (input.maxOpenOrders !== undefined) out.maxOpenOrders = input.maxOpenOrders;
  return out;
}

/** Builds the gate's limits from one account entry of `risk.limits` plus optional narrower scopes. */
export function gateLimits(
  account: RiskLimits,
  options: {
    strategies?: Readonly<Record<string, ScopeLimitsInput>>;
    instruments?: Readonly<Record<InstrumentId, ScopeLimitsInput>>;
    flattenOnHalt?: boolean;
  } = {},
): GateLimits {
  const base = scope(account, 'risk.limits');
  return {
    account: {
      ...base,
      maxLeverage: dec(account.maxLeverage, 'risk.limits.maxLeverage'),
      priceBandBps: dec(account.priceBandBps, 'risk.limits.priceBandBps'),
      maxDailyLoss: dec(account.maxDailyLoss, 'risk.limits.maxDailyLoss'),
      maxDrawdownPct: dec(account.maxDrawdownPct, 'risk.limits.maxDrawdownPct'),
    },
    strategies: Object.fromEntries(Object.entries(options.strategies ?? {}).map(([id, s]) => [id, scope(s, `risk.strategies.${id}`)])),
    instruments: Object.fromEntries(Object.entries(options.instruments ?? {}).map(([id, s]) => [id, scope(s, `risk.instruments.${id}`)])),
    flattenOnHalt: options.flattenOnHalt ?? false,
  };
}

/**
 * The gate's limits for one account as configured: its `risk.limits` entry (`account`, passed apart
 * because an operator may have changed it at runtime), the strategy and instrument scopes of
 * `risk.strategies` / `risk.instruments` (a scope only matches its own strategy id or instrument id, so
 * every venue can be given all of them), and flatten-on-halt from the shutdown policy.
 */
export function configuredGateLimits(config: Pick<OspreyConfig, 'risk' | 'shutdown'>, account: RiskLimits): GateLimits {
  return gateLimits(account, { strategies: config.risk.strategies, instruments: config.risk.instruments, flattenOnHalt: config.shutdown.policy === 'flatten' });
}

/** What the workers' pre-check gets of an account's limits (src/workers/risk/precheck.ts). */
export function workerLimits(account: RiskLimits): RiskLimitsSnapshot {
  const base = { maxOrderSize: account.maxOrderSize, maxPositionNotional: account.maxPositionNotional, priceBandBps: account.priceBandBps };
  return account.maxPosition === undefined ? base : { ...base, maxPosition: account.maxPosition };
}

/** The tightest of several optional limits; undefined when no scope sets one. */
export function tightest<T extends Decimal | number>(values: readonly (T | undefined)[]): T | undefined {
  let best: T | undefined;
  for (const v of values) {
    if (v === undefined) continue;
    if (best === undefined || (typeof v === 'number' ? v < (best as number) : (v as Decimal).lt(best as Decimal))) best = v;
  }
  return best;
}

