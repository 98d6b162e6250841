import { keccak_256 } from '@noble/hashes/sha3.js';
import type { PerpAssetCtx, SimMarket, SimVenue } from '../venue-api.js';

/**
 * The venue's markets in Hyperliquid's metadata shapes (meta, spotMeta and their asset contexts).
 * ccxt derives market ids from these (perp id = universe index, spot id = pair name), so perps are
 * listed by asset id and the context arrays stay aligned with their universes.
 */

const USDC_TOKEN = {
  name: 'USDC',
  szDecimals: 8,
  weiDecimals: 8,
  index: 0,
  tokenId: '0x6d1e7cde53ba9467b783cb7c530ce054',
  isCanonical: true,
  evmContract: null,
  fullName: null,
  deployerTradingFeeShare: '0.0',
};

export function perpMarkets(venue: SimVenue): SimMarket[] {
  return venue.markets.filter((m) => m.kind === 'perp').sort((a, b) => a.assetId - b.assetId);
}

export function spotMarkets(venue: SimVenue): SimMarket[] {
  return venue.markets.filter((m) => m.kind === 'spot').sort((a, b) => a.assetId - b.assetId);
}

/** Margin tables are keyed by max leverage, as live tables 3..50 are: one tier from zero notional. */
export function perpMeta(venue: SimVenue) {
  const markets = perpMarkets(venue);
  const leverages = [...new Set(markets.map((m) => m.maxLeverage))].sort((a, b) => a - b);
  return {
    universe: markets.map((m) => ({ szDecimals: m.szDecimals, name: m.coin, maxLeverage: m.maxLeverage, marginTableId: m.maxLeverage })),
    marginTables: leverages.map((lev) => [lev, { description: '', marginTiers: [{ lowerBound: '0.0', maxLeverage: lev }] }] as const),
    collateralToken: 0,
  };
}

/** Context per perp in universe order; the venue's contexts are indexed by asset id. */
export function perpContexts(venue: SimVenue): PerpAssetCtx[] {
  const contexts = venue.perpContexts();
  return perpMarkets(venue).map((m) => contexts[m.assetId] ?? emptyPerpContext());
}

function emptyPerpContext(): PerpAssetCtx {
  return {
    funding: '0.0',
    openInterest: '0.0',
    prevDayPx: '0.0',
    dayNtlVlm: '0.0',
    premium: null,
    oraclePx: '0.0',
    markPx: '0.0',
    midPx: null,
    impactPxs: null,
    dayBaseVlm: '0.0',
  };
}

/** "PURR/USDC" -> "PURR"; an "@N" pair has no name of its own, so its base token is called "TOKEN<N>". */
function baseTokenName(coin: string): string {
  const slash = coin.indexOf('/');
  return slash > 0 ? coin.slice(0, slash) : `TOKEN${coin.replace(/^@/, '')}`;
}

function tokenId(name: string): string {
  return '0x' + Buffer.from(keccak_256(new TextEncoder().encode(name)).slice(0, 16)).toString('hex');
}

export function spotMeta(venue: SimVenue) {
  const markets = spotMarkets(venue);
  const tokens = [
    USDC_TOKEN,
    ...markets.map((m, i) => ({
      ...USDC_TOKEN,
      name: baseTokenName(m.coin),
      szDecimals: m.szDecimals,
      weiDecimals: Math.max(8, m.szDecimals),
      index: i + 1,
      tokenId: tokenId(baseTokenName(m.coin)),
      isCanonical: m.coin.includes('/'),
    })),
  ];
  const universe = markets.map((m, i) => ({ name: m.coin, tokens: [i + 1, 0], index: m.assetId - 10_000, isCanonical: m.coin.includes('/') }));
  return { universe, tokens };
}

/** Spot contexts from the mids: the venue keeps no spot volume or supply, so those read zero. */
export function spotContexts(venue: SimVenue) {
  const mids = venue.mids();
  return spotMarkets(venue).map((m) => spotContext(m.coin, mids[m.coin] ?? null));
}

export function spotContext(coin: string, mid: string | null) {
  return {
    prevDayPx: mid ?? '0.0',
    dayNtlVlm: '0.0',
    markPx: mid ?? '0.0',
    midPx: mid,
    circulatingSupply: '0.0',
    coin,
    totalSupply: '0.0',
    dayBaseVlm: '0.0',
  };
}
