import type { EventPayloads } from '../../core/events.js';
import type { InstrumentId } from '../../core/types.js';
import type { OrderView, SubmitIntent } from '../strategies/api.js';

/**
 * The worker-side risk pre-check: per order, against a snapshot of limits and positions sent by the
 * main thread. It exists to drop obviously bad intents before they cross the thread boundary; it is not
 * authoritative (the snapshot may be stale, and other strategies trade too), the main-thread gate is.
 * A denial carries a stable code at the start of its reason, plus the limit and the value that tripped it.
 */

export interface RiskLimitsSnapshot {
  /** Base units per order. */
  readonly maxOrderSize: number;
  /** Base units of position after the order (plus same-side open orders), long or short; optional. */
  readonly maxPosition?: number;
  /** Quote units, per instrument, of the position after the order (plus same-side open orders). */
  readonly maxPositionNotional: number;
  /** How far (bps) a limit price may be from the reference price. */
  readonly priceBandBps: number;
  /** Account positions by instrument (signed base units), when the main thread sent them. */
  readonly positions?: Readonly<Record<InstrumentId, string>>;
}

export type RiskDenial = EventPayloads['risk.denied'];

/** The same codes the main-thread gate uses for these limits (src/main/risk/limits.ts), so one list serves operators. */
export type DenialCode = 'MAX_ORDER_SIZE' | 'MAX_POSITION' | 'MAX_NOTIONAL' | 'PRICE_BAND' | 'NO_MARK_PRICE';

export interface PrecheckView {
  /** The strategy's own position (signed base units). */
  readonly position: string;
  /** Mid or last price; undefined before any market data. */
  readonly reference: number | undefined;
  readonly openOrders: Iterable<OrderView>;
}

function deny(intent: SubmitIntent, code: DenialCode, what: string, limit: number, value: number): RiskDenial {
  const v = String(Number(value.toPrecision(12)));
  return { code, reason: `${code}: ${what} ${v} exceeds ${limit}`, strategyId: intent.order.strategyId, instrument: intent.order.instrument, limit: String(limit), value: v };
}

/**
 * The first limit `intent` breaks, or undefined. Order: size, price band, position, then notional.
 * In doubles, on purpose: this is a filter on a snapshot that only compares (nothing accumulates), a
 * relative error of 1e-16 cannot matter against limits set in whole units, and decimal arithmetic
 * here cost more than the strategy itself (bench `latency`). The authoritative gate is exact.
 */
export function precheck(intent: SubmitIntent, limits: RiskLimitsSnapshot, view: PrecheckView): RiskDenial | undefined {
  const order = intent.order;
  const size = Number(order.size);
  if (size > limits.maxOrderSize) return deny(intent, 'MAX_ORDER_SIZE', 'order size', limits.maxOrderSize, size);
  const ref = view.reference;
  if (ref === undefined || !(ref > 0)) {
    return { code: 'NO_MARK_PRICE', reason: 'NO_MARK_PRICE: no market price yet to check the order against', strategyId: order.strategyId, instrument: order.instrument, limit: String(limits.priceBandBps), value: 'none' };
  }
  const bandBps = (Math.abs(Number(order.price) - ref) / ref) * 10_000;
  if (bandBps > limits.priceBandBps) return deny(intent, 'PRICE_BAND', 'price distance from reference (bps)', limits.priceBandBps, bandBps);
  if (order.reduceOnly) return undefined; // a reduce-only order cannot grow exposure
  const sign = order.side === 'buy' ? 1 : -1;
  // Same-side open orders may all fill: count them, so a strategy cannot creep past the limit in slices.
  let pending = 0;
  for (const o of view.openOrders) if (o.side === order.side && !o.reduceOnly) pending += o.remaining;
  // The account position includes every strategy's on this instrument: prefer it when the main thread sent it.
  const account = limits.positions?.[order.instrument];
  const after = Number(account ?? view.position) + sign * (size + pending);
  if (limits.maxPosition !== undefined && Math.abs(after) > limits.maxPosition) return deny(intent, 'MAX_POSITION', 'position after the order', limits.maxPosition, Math.abs(after));
  const notional = Math.abs(after) * ref;
  if (notional > limits.maxPositionNotional) return deny(intent, 'MAX_NOTIONAL', 'position notional after the order', limits.maxPositionNotional, notional);
  return undefined;
}
