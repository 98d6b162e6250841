import { z } from 'zod';
import { exitsSchema, type ExitsConfig } from './exits.js';
import { orderConfigSchema, type OrderConfig } from './orders.js';

/** The params every strategy shares; the runner reads them, so a strategy only spreads this into its schema. */
export const tradingParams = { order: orderConfigSchema, exits: exitsSchema };

export interface TradingParams {
  readonly order: OrderConfig;
  readonly exits: ExitsConfig;
}

/** A size in base units from config: YAML may give 0.01 or "0.01"; both become the exact decimal text. */
export const baseSize = z
  .union([z.number().positive(), z.string().regex(/^\d+(?:\.\d+)?$/)])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .refine((v) => Number(v) > 0, { error: 'allowed: a positive size in base units' });

let defaults: TradingParams | undefined;

/** Order and exit config of any parsed params object, defaults when the strategy did not declare them. */
export function tradingParamsOf(params: unknown): TradingParams {
  const p = (typeof params === 'object' && params !== null ? params : {}) as Partial<TradingParams>;
  if (p.order !== undefined && p.exits !== undefined) return p as TradingParams;
  // Parsed once: this runs on every event, and a zod parse costs more than the rest of the hot path.
  defaults ??= z.strictObject(tradingParams).parse({});
  return { order: p.order ?? defaults.order, exits: p.exits ?? defaults.exits };
}
