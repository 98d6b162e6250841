import fc from 'fast-check';
import { expect } from 'vitest';
import { ValidationError } from '../../../src/core/errors.js';
import type { OspreyEvent } from '../../../src/core/events.js';

/**
 * Random damage to real recorded venue messages, for fuzzing the decoders: text edits (truncation,
 * deletion, inserted JSON punctuation) that mostly break the syntax, and structural edits (a field
 * replaced by a hostile value, a key dropped) that keep valid JSON with wrong content.
 */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'drop'; at: number };

/** Values a hostile or buggy venue might send where a price, size, id or time belongs. */
const HOSTILE = ['-1', '-0.5', 'NaN', 'Infinity', '-Infinity', '', ' ', '0', '0.0', '1e999', '1e-400', '9'.repeat(400), '0x10', '.5', '1,5', -1, 0, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, null, true, [], {}, ['1', '2'], [['1']], 'BTC', 'ETH', 'B', 'A'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...'{}[]",:-.0e9 \\'), minLength: 1, maxLength: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 2 })) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }), weight: 2 },
);

/** Every (container, key) pair in a parsed JSON value, depth first. */
function slots(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([value, i]); slots(v, out); });
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) { out.push([value as Record<string, unknown>, k]); slots(v, out); }
  return out;
}

function apply(text: string, m: Mutation): string {
  if (m.kind === 'truncate') return text.slice(0, m.at % (text.length + 1));
  if (m.kind === 'delete') { const at = m.at % (text.length + 1); return text.slice(0, at) + text.slice(at + m.length); }
  if (m.kind === 'insert') { const at = m.at % (text.length + 1); return text.slice(0, at) + m.text + text.slice(at); }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const all = slots(parsed);
  if (all.length === 0) return text;
  const [container, key] = all[m.at % all.length]!;
  if (m.kind === 'replace') (container as Record<string | number, unknown>)[key] = m.value;
  else if (Array.isArray(container)) container.splice(key as number, 1);
  else delete container[key as string];
  return JSON.stringify(parsed);
}

/** A real line with one to four mutations applied. */
export function mutatedLine(lines: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...lines), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([line, ms]) => ms.reduce(apply, line));
}

/** Fails the test on an event no consumer should ever see. */
export function expectSaneMarketEvent(event: OspreyEvent, instruments: ReadonlySet<string>): void {
  expect(Number.isSafeInteger(event.tsEvent) && event.tsEvent > 0).toBe(true);
  if (event.type === 'market.trade') {
    expect(instruments.has(event.instrument)).toBe(true);
    expect(event.price > 0 && event.price < Infinity && event.size > 0 && event.size < Infinity).toBe(true);
  } else if (event.type === 'market.book') {
    expect(instruments.has(event.instrument)).toBe(true);
    for (const { price, size } of [...event.bids, ...event.asks]) {
      expect(price > 0 && price < Infinity && size >= 0 && size < Infinity && (!event.snapshot || size > 0)).toBe(true);
    }
  } else if (event.type === 'market.quote') {
    expect(instruments.has(event.instrument)).toBe(true);
    for (const n of [event.bidPrice, event.askPrice]) expect(n > 0 && n < Infinity).toBe(true);
    for (const n of [event.bidSize, event.askSize]) expect(n >= 0 && n < Infinity).toBe(true);
  } else {
    throw new Error(`decoder published ${event.type}`);
  }
}

/** Runs a decode; anything thrown other than a ValidationError fails the test. */
export function decodeOrReject(decode: () => number): 'decoded' | 'rejected' {
  try {
    expect(decode()).toBeGreaterThanOrEqual(0);
    return 'decoded';
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return 'rejected';
  }
}
