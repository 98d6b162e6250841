import fc from 'fast-check';

/**
 * What the frame fuzz sends. Text frames cover broken and hostile JSON-RPC; the other kinds are
 * binary frames, frames over the size limit, WebSocket clients that vanish right after sending, and
 * HTTP clients that vanish mid-body.
 */
export type FuzzCase =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'oversized'; extra: number }
  | { kind: 'disconnect'; text: string }
  | { kind: 'httpAbort'; declared: number; sent: number };

/** Numbers JSON can write but a double cannot hold, or only as Infinity or 0. */
const HUGE_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890', '1.7976931348623157e309', `0.${'0'.repeat(400)}1`, '-0', '9007199254740993'];

const text = (t: fc.Arbitrary<string>): fc.Arbitrary<FuzzCase> => t.map((s) => ({ kind: 'text', text: s }));

export function frameArbitrary(methods: readonly string[]): fc.Arbitrary<FuzzCase> {
  const method = fc.oneof(fc.constantFrom(...methods), fc.string({ maxLength: 24 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'));
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.constant(null), fc.double(), fc.jsonValue({ maxDepth: 2 }), fc.string({ minLength: 257, maxLength: 400 }));
  const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 }));
  const request = fc.record(
    { jsonrpc: fc.oneof({ weight: 4, arbitrary: fc.constant('2.0') }, { weight: 1, arbitrary: fc.oneof(fc.constant('1.0'), fc.constant(2), anyValue) }), method: fc.oneof({ weight: 5, arbitrary: method }, { weight: 1, arbitrary: anyValue }), id, params: anyValue },
    { requiredKeys: [] },
  );
  const wellFormed = fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), method: fc.constantFrom(...methods), params: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })) });
  const minimal = JSON.stringify({ jsonrpc: '2.0', method: 'engine.status', id: 1 });

  return fc.oneof(
    { weight: 10, arbitrary: text(request.map((r) => JSON.stringify(r) ?? 'undefined')) },
    { weight: 10, arbitrary: text(wellFormed.map((r) => JSON.stringify(r))) },
    { weight: 6, arbitrary: text(fc.string({ maxLength: 200 })) },
    { weight: 4, arbitrary: text(fc.tuple(wellFormed, fc.nat()).map(([r, n]) => { const s = JSON.stringify(r); return s.slice(0, n % s.length); })) },
    { weight: 4, arbitrary: text(fc.tuple(fc.constantFrom(...HUGE_NUMBERS), fc.constantFrom('id', 'params')).map(([n, at]) => (at === 'id' ? `{"jsonrpc":"2.0","method":"engine.status","id":${n}}` : `{"jsonrpc":"2.0","method":"risk.limits.set","params":{"account":"sim","limits":{"maxLeverage":${n}}},"id":1}`))) },
    { weight: 3, arbitrary: text(fc.integer({ min: 10, max: 100_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`)) },
    { weight: 3, arbitrary: text(fc.integer({ min: 20, max: 50_000 }).map((n) => `{"jsonrpc":"2.0","method":"strategies.params.set","params":{"id":"sma-btc","params":{"fast":${'['.repeat(n)}1${']'.repeat(n)}}},"id":1}`)) },
    { weight: 6, arbitrary: text(fc.array(fc.oneof(request, wellFormed), { maxLength: 120 }).map((items) => JSON.stringify(items))) },
    { weight: 1, arbitrary: text(fc.oneof(fc.constant(10_000), fc.integer({ min: 101, max: 10_000 })).map((n) => `[${Array.from({ length: n }, () => minimal).join(',')}]`)) },
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes): FuzzCase => ({ kind: 'binary', bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 4096 }).map((extra): FuzzCase => ({ kind: 'oversized', extra })) },
    { weight: 1, arbitrary: wellFormed.map((r): FuzzCase => ({ kind: 'disconnect', text: JSON.stringify(r) })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 10, max: 100_000 }), fc.nat(500)).map(([declared, sent]): FuzzCase => ({ kind: 'httpAbort', declared, sent: Math.min(sent, declared - 1) })) },
  );
}
