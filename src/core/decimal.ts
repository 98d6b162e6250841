import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The one decimal type for money and sizes. Precision is far above any venue's (prices and sizes carry
 * at most ~20 significant digits), so add, subtract and multiply are exact; only division rounds, and
 * callers that divide (average entry price) keep totals by subtraction so nothing drifts.
 */
export const Decimal = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;

/** A decimal carried as a canonical string: what crosses threads, LMDB and the wire. */
export type DecimalString = string;

export const ZERO = new Decimal(0);

const DECIMAL_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Parses a venue or config number; throws a TypeError naming `what` on anything not a finite decimal. */
export function dec(value: string | number | Decimal, what = 'value'): Decimal {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${what}: expected a finite number, got ${value}`);
    // String(value) is the shortest text that round-trips the double, i.e. what the venue sent.
    return new Decimal(String(value));
  }
  if (typeof value === 'string') {
    if (!DECIMAL_TEXT.test(value)) throw new TypeError(`${what}: expected a decimal string, got ${JSON.stringify(value.slice(0, 40))}`);
    return new Decimal(value);
  }
  return value;
}

/** Canonical text: no exponent, no trailing zeros ("0.0010" -> "0.001", "-0" -> "0"). */
export function str(value: Decimal): DecimalString {
  if (value.isZero()) return '0';
  return value.toFixed();
}

/** Sum of decimal strings without ever touching a binary float. */
export function sum(values: Iterable<DecimalString | Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
