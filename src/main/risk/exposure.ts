import { Decimal, ZERO, dec } from '../../core/decimal.js';
import type { InstrumentId, Side } from '../../core/types.js';

/**
 * Live exposure as the gate sees it: filled positions per strategy and instrument, plus what every
 * open order could still add (its unfilled size: reserved when the gate passes it, moved into the
 * position as it fills, released when it is cancelled, rejected or expires). The gate checks the worst
 * case: the position if every open buy filled, and the position if every open sell filled. Any mix of
 * fills lands in between, so no interleaving of fills across strategies can breach a limit it checked.
 */

interface Reservation {
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly side: Side;
  /** Its size less what had filled when reserved; once final, what it filled since then. */
  cap: Decimal;
  /** Filled size already in the position when reserved (an open order rebuilt after a restart). */
  readonly base: Decimal;
  /** Filled size already moved into the position. */
  applied: Decimal;
  final: boolean;
}

const remaining = (r: Reservation): Decimal => Decimal.max(ZERO, r.cap.minus(r.applied));

/** Signed position and what open orders could add on each side. */
export interface ExposureView {
  readonly position: Decimal;
  readonly pendingBuy: Decimal;
  readonly pendingSell: Decimal;
}

const key = (strategyId: string, instrument: InstrumentId): string => `${strategyId}\u0000${instrument}`;

export class ExposureBook {
  /** Signed filled size per (strategy, instrument). */
  readonly #positions = new Map<string, Decimal>();
  readonly #reservations = new Map<string, Reservation>();

  /**
   * Reserves what an order may still fill: its size, less `alreadyFilled` when an open order that has
   * partly filled is rebuilt after a restart. A second reserve of the same id is ignored.
   */
  reserve(clientOrderId: string, strategyId: string, instrument: InstrumentId, side: Side, size: Decimal | string, alreadyFilled: Decimal | string = ZERO): void {
    if (this.#reservations.has(clientOrderId)) return;
    const base = dec(alreadyFilled, 'filled size');
    this.#reservations.set(clientOrderId, { strategyId, instrument, side, cap: dec(size, 'size').minus(base), base, applied: ZERO, final: false });
  }

  /** An amended open order: what it may still add follows its new size. Unknown or final orders are left alone. */
  resize(clientOrderId: string, size: Decimal | string): void {
    const r = this.#reservations.get(clientOrderId);
    if (r === undefined || r.final) return;
    r.cap = dec(size, 'size').minus(r.base);
  }

  /** Size the reservation of an open order was made for (its size), or undefined. */
  reservedSize(clientOrderId: string): Decimal | undefined {
    const r = this.#reservations.get(clientOrderId);
    return r === undefined || r.final ? undefined : r.cap.plus(r.base);
  }

  /** The order was never sent or the venue refused it: nothing of it can fill. */
  release(clientOrderId: string): void {
    this.#reservations.delete(clientOrderId);
  }

  /**
   * The order is final with `filledSize` filled. What it did not fill is released; what it filled but
   * whose fills have not been applied yet stays reserved until they are, because venues report "filled"
   * and the fills themselves on different channels, in either order.
   */
  finalize(clientOrderId: string, filledSize: Decimal | string): void {
    const r = this.#reservations.get(clientOrderId);
    if (r === undefined) return;
    r.cap = Decimal.min(r.cap, dec(filledSize, 'filled size').minus(r.base));
    r.final = true;
    if (r.applied.gte(r.cap)) this.#reservations.delete(clientOrderId);
  }

  /**
   * A fill, applied once per venue trade (the caller applies only fills the store recorded as new).
   * Moves size from the order's reservation into the strategy's position.
   */
  applyFill(strategyId: string, instrument: InstrumentId, side: Side, size: Decimal | string, clientOrderId?: string): void {
    const qty = dec(size, 'fill size');
    const k = key(strategyId, instrument);
    const signed = side === 'buy' ? qty : qty.neg();
    this.#positions.set(k, (this.#positions.get(k) ?? ZERO).plus(signed));
    if (clientOrderId === undefined) return;
    const reservation = this.#reservations.get(clientOrderId);
    if (reservation === undefined) return;
    reservation.applied = reservation.applied.plus(qty);
    if (reservation.final && reservation.applied.gte(reservation.cap)) this.#reservations.delete(clientOrderId);
  }

  /** Replaces a strategy's position outright (rebuilt from the store after a restart). */
  setPosition(strategyId: string, instrument: InstrumentId, size: Decimal): void {
    this.#positions.set(key(strategyId, instrument), size);
  }

  clear(): void {
    this.#positions.clear();
    this.#reservations.clear();
  }

  /** One strategy on one instrument. */
  ofStrategy(strategyId: string, instrument: InstrumentId): ExposureView {
    return this.#view((s, i) => s === strategyId && i === instrument);
  }

  /** Every strategy on one instrument: what the venue's position will be. */
  ofInstrument(instrument: InstrumentId): ExposureView {
    return this.#view((_s, i) => i === instrument);
  }

  instruments(): InstrumentId[] {
    const out = new Set<InstrumentId>();
    for (const k of this.#positions.keys()) out.add(k.split('\u0000')[1]!);
    for (const r of this.#reservations.values()) out.add(r.instrument);
    return [...out];
  }

  /** Positions per strategy and instrument that are not flat. */
  positions(): { strategyId: string; instrument: InstrumentId; size: Decimal }[] {
    return [...this.#positions].filter(([, size]) => !size.isZero()).map(([k, size]) => {
      const [strategyId, instrument] = k.split('\u0000') as [string, string];
      return { strategyId, instrument, size };
    });
  }

  /** Orders not yet final (the venue may still work them). */
  openOrderCount(strategyId?: string): number {
    let n = 0;
    for (const r of this.#reservations.values()) if (!r.final && (strategyId === undefined || r.strategyId === strategyId)) n++;
    return n;
  }

  has(clientOrderId: string): boolean {
    return this.#reservations.has(clientOrderId);
  }

  #view(match: (strategyId: string, instrument: InstrumentId) => boolean): ExposureView {
    let position = ZERO;
    let pendingBuy = ZERO;
    let pendingSell = ZERO;
    for (const [k, size] of this.#positions) {
      const [s, i] = k.split('\u0000') as [string, string];
      if (match(s, i)) position = position.plus(size);
    }
    for (const r of this.#reservations.values()) {
      if (!match(r.strategyId, r.instrument)) continue;
      if (r.side === 'buy') pendingBuy = pendingBuy.plus(remaining(r));
      else pendingSell = pendingSell.plus(remaining(r));
    }
    return { position, pendingBuy, pendingSell };
  }
}

/** Largest |position| reachable on the side an intent adds to, before and after it. */
export function worstCase(view: ExposureView, side: Side, size: Decimal): { before: Decimal; after: Decimal } {
  const extreme = side === 'buy' ? view.position.plus(view.pendingBuy) : view.position.minus(view.pendingSell);
  const after = side === 'buy' ? extreme.plus(size) : extreme.minus(size);
  return { before: extreme.abs(), after: after.abs() };
}

/** Whether an intent can only shrink the position it trades against, even if every open order fills. */
export function isReducing(view: ExposureView, side: Side, size: Decimal): boolean {
  if (side === 'sell') return view.position.minus(view.pendingSell).minus(size).gte(0) && view.position.gt(0);
  return view.position.plus(view.pendingBuy).plus(size).lte(0) && view.position.lt(0);
}
