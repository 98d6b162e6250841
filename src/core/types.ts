import type { DecimalString } from './decimal.js';
import type { HyperliquidMarketKind } from './rounding.js';

/** Domain types shared by every thread. Amounts are decimal strings so they cross threads and disks exactly. */

export type VenueId = 'hyperliquid' | 'binance' | 'bybit' | 'sim';
export type Side = 'buy' | 'sell';
export type Liquidity = 'maker' | 'taker';
export type InstrumentKind = 'perp' | 'spot';

/** "hyperliquid:BTC-PERP": venue plus the venue's own market name, unique across the engine. */
export type InstrumentId = string;

export type PriceRule =
  | { readonly kind: 'hyperliquid'; readonly market: HyperliquidMarketKind }
  | { readonly kind: 'tick'; readonly tickSize: DecimalString };

export interface Instrument {
  readonly id: InstrumentId;
  readonly venue: VenueId;
  /** The venue's own name for the market ("BTC", "BTCUSDT"). */
  readonly venueSymbol: string;
  readonly kind: InstrumentKind;
  readonly base: string;
  readonly quote: string;
  readonly priceRule: PriceRule;
  /** Smallest size increment. Hyperliquid: 10^-szDecimals. */
  readonly lotSize: DecimalString;
  readonly sizeDecimals: number;
  readonly minNotional: DecimalString;
  readonly maxLeverage?: number;
}

export type TimeInForce = 'GTC' | 'IOC' | 'ALO';
export type OrderType = 'limit' | 'market';

export type OrderStatus =
  | 'pending'
  | 'submitted'
  | 'accepted'
  | 'partially_filled'
  | 'filled'
  | 'cancelling'
  | 'cancelled'
  | 'rejected'
  | 'expired'
  | 'unknown';

export interface OrderIntent {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly side: Side;
  readonly type: OrderType;
  readonly size: DecimalString;
  /** Limit price; for a market order the bound of the IOC it becomes. */
  readonly price: DecimalString;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly createdAt: number;
}

export interface Order extends OrderIntent {
  readonly status: OrderStatus;
  readonly venueOrderId?: string;
  readonly filledSize: DecimalString;
  /** Size-weighted average fill price, or "0" before any fill. */
  readonly avgFillPrice: DecimalString;
  readonly updatedAt: number;
  readonly reason?: string;
}

export interface Fill {
  readonly venue: VenueId;
  readonly instrument: InstrumentId;
  /** The venue's trade id: fills are deduplicated on (venue, venueTradeId). */
  readonly venueTradeId: string;
  readonly venueOrderId: string;
  readonly clientOrderId?: string;
  readonly side: Side;
  readonly price: DecimalString;
  readonly size: DecimalString;
  readonly fee: DecimalString;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly ts: number;
}

export interface Position {
  readonly instrument: InstrumentId;
  /** Signed: positive long, negative short. */
  readonly size: DecimalString;
  /** Signed cost of the open size (size x entry prices). Entry price = cost / size. */
  readonly cost: DecimalString;
  readonly realisedPnl: DecimalString;
  readonly fees: DecimalString;
  readonly updatedAt: number;
}

export interface Balance {
  readonly venue: VenueId;
  readonly asset: string;
  readonly total: DecimalString;
  readonly available: DecimalString;
  readonly updatedAt: number;
}

export interface BookLevel {
  /** Doubles parsed from the venue's decimal text; `String(price)` gives that text back exactly. */
  readonly price: number;
  readonly size: number;
}
