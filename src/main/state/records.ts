import type { Balance, Fill, Order, OrderIntent, Position } from '../../core/types.js';
import { isOrderStatus } from './order-transitions.js';

/**
 * Shape checks for every record the store keeps, used twice: before a write (so nothing malformed ever
 * reaches disk) and on load (so a damaged file is reported, not half-trusted). Each returns the list of
 * problems, empty when the record is well-formed, and never throws.
 *
 * The `store*` functions copy exactly the declared fields, so a caller's extra properties (or a class
 * instance) never leak into storage and a reloaded record deep-equals the one written.
 */

type Sign = 'positive' | 'non-negative' | 'any';
type Checker = (record: Record<string, unknown>, problems: string[]) => void;

const VENUES = ['hyperliquid', 'binance', 'bybit', 'sim'] as const;

function text(field: string): Checker {
  return (r, p) => {
    if (typeof r[field] !== 'string' || r[field] === '') p.push(`${field} must be a non-empty string`);
  };
}

function optionalText(field: string): Checker {
  return (r, p) => {
    if (field in r && typeof r[field] !== 'string') p.push(`${field} must be a string when present`);
  };
}

function oneOf(field: string, allowed: readonly string[]): Checker {
  return (r, p) => {
    if (typeof r[field] !== 'string' || !allowed.includes(r[field])) p.push(`${field} must be one of ${allowed.join(', ')}`);
  };
}

/** The grammar `dec()` in core/decimal.ts accepts; repeated here so a check allocates no Decimal. */
const DECIMAL_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NON_ZERO_DIGIT = /[1-9]/;

/** -1, 0 or 1 for well-formed decimal text, undefined otherwise. Hot: runs on every field of every write. */
export function decimalSign(text: string): -1 | 0 | 1 | undefined {
  if (!DECIMAL_TEXT.test(text)) return undefined;
  const exponentAt = text.search(/[eE]/);
  if (!NON_ZERO_DIGIT.test(exponentAt < 0 ? text : text.slice(0, exponentAt))) return 0;
  return text.charCodeAt(0) === 45 /* '-' */ ? -1 : 1;
}

function decimal(field: string, sign: Sign): Checker {
  return (r, p) => {
    const value = r[field];
    const s = typeof value === 'string' ? decimalSign(value) : undefined;
    if (s === undefined) p.push(`${field} must be a decimal string, got ${JSON.stringify(typeof value === 'string' ? value.slice(0, 40) : value)}`);
    else if (sign === 'positive' && s <= 0) p.push(`${field} must be positive, got ${String(value)}`);
    else if (sign === 'non-negative' && s < 0) p.push(`${field} must not be negative, got ${String(value)}`);
  };
}

function timestamp(field: string): Checker {
  return (r, p) => {
    const value = r[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) p.push(`${field} must be a non-negative finite number of ms`);
  };
}

function flag(field: string): Checker {
  return (r, p) => {
    if (typeof r[field] !== 'boolean') p.push(`${field} must be a boolean`);
  };
}

function check(value: unknown, checkers: readonly Checker[]): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['record must be an object'];
  const problems: string[] = [];
  for (const c of checkers) c(value as Record<string, unknown>, problems);
  return problems;
}

const INTENT_FIELDS: readonly Checker[] = [
  text('clientOrderId'), text('strategyId'), text('instrument'),
  oneOf('side', ['buy', 'sell']), oneOf('type', ['limit', 'market']),
  decimal('size', 'positive'), decimal('price', 'positive'),
  oneOf('timeInForce', ['GTC', 'IOC', 'ALO']), flag('reduceOnly'), timestamp('createdAt'),
];

const ORDER_FIELDS: readonly Checker[] = [
  ...INTENT_FIELDS,
  (r, p) => {
    if (!isOrderStatus(r['status'])) p.push(`status ${JSON.stringify(r['status'])} is not an order status`);
  },
  optionalText('venueOrderId'), decimal('filledSize', 'non-negative'), decimal('avgFillPrice', 'non-negative'),
  timestamp('updatedAt'), optionalText('reason'),
];

const FILL_FIELDS: readonly Checker[] = [
  oneOf('venue', VENUES), text('instrument'), text('venueTradeId'), text('venueOrderId'), optionalText('clientOrderId'),
  oneOf('side', ['buy', 'sell']), decimal('price', 'positive'), decimal('size', 'positive'), decimal('fee', 'any'),
  text('feeCurrency'), oneOf('liquidity', ['maker', 'taker']), timestamp('ts'),
];

const POSITION_FIELDS: readonly Checker[] = [
  text('instrument'), decimal('size', 'any'), decimal('cost', 'any'), decimal('realisedPnl', 'any'), decimal('fees', 'any'),
  timestamp('updatedAt'),
];

const BALANCE_FIELDS: readonly Checker[] = [
  oneOf('venue', VENUES), text('asset'), decimal('total', 'any'), decimal('available', 'any'), timestamp('updatedAt'),
];

export const intentProblems = (value: unknown): string[] => check(value, INTENT_FIELDS);
export const orderProblems = (value: unknown): string[] => check(value, ORDER_FIELDS);
export const fillProblems = (value: unknown): string[] => check(value, FILL_FIELDS);
export const positionProblems = (value: unknown): string[] => check(value, POSITION_FIELDS);
export const balanceProblems = (value: unknown): string[] => check(value, BALANCE_FIELDS);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// The copies below assign optional fields after the fact instead of using conditional spreads, which
// measured ~10x slower (every spread shape is a new hidden class) on a path that runs for every record.

/** The order an intent becomes when it is written ahead: pending, nothing filled. */
export function orderFromIntent(i: OrderIntent): Order {
  return {
    clientOrderId: i.clientOrderId, strategyId: i.strategyId, instrument: i.instrument, side: i.side, type: i.type,
    size: i.size, price: i.price, timeInForce: i.timeInForce, reduceOnly: i.reduceOnly, createdAt: i.createdAt,
    status: 'pending', filledSize: '0', avgFillPrice: '0', updatedAt: i.createdAt,
  };
}

export function storeOrder(o: Order): Order {
  const out: Mutable<Order> = {
    clientOrderId: o.clientOrderId, strategyId: o.strategyId, instrument: o.instrument, side: o.side, type: o.type,
    size: o.size, price: o.price, timeInForce: o.timeInForce, reduceOnly: o.reduceOnly, createdAt: o.createdAt,
    status: o.status, filledSize: o.filledSize, avgFillPrice: o.avgFillPrice, updatedAt: o.updatedAt,
  };
  if (o.venueOrderId !== undefined) out.venueOrderId = o.venueOrderId;
  if (o.reason !== undefined) out.reason = o.reason;
  return out;
}

export function storeFill(f: Fill): Fill {
  const out: Mutable<Fill> = {
    venue: f.venue, instrument: f.instrument, venueTradeId: f.venueTradeId, venueOrderId: f.venueOrderId,
    side: f.side, price: f.price, size: f.size, fee: f.fee, feeCurrency: f.feeCurrency, liquidity: f.liquidity, ts: f.ts,
  };
  if (f.clientOrderId !== undefined) out.clientOrderId = f.clientOrderId;
  return out;
}

export function storeBalance(b: Balance): Balance {
  return { venue: b.venue, asset: b.asset, total: b.total, available: b.available, updatedAt: b.updatedAt };
}

/** Fields an order update may never change: they identify what was written ahead and sent. */
export const IMMUTABLE_ORDER_FIELDS = ['clientOrderId', 'strategyId', 'instrument', 'side', 'type', 'reduceOnly', 'createdAt'] as const;

export function changedImmutableFields(before: Order, after: Order): string[] {
  return IMMUTABLE_ORDER_FIELDS.filter((k) => before[k] !== after[k]);
}

export function sameOrder(a: Order, b: Order): boolean {
  return a.status === b.status && a.venueOrderId === b.venueOrderId && a.filledSize === b.filledSize
    && a.avgFillPrice === b.avgFillPrice && a.updatedAt === b.updatedAt && a.reason === b.reason
    && a.size === b.size && a.price === b.price && a.timeInForce === b.timeInForce
    && changedImmutableFields(a, b).length === 0;
}

export function samePosition(a: Position, b: Position): boolean {
  return a.instrument === b.instrument && a.size === b.size && a.cost === b.cost && a.realisedPnl === b.realisedPnl
    && a.fees === b.fees && a.updatedAt === b.updatedAt;
}
