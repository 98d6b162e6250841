import type { DecimalString } from '../../core/decimal.js';
import type { EventPayloads } from '../../core/events.js';
import type { Balance, BookLevel, Fill, Instrument, InstrumentId, Order, OrderIntent, OrderStatus, VenueId } from '../../core/types.js';
import type { Component } from '../engine/lifecycle.js';
import type { BreakerScope, BreakerState } from './resilience/breakers.js';
import type { TradeGate } from './resilience/stale-guard.js';

/**
 * The one interface the engine uses to talk to any venue. Everything that crosses it is a core type or
 * a core event; venue shapes (ccxt structures, Hyperliquid's "B"/"A", Binance's filters) stay inside the
 * adapter. Adapters are components: `start()` loads instruments and connects the streams, and from then
 * on they publish to the EventBus: `market.book`, `market.trade` (streams, or REST polls while a stream's
 * breaker is open), `order.accepted`, `order.rejected`, `order.updated`, `order.cancelled`,
 * `order.filled`, `fill.received` (each fill once, each order only forwards) and `venue.connection`.
 *
 * Errors (src/core/errors.ts): calls throw VenueError with TIMEOUT (sent, outcome unknown: resolve by
 * querying with the client order id), VENUE_UNAVAILABLE or RATE_LIMITED (back off; `details.sent` is
 * false when the call was refused locally by a breaker, a token bucket or the stale-data guard), and
 * ORDER_NOT_FOUND from cancel/amend. A venue refusing an order is not thrown: `submit` resolves with
 * `{ accepted: false }` and an `order.rejected` event is published.
 */
export interface VenueAdapter extends Component {
  readonly venue: VenueId;

  /** Instruments loaded at start; empty before. */
  instruments(): readonly Instrument[];
  instrument(id: InstrumentId): Instrument | undefined;

  // ---- market data ----
  /** Adds instruments to the market streams (books and trades); the streams resubscribe. */
  watchMarket(instruments: readonly InstrumentId[]): Promise<void>;
  /** A REST snapshot of the book, best levels first. */
  fetchBook(instrument: InstrumentId, depth?: number): Promise<BookSnapshot>;
  fetchCandles(instrument: InstrumentId, interval: string, since: number, limit?: number): Promise<Candle[]>;
  /** Mark price and funding rate; undefined where the venue has none (spot). */
  fetchMark(instrument: InstrumentId): Promise<MarkInfo | undefined>;

  // ---- order entry ----
  /** Sends the intent with its client order id passed through (Hyperliquid: a cloid derived from it). */
  submit(intent: OrderIntent): Promise<SubmitResult>;
  cancel(instrument: InstrumentId, venueOrderId: string): Promise<CancelResult>;
  cancelByClientId(instrument: InstrumentId, clientOrderId: string): Promise<CancelResult>;
  /** Changes price and/or size; the order keeps its client order id (the venue order id may change). */
  amend(request: AmendRequest): Promise<SubmitResult>;

  // ---- account state and reconciliation ----
  fetchBalances(): Promise<Balance[]>;
  fetchPositions(): Promise<PositionReport[]>;
  fetchOpenOrders(instrument?: InstrumentId): Promise<Order[]>;
  /** Undefined when the venue does not know the order. */
  fetchOrder(instrument: InstrumentId, ref: OrderRef): Promise<Order | undefined>;
  /** Our fills since `since` (ms), oldest first. */
  fetchFills(since: number, instrument?: InstrumentId): Promise<Fill[]>;
  /**
   * Registers an order this engine placed earlier (after a restart), so venue reports about it map back
   * to its client order id and strategy. Orders sent through `submit` are registered automatically.
   */
  track(intent: OrderIntent, venueOrderId?: string): void;

  // ---- guards ----
  /** Whether a new order on `instrument` may go out now, and if not, why (stale book, open breaker...). */
  canTrade(instrument: InstrumentId): TradeGate;
  health(): AdapterHealth;
}

export type OrderRef = { readonly venueOrderId: string } | { readonly clientOrderId: string };

export interface BookSnapshot {
  readonly instrument: InstrumentId;
  readonly bids: BookLevel[];
  readonly asks: BookLevel[];
  /** Venue time of the snapshot, ms. */
  readonly ts: number;
  readonly sequence?: number;
}

export type Candle = Omit<EventPayloads['market.bar'], 'instrument' | 'interval'>;

export interface MarkInfo {
  readonly instrument: InstrumentId;
  readonly markPrice: number;
  readonly fundingRate?: number;
  readonly ts: number;
}

export type SubmitResult =
  | {
      readonly accepted: true;
      readonly clientOrderId: string;
      readonly venueOrderId: string;
      /** What the venue said at once: accepted (resting or acknowledged), partially filled or filled. */
      readonly status: OrderStatus;
      readonly filledSize: DecimalString;
      readonly avgFillPrice: DecimalString;
    }
  | { readonly accepted: false; readonly clientOrderId: string; readonly reason: string };

export interface CancelResult {
  /** True when the venue confirmed the order is gone; false when it only acknowledged the request. */
  readonly confirmed: boolean;
  readonly venueOrderId?: string;
  readonly clientOrderId?: string;
}

export interface AmendRequest {
  readonly instrument: InstrumentId;
  readonly clientOrderId: string;
  /** New limit price and size; an omitted one keeps the order's current value. */
  readonly price?: DecimalString;
  readonly size?: DecimalString;
}

/**
 * A venue's view of one position. Not the core Position: a venue knows size, entry and mark, but not
 * the realised PnL and fees history that the state store accumulates from fills.
 */
export interface PositionReport {
  readonly instrument: InstrumentId;
  /** Signed: positive long, negative short. */
  readonly size: DecimalString;
  readonly entryPrice: DecimalString;
  readonly markPrice?: DecimalString;
  readonly unrealisedPnl?: DecimalString;
  readonly liquidationPrice?: DecimalString;
  readonly leverage?: number;
  readonly updatedAt: number;
}

export interface AdapterHealth {
  readonly venue: VenueId;
  readonly breakers: Readonly<Record<BreakerScope, BreakerState>>;
  readonly streams: { readonly market: StreamHealth; readonly user: StreamHealth };
  /** REST calls by outcome ("ok", "TIMEOUT", "local:RATE_LIMITED", ...). */
  readonly rest: Readonly<Record<string, number>>;
  /** Venue messages dropped as malformed, by reason. */
  readonly malformed: Readonly<Record<string, number>>;
  /** Duplicate fills and backward order updates that were dropped. */
  readonly dropped: { readonly duplicateFills: number; readonly staleOrderUpdates: number };
}

export interface StreamHealth {
  readonly up: boolean;
  readonly sessions: number;
  readonly polling: boolean;
  readonly polls: number;
}

/** Strategy id given to orders the venue reports that no strategy of this engine placed. */
export const EXTERNAL_STRATEGY = 'external';
