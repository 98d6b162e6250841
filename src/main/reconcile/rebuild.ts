import { Decimal, ZERO, str } from '../../core/decimal.js';
import type { InstrumentId } from '../../core/types.js';
import { EXTERNAL_STRATEGY, type PositionReport } from '../exchange/adapter.js';
import type { ExposureBook } from '../risk/exposure.js';
import type { StateStore } from '../state/store.js';

/**
 * Rebuilds the gate's exposure from the store after a restart: each strategy's position from the fills
 * of its orders, and a reservation for what every open order may still fill. The store is the source;
 * nothing here is invented. A reservation counts as already filled exactly the fills the store holds for
 * the order (not the order's filled size, which may run ahead of its fills), so each later fill moves
 * size from reservation to position once. Synchronous on purpose: callers run it when no store write
 * is in flight, and nothing can interleave.
 */
export function rebuildExposure(store: StateStore, exposure: ExposureBook): void {
  exposure.clear();
  const positions = new Map<string, { strategyId: string; instrument: InstrumentId; size: Decimal }>();
  const filledByOrder = new Map<string, Decimal>();
  for (const fill of store.fillsSince(0)) {
    if (fill.clientOrderId !== undefined) filledByOrder.set(fill.clientOrderId, (filledByOrder.get(fill.clientOrderId) ?? ZERO).plus(fill.size));
    const strategyId = (fill.clientOrderId === undefined ? undefined : store.getOrder(fill.clientOrderId)?.strategyId) ?? EXTERNAL_STRATEGY;
    const k = `${strategyId}\u0000${fill.instrument}`;
    const entry = positions.get(k) ?? { strategyId, instrument: fill.instrument, size: ZERO };
    entry.size = fill.side === 'buy' ? entry.size.plus(fill.size) : entry.size.minus(fill.size);
    positions.set(k, entry);
  }
  for (const p of positions.values()) exposure.setPosition(p.strategyId, p.instrument, p.size);
  for (const order of store.openOrders()) {
    exposure.reserve(order.clientOrderId, order.strategyId, order.instrument, order.side, order.size, filledByOrder.get(order.clientOrderId) ?? ZERO);
  }
}

export interface PositionMismatch {
  readonly instrument: InstrumentId;
  readonly ours: string;
  readonly venue: string;
}

/**
 * Every instrument where the store's position size differs from the venue's, compared exactly. Spot
 * holdings are balances at the venue, not positions, so instruments `skip` names (spot) are left out.
 */
export function comparePositions(store: StateStore, venue: readonly PositionReport[], skip: (instrument: InstrumentId) => boolean = () => false): PositionMismatch[] {
  const theirs = new Map(venue.map((p) => [p.instrument, new Decimal(p.size)]));
  const ours = new Map(store.positions().map((p) => [p.instrument, new Decimal(p.size)]));
  const out: PositionMismatch[] = [];
  for (const instrument of new Set([...theirs.keys(), ...ours.keys()])) {
    if (skip(instrument)) continue;
    const a = ours.get(instrument) ?? ZERO;
    const b = theirs.get(instrument) ?? ZERO;
    if (!a.eq(b)) out.push({ instrument, ours: str(a), venue: str(b) });
  }
  return out;
}
