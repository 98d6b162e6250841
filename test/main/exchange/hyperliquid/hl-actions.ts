import fc from 'fast-check';

/**
 * Generators for Hyperliquid L1 actions shaped like the ones ccxt 4.5.84 builds (hyperliquid.js
 * createOrdersRequest, cancelOrdersRequest, editOrdersRequest, setLeverage, ...), with the ranges and
 * oddities a signer could get wrong: long and short decimal strings, cloids, 64-bit order ids, negative
 * margins, optional builder, vaults in either case, nonces in and outside ccxt's u64 layout.
 */

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const decimal = fc
  .tuple(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99_999_999 }), fc.nat({ max: 8 }))
  .map(([whole, frac, digits]) => (digits === 0 ? String(whole) : `${whole}.${String(frac).padStart(8, '0').slice(0, digits)}`));
const asset = fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 10_000, max: 200_000 }));
const cloid = hex(16).map((h) => '0x' + h);
const oid = fc.oneof(fc.nat({ max: 1_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));

const orderType = fc.oneof(
  fc.constantFrom('Gtc', 'Ioc', 'Alo').map((tif) => ({ limit: { tif } })),
  fc.record({ isMarket: fc.boolean(), triggerPx: decimal, tpsl: fc.constantFrom('tp', 'sl') }).map((trigger) => ({ trigger })),
);

export const orderWire = fc
  .record({ a: asset, b: fc.boolean(), p: decimal, s: decimal, r: fc.boolean(), t: orderType, c: fc.option(cloid, { nil: undefined }) })
  // ccxt omits `c` when there is no client id; keep the key absent rather than undefined in half the cases.
  .chain((o) => fc.boolean().map((dropKey) => (dropKey && o.c === undefined ? withoutC(o) : o)));

function withoutC<T extends { c?: unknown }>(o: T): Omit<T, 'c'> {
  const { c: _c, ...rest } = o;
  return rest;
}

const builder = fc.record({ b: hex(20).map((h) => '0x' + h), f: fc.nat({ max: 100 }) });

const order = fc
  .record({ orders: fc.array(orderWire, { minLength: 1, maxLength: 20 }), grouping: fc.constantFrom('na', 'normalTpsl', 'positionTpsl'), builder: fc.option(builder, { nil: undefined }) })
  .map(({ orders, grouping, builder: b }) => (b === undefined ? { type: 'order', orders, grouping } : { type: 'order', orders, grouping, builder: b }));
const cancel = fc.array(fc.record({ a: asset, o: oid }), { minLength: 1, maxLength: 20 }).map((cancels) => ({ type: 'cancel', cancels }));
const cancelByCloid = fc.array(fc.record({ asset, cloid }), { minLength: 1, maxLength: 20 }).map((cancels) => ({ type: 'cancelByCloid', cancels }));
const modifyEntry = fc.record({ oid: fc.oneof(oid, cloid), order: orderWire });
const batchModify = fc.array(modifyEntry, { minLength: 1, maxLength: 17 }).map((modifies) => ({ type: 'batchModify', modifies }));
const modify = modifyEntry.map((m) => ({ type: 'modify', ...m }));
const updateLeverage = fc.record({ asset, isCross: fc.boolean(), leverage: fc.integer({ min: 1, max: 200 }) }).map((r) => ({ type: 'updateLeverage', ...r }));
const updateIsolatedMargin = fc
  .record({ asset, isBuy: fc.boolean(), ntli: fc.integer({ min: -1e15, max: 1e15 }) })
  .map((r) => ({ type: 'updateIsolatedMargin', ...r }));
const scheduleCancel = fc.option(fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }), { nil: undefined }).map((time) => (time === undefined ? { type: 'scheduleCancel' } : { type: 'scheduleCancel', time }));

export const l1Action = fc.oneof(
  { arbitrary: order, weight: 5 },
  { arbitrary: cancel, weight: 2 },
  { arbitrary: cancelByCloid, weight: 2 },
  { arbitrary: batchModify, weight: 2 },
  { arbitrary: modify, weight: 1 },
  { arbitrary: updateLeverage, weight: 1 },
  { arbitrary: updateIsolatedMargin, weight: 1 },
  { arbitrary: scheduleCancel, weight: 1 },
);

/** Millisecond nonces (ccxt's layout) mostly; some outside it, which must take ccxt's own path. */
export const nonce = fc.oneof(
  { arbitrary: fc.integer({ min: 1_600_000_000_000, max: 2_200_000_000_000 }), weight: 8 },
  { arbitrary: fc.constantFrom(2 ** 40, 2 ** 44 - 1), weight: 1 },
  { arbitrary: fc.oneof(fc.nat({ max: 2 ** 40 - 1 }), fc.integer({ min: 2 ** 44, max: Number.MAX_SAFE_INTEGER })), weight: 1 },
  { arbitrary: fc.integer({ min: 1_600_000_000_000, max: 2_200_000_000_000 }).map((n) => n + 0.5), weight: 1 },
);

/**
 * As ccxt passes it: 40 hex digits without 0x (formatVaultAddress strips it), any case; now and then
 * with the 0x left on or cut short, which ccxt does not strip inside signL1Action and we must not fix.
 */
export const vault = fc.option(
  hex(20).chain((h) => fc.constantFrom(h, h.toUpperCase(), h, '0x' + h, h.slice(2))),
  { nil: undefined, freq: 2 },
);
export const expiresAfter = fc.option(nonce, { nil: undefined, freq: 2 });
