import { Decimal } from '../../core/decimal.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { hyperliquidPrice } from '../../core/rounding.js';
import { dataPath } from '../../data/paths.js';
import type { SimMarket } from '../venue-api.js';
import type { ReplayStep } from './feed-replay.js';
import { readFeedLines } from '../../data/feed-lines.js';

/**
 * The simulated perp markets and where each one's market data comes from:
 * - `hyperliquid-feed`: a recorded Hyperliquid WebSocket feed (l2Book snapshots + trades), replayed as is.
 * - `binance-feed`: a recorded Binance USDⓈ-M feed, its book rebuilt from snapshot and diffs (binance-replay.ts).
 * - `candles`: 1-minute candles turned into a synthetic book that walks each candle's path (candle-book.ts).
 *   `priceScale` multiplies every price (and divides volume) so one recorded series can stand in for
 *   another coin; a scaled series is a proxy, and `note` says so wherever the market is described.
 * - `scripted`: an exact list of steps (times are offsets from the venue's start), for tests and tools.
 */
export type MarketData =
  | { readonly kind: 'hyperliquid-feed'; readonly file: string }
  | { readonly kind: 'binance-feed'; readonly file: string }
  | { readonly kind: 'candles'; readonly file: string; readonly priceScale: string; readonly note: string }
  | { readonly kind: 'scripted'; readonly steps: readonly ReplayStep[] };

export interface MarketSpec extends SimMarket {
  readonly data: MarketData;
}

/** Bundled recordings (data/market/SOURCES.md). */
export const BUNDLED_BTC_FEED = 'btcusd_20250126.gz';
export const BUNDLED_HL_BTC_CANDLES = 'BTC_USDC_USDC-1m-futures.csv';

/**
 * ETH has no recording in the repository, so by default its prices are the Hyperliquid BTC 1-minute candles
 * (2025-07-21..26) times 1/32: BTC's real path at roughly ETH's price level then (~3,700 USDC). That is a
 * derived proxy, not ETH market data; pass `markets` with an ETH candle file to use real ETH prices.
 */
export const ETH_PROXY_SCALE = '0.03125';
export const ETH_PROXY_NOTE = 'proxy: Hyperliquid BTC 1m candles x 1/32, not recorded ETH data';

/** BTC and ETH with Hyperliquid's own szDecimals and max leverage (universe indices 0 and 1). */
export function defaultMarkets(btcDataFile?: string): MarketSpec[] {
  const btcFile = btcDataFile ?? dataPath(BUNDLED_BTC_FEED);
  const btcData: MarketData = btcFile.endsWith('.csv')
    ? { kind: 'candles', file: btcFile, priceScale: '1', note: 'recorded candles, book synthesised around each candle' }
    : isBinanceFeed(btcFile) ? { kind: 'binance-feed', file: btcFile } : { kind: 'hyperliquid-feed', file: btcFile };
  return [
    { coin: 'BTC', assetId: 0, kind: 'perp', szDecimals: 5, maxLeverage: 40, data: btcData },
    {
      coin: 'ETH',
      assetId: 1,
      kind: 'perp',
      szDecimals: 4,
      maxLeverage: 25,
      data: { kind: 'candles', file: dataPath(BUNDLED_HL_BTC_CANDLES), priceScale: ETH_PROXY_SCALE, note: ETH_PROXY_NOTE },
    },
  ];
}

/** Refuses market lists the venue could not serve unambiguously. */
export function checkMarkets(markets: readonly MarketSpec[]): void {
  const problems: ConfigProblem[] = [];
  const coins = new Set<string>();
  const assets = new Set<number>();
  markets.forEach((m, i) => {
    const path = `markets[${i}]`;
    if (m.kind !== 'perp') problems.push({ path: `${path}.kind`, message: 'only perp markets are simulated' });
    if (coins.has(m.coin)) problems.push({ path: `${path}.coin`, message: `${m.coin} is listed twice` });
    if (assets.has(m.assetId)) problems.push({ path: `${path}.assetId`, message: `asset id ${m.assetId} is used by two markets` });
    if (!Number.isInteger(m.szDecimals) || m.szDecimals < 0 || m.szDecimals > 6) problems.push({ path: `${path}.szDecimals`, message: 'must be a whole number from 0 to 6' });
    if (!Number.isInteger(m.maxLeverage) || m.maxLeverage < 1) problems.push({ path: `${path}.maxLeverage`, message: 'must be a positive integer' });
    coins.add(m.coin);
    assets.add(m.assetId);
  });
  if (markets.length === 0) problems.push({ path: 'markets', message: 'at least one market is needed' });
  if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * The smallest valid price step at `px`: integers are always valid, otherwise 5 significant figures and at
 * most 6 - szDecimals decimals (../refs hyperliquid 4.5).
 */
export function tickAt(px: Decimal, szDecimals: number): Decimal {
  const key = `${px.e}|${szDecimals}`;
  let tick = ticks.get(key);
  if (tick === undefined) {
    tick = px.e >= 4 ? new Decimal(1) : Decimal.max(new Decimal(10).pow(px.e - 4), new Decimal(10).pow(-Math.max(0, 6 - szDecimals)));
    ticks.set(key, tick);
  }
  return tick;
}

/** Ticks depend only on the price's decimal exponent and szDecimals, and synthetic books ask for them constantly. */
const ticks = new Map<string, Decimal>();

/** The nearest valid price at or below (`down`) or at or above (`up`) `px`. */
export function validPrice(px: Decimal, szDecimals: number, mode: 'down' | 'up'): Decimal {
  return hyperliquidPrice(px, szDecimals, 'perp', mode);
}

/** Recorded feeds are told apart by their first message: Binance's combined stream wraps each in {"stream", "data"}. */
function isBinanceFeed(file: string): boolean {
  const first = readFeedLines(file)[0];
  return first !== undefined && first.json.startsWith('{"stream":');
}
