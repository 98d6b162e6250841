import { Decimal, str } from '../../core/decimal.js';

/**
 * How the simulated venue prints numbers and charges fees. Hyperliquid sends decimals as strings shaped
 * like Python floats: always a decimal point ("0.0", "10000.0", "0.02"), never an exponent.
 */

/** USDC on Hyperliquid perps carries 6 decimals; every money amount the venue reports is cut to that. */
export const USDC_DECIMALS = 6;

export function wire(value: Decimal): string {
  const text = str(value);
  return text.includes('.') ? text : `${text}.0`;
}

/** A USD amount as the venue reports it: 6 decimals, half-up (display of derived values only). */
export function wireUsd(value: Decimal): string {
  return wire(value.toDecimalPlaces(USDC_DECIMALS, Decimal.ROUND_HALF_UP));
}

/**
 * The fee for one fill: notional x rate, cut (not rounded) to 6 decimals. Truncation matches live fills,
 * e.g. 0.214 ETH @ 2354.8 at 0.0144% is 0.0725655168 and Hyperliquid reported fee "0.072565". The account is
 * charged exactly the reported fee, so the books balance to the last unit. A maker rebate (negative rate) is cut
 * toward zero as well, so the venue never pays out more than the rate gives.
 */
export function feeFor(notional: Decimal, rate: Decimal): Decimal {
  return notional.times(rate).toDecimalPlaces(USDC_DECIMALS, Decimal.ROUND_DOWN);
}

/** A display average (avgPx, entryPx): exact up to 8 decimals, then half-up. Accounting never reads it. */
export function wireAverage(value: Decimal): string {
  return wire(value.toDecimalPlaces(8, Decimal.ROUND_HALF_UP));
}

/** Deterministic stand-in for a transaction hash: 0x + 64 hex digits of the trade id. */
export function fakeHash(id: number): string {
  return `0x${id.toString(16).padStart(64, '0')}`;
}
