import type { Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { Clock } from '../../../core/clock.js';
import type { Fill, InstrumentId, Order } from '../../../core/types.js';
import type { OrderTracker, VenueOrderReport } from '../order-tracker.js';
import type { InstrumentDirectory } from './instruments.js';
import { fill, orderReport } from './normalise.js';
import type { CcxtVenueProfile } from './profile.js';

/**
 * Turns ccxt orders and trades into reports tied to our orders. Venue acknowledgements are often
 * partial (Bybit's create reply has only ids, Hyperliquid's edit reply only the new oid), so fields the
 * venue left out are taken from what we already know of the order, never invented.
 */
export class ReportMapper {
  readonly #profile: CcxtVenueProfile;
  readonly #directory: () => InstrumentDirectory;
  readonly #tracker: OrderTracker;
  readonly #clock: Clock;

  constructor(profile: CcxtVenueProfile, directory: () => InstrumentDirectory, tracker: OrderTracker, clock: Clock) {
    this.#profile = profile;
    this.#directory = directory;
    this.#tracker = tracker;
    this.#clock = clock;
  }

  /** Undefined for an order on a market we do not list as an instrument. */
  order(raw: CcxtOrder, instrumentHint?: InstrumentId): VenueOrderReport | undefined {
    const instrument = this.#directory().idOfSymbol(raw.symbol) ?? instrumentHint;
    if (instrument === undefined || raw.id === undefined) return undefined;
    const venueClientId = this.#profile.clientIdOfOrder(raw);
    const report = orderReport(raw, instrument, venueClientId, this.#clock.now());
    const clientOrderId = this.#tracker.clientOrderIdOf({ venueOrderId: report.venueOrderId, ...(venueClientId === undefined ? {} : { venueClientId }) });
    const known = clientOrderId === undefined ? undefined : this.#tracker.order(clientOrderId);
    return known === undefined ? report : withKnownFields(report, raw, known, venueClientId ?? this.#tracker.venueClientIdOf(known.clientOrderId));
  }

  fill(raw: CcxtTrade): Fill | undefined {
    const instrument = this.#directory().idOfSymbol(raw.symbol);
    if (instrument === undefined) return undefined;
    const venueClientId = this.#profile.clientIdOfTrade(raw);
    const clientOrderId = this.#tracker.clientOrderIdOf({
      ...(raw.order === undefined ? {} : { venueOrderId: String(raw.order) }),
      ...(venueClientId === undefined ? {} : { venueClientId }),
    });
    // An order we did not place keeps the venue's client id, as OrderTracker adopts it.
    return fill(raw, this.#profile.venue, instrument, clientOrderId ?? venueClientId, this.#clock.now());
  }
}

function withKnownFields(report: VenueOrderReport, raw: CcxtOrder, known: Order, venueClientId: string): VenueOrderReport {
  return {
    ...report,
    venueClientId,
    side: raw.side === undefined ? known.side : report.side,
    type: raw.type === undefined ? known.type : report.type,
    timeInForce: raw.timeInForce === undefined && raw.postOnly === undefined ? known.timeInForce : report.timeInForce,
    reduceOnly: raw.reduceOnly === undefined ? known.reduceOnly : report.reduceOnly,
    price: raw.price === undefined ? known.price : report.price,
    size: raw.amount === undefined ? known.size : report.size,
    avgFillPrice: raw.average === undefined ? known.avgFillPrice : report.avgFillPrice,
  };
}
