import type { CallCost, RestOperation, VenueWeights } from '../resilience/rate-limiter.js';

/**
 * Binance USDⓈ-M budgets: 2400 request weight per minute per IP, and order counts of 300 per 10 s and
 * 1200 per minute per account. Order placement and amendment weigh 0 on the IP budget and 1 on each
 * order counter; depth and klines weigh by the number of rows asked for.
 */
const ip = (w: number) => ({ bucket: 'weight', weight: w });
const ORDER_COUNT = [{ bucket: 'orders10s', weight: 1 }, { bucket: 'orders1m', weight: 1 }] as const;

function depthWeight(depth: number): number {
  if (depth <= 50) return 2;
  if (depth <= 100) return 5;
  if (depth <= 500) return 10;
  return 20;
}

function klineWeight(rows: number): number {
  if (rows < 100) return 1;
  if (rows < 500) return 2;
  if (rows <= 1000) return 5;
  return 10;
}

function costOf(operation: RestOperation, detail: { depth?: number; candles?: number; symbol?: boolean } = {}): CallCost {
  switch (operation) {
    case 'loadMarkets': return [ip(1)];
    case 'fetchBook': return [ip(depthWeight(detail.depth ?? 1000))];
    case 'fetchCandles': return [ip(klineWeight(detail.candles ?? 500))];
    case 'fetchMark': return [ip(1)];
    case 'submit': return [ip(0), ...ORDER_COUNT];
    case 'amend': return [ip(1), ...ORDER_COUNT];
    case 'cancel': return [ip(1)];
    case 'fetchBalances': return [ip(5)];
    // leverageBracket (1, cached after the first call) plus positionRisk (5).
    case 'fetchPositions': return [ip(6)];
    case 'fetchOpenOrders': return [ip(detail.symbol === false ? 40 : 1)];
    case 'fetchOrder': return [ip(1)];
    case 'fetchFills': return [ip(5)];
  }
}

export const BINANCE_WEIGHTS: VenueWeights = {
  buckets: [
    { name: 'weight', limit: 2400, windowMs: 60_000 },
    { name: 'orders10s', limit: 300, windowMs: 10_000 },
    { name: 'orders1m', limit: 1200, windowMs: 60_000 },
  ],
  costOf,
};
