import { Decimal, dec } from './decimal.js';

/**
 * Venue price and size rules. Hyperliquid's are the ones ccxt 4.5.84 applies before sending and the
 * venue enforces on receipt (../refs: "Price/size rules"); tick venues (Binance, Bybit) use steps.
 */

export type RoundingMode = 'half-up' | 'down' | 'up';

const MODE: Record<RoundingMode, DecimalRounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
};
type DecimalRounding = typeof Decimal.ROUND_HALF_UP | typeof Decimal.ROUND_DOWN | typeof Decimal.ROUND_UP;

export type HyperliquidMarketKind = 'perp' | 'spot';

const HL_SIG_FIGS = 5;
const HL_MAX_DECIMALS: Record<HyperliquidMarketKind, number> = { perp: 6, spot: 8 };

function integerDigits(value: Decimal): number {
  const whole = value.abs().trunc();
  return whole.isZero() ? 0 : whole.toFixed().length;
}

/**
 * Rounds a price as ccxt's `priceToPrecision` does for Hyperliquid: to max(5, integer digits) significant
 * figures, then to (6 perp | 8 spot) - szDecimals decimals, both half-up. BTC 65000.5 -> 65001.
 */
export function hyperliquidPrice(price: Decimal | string | number, szDecimals: number, kind: HyperliquidMarketKind, mode: RoundingMode = 'half-up'): Decimal {
  const px = dec(price, 'price');
  const sig = Math.max(HL_SIG_FIGS, integerDigits(px));
  const maxDp = Math.max(0, HL_MAX_DECIMALS[kind] - szDecimals);
  return px.toSignificantDigits(sig, MODE[mode]).toDecimalPlaces(maxDp, MODE[mode]);
}

/** Why Hyperliquid would refuse this price, or undefined when it is acceptable. Integer prices always pass. */
export function hyperliquidPriceProblem(price: Decimal, szDecimals: number, kind: HyperliquidMarketKind): string | undefined {
  if (price.lte(0)) return 'price must be positive';
  if (price.isInteger()) return undefined;
  const maxDp = Math.max(0, HL_MAX_DECIMALS[kind] - szDecimals);
  if (price.decimalPlaces() > maxDp) return `price has ${price.decimalPlaces()} decimals, at most ${maxDp} allowed`;
  if (price.precision(true) > HL_SIG_FIGS) return `price has ${price.precision(true)} significant figures, at most ${HL_SIG_FIGS} allowed`;
  return undefined;
}

/** Sizes round half-up to szDecimals (ccxt `amountToPrecision` for Hyperliquid rounds, it does not truncate). */
export function hyperliquidSize(size: Decimal | string | number, szDecimals: number, mode: RoundingMode = 'half-up'): Decimal {
  return dec(size, 'size').toDecimalPlaces(szDecimals, MODE[mode]);
}

export function hyperliquidSizeProblem(size: Decimal, szDecimals: number): string | undefined {
  if (size.lte(0)) return 'size must be positive';
  if (size.decimalPlaces() > szDecimals) return `size has ${size.decimalPlaces()} decimals, at most ${szDecimals} allowed`;
  return undefined;
}

/** Rounds to a multiple of `step` (tick or lot size), as step-based venues require. */
export function roundToStep(value: Decimal | string | number, step: Decimal | string, mode: RoundingMode = 'half-up'): Decimal {
  const v = dec(value);
  const s = dec(step, 'step');
  if (s.lte(0)) throw new RangeError(`step must be positive, got ${s.toFixed()}`);
  return v.div(s).toDecimalPlaces(0, MODE[mode]).times(s);
}
