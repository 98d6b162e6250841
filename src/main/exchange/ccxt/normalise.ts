import type { Balances, Order as CcxtOrder, OrderBook as CcxtOrderBook, Position as CcxtPosition, Trade as CcxtTrade } from 'ccxt';
import { ValidationError } from '../../../core/errors.js';
import { dec, str, type DecimalString } from '../../../core/decimal.js';
import type { Balance, BookLevel, Fill, InstrumentId, OrderStatus, TimeInForce, VenueId } from '../../../core/types.js';
import type { PositionReport } from '../adapter.js';
import type { VenueOrderReport } from '../order-tracker.js';

/**
 * ccxt's unified structures into our types. ccxt has already parsed the venue's decimal text into
 * doubles; `String(double)` is the shortest text that reads back as that double, which for venue
 * prices and sizes is the text the venue sent, so converting through it loses nothing.
 */

/** A number ccxt parsed from the venue as decimal text; "0" when absent. */
export function decimalText(value: number | string | undefined | null, what: string): DecimalString {
  if (value === undefined || value === null) return '0';
  try {
    return str(dec(value, what));
  } catch (error) {
    throw new ValidationError(`venue sent a bad ${what}: ${(error as Error).message}`, { field: what });
  }
}

export function orderStatus(order: Pick<CcxtOrder, 'status' | 'filled' | 'amount'>): OrderStatus {
  const filled = order.filled ?? 0;
  switch (order.status) {
    case 'open':
      return filled > 0 ? 'partially_filled' : 'accepted';
    case 'closed':
      // Bybit's PartiallyFilledCanceled is "closed" in ccxt, but the rest of the order was cancelled.
      return order.amount !== undefined && filled < order.amount ? 'cancelled' : 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      // Acknowledgements without a status (Hyperliquid "resting", Bybit create): the venue has it.
      return filled > 0 ? 'partially_filled' : 'accepted';
  }
}

export function timeInForce(order: Pick<CcxtOrder, 'timeInForce' | 'postOnly'>): TimeInForce {
  if (order.postOnly === true) return 'ALO';
  switch (order.timeInForce?.toUpperCase()) {
    case 'IOC':
    case 'FOK':
      return 'IOC';
    case 'PO':
    case 'ALO':
    case 'GTX':
      return 'ALO';
    default:
      return 'GTC';
  }
}

export function orderReport(order: CcxtOrder, instrument: InstrumentId, venueClientId: string | undefined, now: number): VenueOrderReport {
  const side = order.side === 'sell' ? 'sell' : 'buy';
  return {
    instrument,
    venueOrderId: String(order.id),
    ...(venueClientId === undefined ? {} : { venueClientId }),
    side,
    type: order.type === 'market' ? 'market' : 'limit',
    timeInForce: timeInForce(order),
    reduceOnly: order.reduceOnly === true,
    price: decimalText(order.price, 'order price'),
    size: decimalText(order.amount, 'order size'),
    filledSize: decimalText(order.filled, 'order filled size'),
    avgFillPrice: decimalText(order.average, 'order average price'),
    status: orderStatus(order),
    ts: order.lastUpdateTimestamp ?? order.lastTradeTimestamp ?? order.timestamp ?? now,
  };
}

export function fill(trade: CcxtTrade, venue: VenueId, instrument: InstrumentId, clientOrderId: string | undefined, now: number): Fill {
  if (trade.id === undefined || trade.order === undefined) throw new ValidationError(`${venue} fill without a trade id or order id`, { venue });
  return {
    venue,
    instrument,
    venueTradeId: String(trade.id),
    venueOrderId: String(trade.order),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    side: trade.side === 'sell' ? 'sell' : 'buy',
    price: decimalText(trade.price, 'fill price'),
    size: decimalText(trade.amount, 'fill size'),
    fee: decimalText(trade.fee?.cost, 'fill fee'),
    feeCurrency: trade.fee?.currency ?? '',
    liquidity: trade.takerOrMaker === 'maker' ? 'maker' : 'taker',
    ts: trade.timestamp ?? now,
  };
}

export function balances(venue: VenueId, raw: Balances, now: number): Balance[] {
  const out: Balance[] = [];
  const totals = (raw.total ?? {}) as unknown as Record<string, number | undefined>;
  const free = (raw.free ?? {}) as unknown as Record<string, number | undefined>;
  for (const [asset, total] of Object.entries(totals)) {
    if (total === undefined || total === null) continue;
    out.push({
      venue, asset,
      total: decimalText(total, `${asset} balance`),
      available: decimalText(free[asset] ?? total, `${asset} available balance`),
      updatedAt: raw.timestamp ?? now,
    });
  }
  return out;
}

export function positionReport(position: CcxtPosition, instrument: InstrumentId, now: number): PositionReport | undefined {
  const contracts = position.contracts ?? 0;
  if (contracts === 0) return undefined;
  const size = dec(decimalText(contracts, 'position size')).times(position.contractSize ?? 1);
  const optional = (key: 'markPrice' | 'unrealisedPnl' | 'liquidationPrice', value: number | undefined) =>
    value === undefined || value === null ? {} : { [key]: decimalText(value, key) };
  return {
    instrument,
    size: str(position.side === 'short' ? size.negated() : size),
    entryPrice: decimalText(position.entryPrice, 'entry price'),
    ...optional('markPrice', position.markPrice),
    ...optional('unrealisedPnl', position.unrealizedPnl),
    ...optional('liquidationPrice', position.liquidationPrice),
    ...(position.leverage === undefined || position.leverage === null ? {} : { leverage: position.leverage }),
    updatedAt: position.timestamp ?? now,
  };
}

/** ccxt book sides ([price, size] pairs) into levels, dropping what a book may not hold. */
export function bookLevels(side: CcxtOrderBook['bids']): BookLevel[] {
  const out: BookLevel[] = [];
  for (const entry of side) {
    const price = Number(entry[0]);
    const size = Number(entry[1]);
    if (!(price > 0 && price < Infinity && size > 0 && size < Infinity)) {
      throw new ValidationError(`book level with a bad price or size: ${String(entry[0])} x ${String(entry[1])}`, { field: 'book level' });
    }
    out.push({ price, size });
  }
  return out;
}
