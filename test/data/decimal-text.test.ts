import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalText } from '../../src/data/decimal-text.js';

describe('parseDecimalText', () => {
  it('equals Number() on every plain decimal, including ones past the exact fast path', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const plain = fc.tuple(digits(1, 20), fc.option(digits(1, 25), { nil: undefined })).map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
    fc.assert(
      fc.property(plain, (text) => {
        expect(Object.is(parseDecimalText(text), Number(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('round-trips venue prices and sizes exactly', () => {
    for (const [text, canonical] of [['105055.0', '105055'], ['61800.20', '61800.2'], ['0.00015', '0.00015'], ['0.000', '0'], ['606.675', '606.675'], ['3.03622', '3.03622']]) {
      expect(String(parseDecimalText(text!))).toBe(canonical);
    }
  });

  it('is NaN for anything that is not plain decimal text', () => {
    for (const text of ['', ' 1', '1 ', '-1', '+1', '1e5', '1E5', '0x10', '.5', '5.', '1.2.3', 'NaN', 'Infinity', '1,5', '١']) {
      expect(parseDecimalText(text), JSON.stringify(text)).toBeNaN();
    }
    expect(parseDecimalText(`${'9'.repeat(30)}x`)).toBeNaN();
  });
});
