import { type GateLimits, gateLimits } from '../../../src/main/risk/limits.js';

/** Account limits loose enough that only the limit a test is about can trip, with scopes on top. */
export function limitsFor(over: Partial<Parameters<typeof gateLimits>[0]> = {}, scopes: Parameters<typeof gateLimits>[1] = {}): GateLimits {
  return gateLimits({
    maxOrderSize: 100, maxPositionNotional: 1e9, maxLeverage: 100, priceBandBps: 1000, maxOrdersPerSecond: 1000,
    maxOpenOrders: 1000, maxDailyLoss: 1e9, maxDrawdownPct: 99, ...over,
  }, scopes);
}
