import { z } from 'zod';
import { Decimal, dec, str, type DecimalString } from '../../core/decimal.js';

const positiveDecimal = z.string().regex(/^\d+(?:\.\d+)?$/, { error: 'allowed: a positive decimal string such as "0.01"' });

/**
 * Position sizing, as configuration shared by strategies (`params.sizing`):
 * - fixed: `size` base units, whatever the price (the CONTRACTS `sma-cross` rule);
 * - notional: `quote` quote units at the reference price, e.g. 1000 USDC of BTC;
 * - risk: lose at most `riskQuote` if the stop `stopBps` away is hit, i.e. riskQuote / (price x stop).
 * Sizes round down to `step` (never up: rounding must not add risk).
 */
export const sizingSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('fixed'), size: positiveDecimal }),
  z.strictObject({ mode: z.literal('notional'), quote: z.number().positive(), step: positiveDecimal.default('0.00001') }),
  z.strictObject({ mode: z.literal('risk'), riskQuote: z.number().positive(), stopBps: z.number().positive().max(10_000), step: positiveDecimal.default('0.00001') }),
]);

export type SizingConfig = z.output<typeof sizingSchema>;

/** Base units to trade at `price`; "0" when the price is unusable or the size rounds to nothing. */
export function sizeFor(config: SizingConfig, price: number): DecimalString {
  if (config.mode === 'fixed') return str(dec(config.size, 'sizing.size'));
  if (!(price > 0) || !Number.isFinite(price)) return '0';
  const px = dec(price, 'price');
  const raw = config.mode === 'notional' ? new Decimal(config.quote).div(px) : new Decimal(config.riskQuote).div(px.times(config.stopBps).div(10_000));
  const step = dec(config.step, 'sizing.step');
  return str(raw.div(step).floor().times(step));
}
