/** Exact powers of ten: every 10^k up to 10^22 is representable as a double. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Above this, `int * 10 + 9` could pass 2^53 and stop being exact. */
const EXACT_LIMIT = 9e14;

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * The double nearest to plain decimal text (`digits[.digits]`, as venues write prices and sizes), or
 * NaN for anything else: "", " 1", "-1", "+1", "1e5", "0x10", ".5", "5.", "Infinity".
 *
 * Why not Number(): it is the largest cost of decoding a book message after JSON.parse, and it
 * accepts more than venue text. The fast path reads the digits as an integer below 2^53 and divides by
 * 10^k with k <= 22; both operands are exact doubles and IEEE division rounds correctly, so the result
 * is exactly Number(text) (Clinger's fast path). Longer texts fall back to Number() after a format check.
 */
export function parseDecimalText(text: string): number {
  const length = text.length;
  let int = 0;
  let fractionDigits = -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (int >= EXACT_LIMIT) return parseSlow(text);
      int = int * 10 + (c - 48);
      if (fractionDigits >= 0) fractionDigits++;
    } else if (c === 46 && fractionDigits < 0 && i > 0 && i < length - 1) {
      fractionDigits = 0;
    } else {
      return Number.NaN;
    }
  }
  if (length === 0) return Number.NaN;
  if (fractionDigits <= 0) return int;
  return fractionDigits < POW10.length ? int / POW10[fractionDigits]! : parseSlow(text);
}

function parseSlow(text: string): number {
  return PLAIN_DECIMAL.test(text) ? Number(text) : Number.NaN;
}
