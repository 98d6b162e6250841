import type { Balances, Dict, Exchange, MarketInterface as Market, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import { ValidationError } from '../../../core/errors.js';
import type { Instrument, VenueId } from '../../../core/types.js';
import type { VenueWeights } from '../resilience/rate-limiter.js';

/**
 * What differs between venues behind the shared ccxt adapter: how client order ids travel, which
 * markets become instruments, and the venue's rate weights. Everything else (guards, streams, events)
 * is the same code for every venue.
 */
export interface CcxtVenueProfile {
  readonly venue: VenueId;
  readonly weights: VenueWeights;
  toInstrument(market: Market): Instrument | undefined;

  /** The id the venue carries for our client order id; throws ValidationError when it cannot carry it. */
  venueClientId(clientOrderId: string): string;
  /** createOrder params that attach the venue client id. */
  createParams(venueClientId: string): Dict;
  /** cancelOrder / fetchOrder params that address an order by its venue client id (the id argument is then undefined). */
  byClientIdParams(venueClientId: string): Dict;
  /** editOrder's id argument and params for an order known by venue order id and venue client id. */
  amendArgs(venueOrderId: string | undefined, venueClientId: string): { id: string | undefined; params: Dict };

  /** The venue client id a ccxt order or trade carries, if any. */
  clientIdOfOrder(order: CcxtOrder): string | undefined;
  clientIdOfTrade(trade: CcxtTrade): string | undefined;

  /** True when the venue's "my trades" query needs a symbol (Binance); the adapter then asks per instrument. */
  readonly fillsNeedSymbol: boolean;
  /** Depth asked for by REST book polls. */
  readonly pollDepth: number;
  /** Balances, for venues with more than one account type (Hyperliquid perps plus spot). */
  fetchBalances?(exchange: Exchange): Promise<Balances[]>;
}

/** A client order id checked against a venue's allowed alphabet and length. */
export function checkedClientId(venue: VenueId, clientOrderId: string, pattern: RegExp, rule: string): string {
  if (!pattern.test(clientOrderId)) {
    throw new ValidationError(`${venue} cannot carry client order id "${clientOrderId}": ${rule}`, { venue, clientOrderId, local: true, sent: false });
  }
  return clientOrderId;
}
