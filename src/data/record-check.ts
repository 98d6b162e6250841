import { ValidationError } from '../core/errors.js';

/** Non-negative decimal text as the venues and the candle files write it: "61800.20", "0.000", "105055". */
const DECIMAL_TEXT = /^\d+(?:\.\d+)?$/;

/**
 * Checks one record of a recorded data file and reports problems as ValidationErrors that name the
 * file, the 1-based line and the field, so a broken fixture is found without a debugger. Used by the
 * readers only; the live decoders use cheaper inline checks.
 */
export class RecordCheck {
  constructor(
    readonly file: string,
    readonly lineNo: number,
  ) {}

  fail(field: string, message: string): never {
    const where = field === '' ? '' : ` ${field}:`;
    throw new ValidationError(`${this.file} line ${this.lineNo}:${where} ${message}`, { file: this.file, line: this.lineNo, field });
  }

  json(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      return this.fail('', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, `expected an object, got ${describeValue(value)}`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `expected an array, got ${describeValue(value)}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, `expected a string, got ${describeValue(value)}`);
    return value;
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, `expected a boolean, got ${describeValue(value)}`);
    return value;
  }

  /** A non-negative safe integer: ids, counts, epoch milliseconds. */
  integer(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail(field, `expected a non-negative integer, got ${describeValue(value)}`);
    return value;
  }

  /** Non-negative decimal text, returned unchanged so readers keep the venue's exact string. */
  decimal(value: unknown, field: string): string {
    if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) this.fail(field, `expected a non-negative decimal string, got ${describeValue(value)}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describeValue(value)}`);
    }
    return value as T;
  }

  /** `[price, qty]` pairs of decimal strings (Binance depth levels). */
  pairs(value: unknown, field: string): [string, string][] {
    const rows = this.array(value, field);
    for (let i = 0; i < rows.length; i++) {
      const row = this.array(rows[i], `${field}[${i}]`);
      if (row.length !== 2) this.fail(`${field}[${i}]`, `expected [price, qty], got ${row.length} elements`);
      this.decimal(row[0], `${field}[${i}][0]`);
      this.decimal(row[1], `${field}[${i}][1]`);
    }
    return rows as [string, string][];
  }
}

/** A short description of a bad value for an error message; never the whole value (it may be huge). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
