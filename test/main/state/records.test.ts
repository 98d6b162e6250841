import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/core/decimal.js';
import { decimalSign, fillProblems, orderFromIntent, orderProblems } from '../../../src/main/state/records.js';
import { fill, intent } from './fixtures.js';

/** What dec() in core says about a text: its sign, or undefined when it refuses it. */
function coreSign(text: string): -1 | 0 | 1 | undefined {
  try {
    const d = dec(text);
    return d.isZero() ? 0 : d.isNegative() ? -1 : 1;
  } catch {
    return undefined;
  }
}

describe('decimalSign (the allocation-free check used on every write)', () => {
  it('agrees with core dec() on edge cases', () => {
    for (const text of ['0', '-0', '0.000', '.5', '5.', '-1.5e3', '1e-5', '0e10', '-0.0e-3', '', '-', '1e', 'abc', ' 1', '+1', '1.2.3', '0x10', 'NaN', 'Infinity']) {
      expect(decimalSign(text), JSON.stringify(text)).toBe(coreSign(text));
    }
  });

  it('agrees with core dec() on generated decimal-like text', () => {
    const piece = fc.constantFrom('0', '1', '9', '.', '-', 'e', 'E', '+', '00', '5');
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), (text) => decimalSign(text) === coreSign(text)));
  });
});

describe('record checks', () => {
  it('accept what the builders make', () => {
    expect(orderProblems(orderFromIntent(intent('c-1')))).toEqual([]);
    expect(fillProblems(fill('t-1'))).toEqual([]);
  });

  it('name every broken field of a record', () => {
    const broken = { ...fill('t-1'), venue: 'ftx', size: '0', fee: 'free', ts: -1, clientOrderId: 7 };
    expect(fillProblems(broken)).toEqual([
      'venue must be one of hyperliquid, binance, bybit, sim',
      'clientOrderId must be a string when present',
      'size must be positive, got 0',
      'fee must be a decimal string, got "free"',
      'ts must be a non-negative finite number of ms',
    ]);
    expect(orderProblems(null)).toEqual(['record must be an object']);
  });
});
