import { Decimal, ZERO, dec, str } from './decimal.js';
import type { Fill, Position } from './types.js';

/**
 * Position accounting in exact decimals. A position keeps its signed size and the signed cost of that
 * size; closing part of it removes a proportional share of the cost, and what remains is computed by
 * subtraction, so realised + unrealised always equals the cash flows plus the mark value exactly.
 */

const COST_DECIMALS = 18;

export function flatPosition(instrument: string, ts = 0): Position {
  return { instrument, size: '0', cost: '0', realisedPnl: '0', fees: '0', updatedAt: ts };
}

export function applyFill(position: Position, fill: Pick<Fill, 'side' | 'price' | 'size' | 'fee' | 'ts'>): Position {
  const qty = dec(fill.size, 'fill.size');
  if (qty.lte(0)) throw new RangeError(`fill size must be positive, got ${fill.size}`);
  const px = dec(fill.price, 'fill.price');
  if (px.lte(0)) throw new RangeError(`fill price must be positive, got ${fill.price}`);
  const signedQty = fill.side === 'buy' ? qty : qty.neg();

  let size = new Decimal(position.size);
  let cost = new Decimal(position.cost);
  let realised = new Decimal(position.realisedPnl);

  const opposite = !size.isZero() && size.isPositive() !== signedQty.isPositive();
  let opening = signedQty;
  if (opposite) {
    const closing = Decimal.min(size.abs(), qty);
    // The proportional share is the one division in accounting; it is cut to COST_DECIMALS so every later
    // sum stays exact (well inside the decimal precision). Totals are kept by subtraction, so the cut
    // moves PnL between realised and unrealised by under 1e-18 and never changes their sum.
    const removedCost = closing.eq(size.abs()) ? cost : cost.times(closing).div(size.abs()).toDecimalPlaces(COST_DECIMALS);
    const closedValue = size.isPositive() ? closing.times(px) : closing.times(px).neg();
    realised = realised.plus(closedValue.minus(removedCost));
    cost = cost.minus(removedCost);
    size = size.isPositive() ? size.minus(closing) : size.plus(closing);
    opening = signedQty.isPositive() ? qty.minus(closing) : qty.minus(closing).neg();
  }
  if (!opening.isZero()) {
    size = size.plus(opening);
    cost = cost.plus(opening.times(px));
  }
  if (size.isZero()) cost = ZERO;

  return {
    instrument: position.instrument,
    size: str(size),
    cost: str(cost),
    realisedPnl: str(realised),
    fees: str(new Decimal(position.fees).plus(dec(fill.fee, 'fill.fee'))),
    updatedAt: fill.ts,
  };
}

export function unrealisedPnl(position: Position, markPrice: Decimal | string | number): Decimal {
  return new Decimal(position.size).times(dec(markPrice, 'markPrice')).minus(position.cost);
}

/** Average entry price, or zero when flat. Display only: accounting never uses it. */
export function entryPrice(position: Position): Decimal {
  const size = new Decimal(position.size);
  return size.isZero() ? ZERO : new Decimal(position.cost).div(size);
}
