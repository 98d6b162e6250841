import type { MarketInterface as Market } from 'ccxt';
import { dec, str } from '../../../core/decimal.js';
import type { Instrument, VenueId } from '../../../core/types.js';
import { decimalsOf } from '../ccxt/instruments.js';

/** Hyperliquid's minimum order value, in USDC, on every market. */
const MIN_NOTIONAL = '10';

/**
 * A Hyperliquid market as an instrument. Perps are "hyperliquid:BTC-PERP" with the wire coin "BTC";
 * spot pairs are "hyperliquid:PURR/USDC" (ccxt's symbol, which maps wrapped tokens: "@1" UBTC/USDC
 * becomes BTC/USDC) with the wire coin ("PURR/USDC", "@1") as venue symbol. Prices follow Hyperliquid's
 * significant-figure rule rather than a tick, which core/rounding.ts implements. `venue` relabels the
 * instruments of a Hyperliquid-speaking venue that is not Hyperliquid (the paper-trading simulator: "sim:BTC-PERP").
 */
export function hyperliquidInstrument(market: Market, venue: VenueId = 'hyperliquid'): Instrument | undefined {
  const perp = market.type === 'swap';
  if (!perp && market.type !== 'spot') return undefined;
  const lot = market.precision.amount;
  if (lot === undefined) return undefined;
  const lotSize = str(dec(lot, `${market.symbol} lot size`));
  const coin = perp ? String((market as { baseName?: string }).baseName ?? market.base) : String(market.id);
  return {
    id: perp ? `${venue}:${coin}-PERP` : `${venue}:${market.symbol}`,
    venue,
    venueSymbol: coin,
    kind: perp ? 'perp' : 'spot',
    base: market.base,
    quote: market.quote,
    priceRule: { kind: 'hyperliquid', market: perp ? 'perp' : 'spot' },
    lotSize,
    sizeDecimals: decimalsOf(lotSize),
    minNotional: MIN_NOTIONAL,
    ...(market.limits.leverage?.max === undefined ? {} : { maxLeverage: market.limits.leverage.max }),
  };
}
