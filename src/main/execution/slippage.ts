import { type Decimal, ZERO, dec, str } from '../../core/decimal.js';
import type { OrderBook } from '../../core/order-book.js';
import { hyperliquidPrice, roundToStep } from '../../core/rounding.js';
import type { Instrument, OrderIntent, Side } from '../../core/types.js';
import type { Denial } from '../risk/checks.js';

/**
 * Market orders never go out unbounded. A market intent becomes an IOC limit at the best opposite price
 * moved by at most `maxSlippageBps`, rounded toward the trader (a buy bound rounds down, a sell bound
 * up) so venue rounding cannot widen it; and it is refused when the book within that bound cannot take
 * the whole size, rather than filling part of it at whatever price is left.
 */

export interface SlippageSettings {
  readonly maxSlippageBps: number;
}

export const DEFAULT_SLIPPAGE: SlippageSettings = { maxSlippageBps: 50 };

export type Bounded = { readonly ok: true; readonly intent: OrderIntent } | { readonly ok: false; readonly denial: Denial };

export function roundBound(price: Decimal, side: Side, instrument: Instrument | undefined): Decimal {
  if (instrument === undefined) return price;
  const mode = side === 'buy' ? 'down' : 'up';
  const rule = instrument.priceRule;
  return rule.kind === 'hyperliquid' ? hyperliquidPrice(price, instrument.sizeDecimals, rule.market, mode) : roundToStep(price, rule.tickSize, mode);
}

/** Leaves limit intents alone; turns a market intent into a bounded IOC or a BOOK_TOO_THIN / NO_BOOK denial. */
export function boundMarketIntent(intent: OrderIntent, book: OrderBook | undefined, instrument: Instrument | undefined, settings: SlippageSettings = DEFAULT_SLIPPAGE): Bounded {
  if (intent.type !== 'market') return { ok: true, intent };
  const size = dec(intent.size, 'size');
  const levels = intent.side === 'buy' ? book?.topAsks(50) : book?.topBids(50);
  const best = levels?.[0];
  if (best === undefined) return { ok: false, denial: { code: 'NO_BOOK', reason: `no ${intent.side === 'buy' ? 'ask' : 'bid'} in the book of ${intent.instrument}`, limit: str(size), value: '0' } };
  const factor = dec(settings.maxSlippageBps, 'maxSlippageBps').div(10_000);
  const bestPx = dec(best.price);
  const raw = intent.side === 'buy' ? bestPx.times(factor.plus(1)) : bestPx.times(dec(1).minus(factor));
  let bound = roundBound(raw, intent.side, instrument);
  // A strategy's own bound may be tighter than ours; never loosen what it asked for.
  const asked = dec(intent.price, 'price');
  if (asked.gt(0) && (intent.side === 'buy' ? asked.lt(bound) : asked.gt(bound))) bound = asked;
  let depth = ZERO;
  for (const level of levels ?? []) {
    const px = dec(level.price);
    if (intent.side === 'buy' ? px.gt(bound) : px.lt(bound)) break;
    depth = depth.plus(dec(level.size));
  }
  if (depth.lt(size)) {
    return {
      ok: false,
      denial: { code: 'BOOK_TOO_THIN', reason: `only ${str(depth)} of ${str(size)} available within ${settings.maxSlippageBps} bps of ${str(bestPx)}`, limit: str(depth), value: str(size) },
    };
  }
  return { ok: true, intent: { ...intent, price: str(bound), timeInForce: 'IOC' } };
}
