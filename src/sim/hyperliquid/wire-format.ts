import { Decimal, dec, str } from '../../core/decimal.js';
import type { BookLevelWire, L2Book, SimFill, SimOrder } from '../venue-api.js';

/**
 * Small shape adapters between the venue's records and what the live API sends around them.
 */

/** Hyperliquid prints decimals like Python floats: always with a point ("2.0"), never an exponent. */
export function wireDecimal(value: Decimal): string {
  const text = str(value);
  return text.includes('.') ? text : `${text}.0`;
}

/** Live fills carry `twapId` (null unless the fill came from a TWAP, which the simulator has none of). */
export function wireFill(fill: SimFill): SimFill & { readonly twapId: number | null } {
  const withTwap = fill as SimFill & { twapId?: number | null };
  return { ...fill, twapId: withTwap.twapId ?? null };
}

/**
 * The terse `openOrders` item: `cloid` only when the order has one and `reduceOnly` only when true,
 * as live Hyperliquid omits them otherwise.
 */
export function openOrderItem(order: SimOrder) {
  const item: Record<string, unknown> = {
    coin: order.coin,
    side: order.side,
    limitPx: order.limitPx,
    sz: order.sz,
    oid: order.oid,
    timestamp: order.timestamp,
    origSz: order.origSz,
  };
  if (order.cloid !== null) item['cloid'] = order.cloid;
  if (order.reduceOnly) item['reduceOnly'] = true;
  return item;
}

/** Live history endpoints return at most this many records. */
export const HISTORY_LIMIT = 2000;
export const CANDLE_LIMIT = 5000;

export const CANDLE_INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

const MINUTE = 60_000;
/** Interval lengths; a month is taken as its longest (31 days), enough to find the latest candle. */
export const INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  '1m': MINUTE, '3m': 3 * MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE,
  '1h': 60 * MINUTE, '2h': 120 * MINUTE, '4h': 240 * MINUTE, '8h': 480 * MINUTE, '12h': 720 * MINUTE,
  '1d': 1440 * MINUTE, '3d': 3 * 1440 * MINUTE, '1w': 7 * 1440 * MINUTE, '1M': 31 * 1440 * MINUTE,
};

/**
 * l2Book's `nSigFigs` / `mantissa` view: levels bucketed to that many significant figures of price,
 * bids rounded down and asks up (so a bucket never shows a better price than exists), sizes and order
 * counts summed. Live Hyperliquid computes the bucket from each level's own magnitude.
 */
export function aggregateBook(book: L2Book, nSigFigs: number, mantissa: number | undefined): L2Book {
  return {
    ...book,
    levels: [aggregateSide(book.levels[0], nSigFigs, mantissa, 'down'), aggregateSide(book.levels[1], nSigFigs, mantissa, 'up')],
  };
}

function bucketOf(px: Decimal, nSigFigs: number, mantissa: number | undefined, mode: 'down' | 'up'): Decimal {
  const exponent = px.e - nSigFigs + 1;
  const step = new Decimal(10).pow(exponent).times(mantissa ?? 1);
  const ratio = px.div(step);
  return (mode === 'down' ? ratio.floor() : ratio.ceil()).times(step);
}

function aggregateSide(levels: readonly BookLevelWire[], nSigFigs: number, mantissa: number | undefined, mode: 'down' | 'up'): BookLevelWire[] {
  const buckets: { px: Decimal; sz: Decimal; n: number }[] = [];
  for (const level of levels) {
    const px = bucketOf(dec(level.px, 'px'), nSigFigs, mantissa, mode);
    const last = buckets.at(-1);
    if (last !== undefined && last.px.eq(px)) {
      last.sz = last.sz.plus(dec(level.sz, 'sz'));
      last.n += level.n;
    } else {
      buckets.push({ px, sz: dec(level.sz, 'sz'), n: level.n });
    }
  }
  return buckets.map((b) => ({ px: wireDecimal(b.px), sz: wireDecimal(b.sz), n: b.n }));
}
