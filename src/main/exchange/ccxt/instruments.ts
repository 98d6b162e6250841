import type { MarketInterface as Market } from 'ccxt';
import { ValidationError } from '../../../core/errors.js';
import { dec, str } from '../../../core/decimal.js';
import type { Instrument, InstrumentId, VenueId } from '../../../core/types.js';

/**
 * The instruments a venue lists, and the two-way map between our ids ("binance:BTCUSDT-PERP") and
 * ccxt's unified symbols ("BTC/USDT:USDT"), so no ccxt symbol escapes the adapter.
 */
export class InstrumentDirectory {
  readonly #byId = new Map<InstrumentId, Instrument>();
  readonly #symbolById = new Map<InstrumentId, string>();
  readonly #idBySymbol = new Map<string, InstrumentId>();

  constructor(markets: Iterable<Market>, toInstrument: (market: Market) => Instrument | undefined) {
    for (const market of markets) {
      if (market.active === false) continue;
      const instrument = toInstrument(market);
      if (instrument === undefined) continue;
      this.#byId.set(instrument.id, instrument);
      this.#symbolById.set(instrument.id, market.symbol);
      this.#idBySymbol.set(market.symbol, instrument.id);
    }
  }

  all(): Instrument[] {
    return [...this.#byId.values()];
  }

  get(id: InstrumentId): Instrument | undefined {
    return this.#byId.get(id);
  }

  /** The ccxt symbol of one of our instruments; VALIDATION_FAILED for an id this venue does not list. */
  symbolOf(id: InstrumentId): string {
    const symbol = this.#symbolById.get(id);
    if (symbol === undefined) throw new ValidationError(`unknown instrument "${id}"`, { instrument: id });
    return symbol;
  }

  idOfSymbol(symbol: string | undefined): InstrumentId | undefined {
    return symbol === undefined ? undefined : this.#idBySymbol.get(symbol);
  }

  /** Venue market name ("BTC", "BTCUSDT") to instrument id: what the fast decoders look coins up in. */
  byVenueSymbol(): Map<string, InstrumentId> {
    return new Map([...this.#byId.values()].map((i) => [i.venueSymbol, i.id]));
  }
}

/** Decimal places of a step such as "0.001" (3) or "1" (0). */
export function decimalsOf(step: string): number {
  return Math.max(0, dec(step).decimalPlaces());
}

/**
 * A linear perpetual on a tick-size venue (Binance USDⓈ-M, Bybit linear): tick and lot from ccxt's
 * TICK_SIZE precision, minimum notional from the cost limit. Anything else (spot, inverse, dated) is
 * not traded by this engine and is left out.
 */
export function linearPerpInstrument(venue: VenueId, market: Market): Instrument | undefined {
  if (market.type !== 'swap' || market.linear !== true) return undefined;
  const tick = market.precision.price;
  const lot = market.precision.amount;
  if (tick === undefined || lot === undefined) return undefined;
  const lotSize = str(dec(lot, `${market.id} lot size`));
  return {
    id: `${venue}:${market.id}-PERP`,
    venue,
    venueSymbol: String(market.id),
    kind: 'perp',
    base: market.base,
    quote: market.quote,
    priceRule: { kind: 'tick', tickSize: str(dec(tick, `${market.id} tick size`)) },
    lotSize,
    sizeDecimals: decimalsOf(lotSize),
    minNotional: market.limits.cost?.min === undefined ? '0' : str(dec(market.limits.cost.min, `${market.id} min notional`)),
    ...(market.limits.leverage?.max === undefined ? {} : { maxLeverage: market.limits.leverage.max }),
  };
}
