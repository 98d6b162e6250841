import type { CallCost, RestOperation, VenueWeights } from '../resilience/rate-limiter.js';

/**
 * Bybit v5 limits are per endpoint rather than weighted: 600 HTTP requests per 5 s per IP overall,
 * and per account (linear) 10/s for order create, amend and cancel, 50/s for order, execution,
 * position and wallet queries. Each call spends one request on the IP bucket and one on its endpoint.
 */
const IP = { bucket: 'ip', weight: 1 } as const;
const on = (bucket: string, requests = 1): CallCost => [{ bucket: 'ip', weight: requests }, { bucket, weight: requests }];

const COSTS: Record<RestOperation, CallCost> = {
  // instruments-info, plain and PreLaunch.
  loadMarkets: [{ ...IP, weight: 2 }],
  fetchBook: [IP],
  fetchCandles: [IP],
  fetchMark: [IP],
  submit: on('orderCreate'),
  amend: on('orderAmend'),
  cancel: on('orderCancel'),
  fetchBalances: on('wallet'),
  fetchPositions: on('position'),
  fetchOpenOrders: on('orderQuery'),
  fetchOrder: on('orderQuery'),
  fetchFills: on('execution'),
};

export const BYBIT_WEIGHTS: VenueWeights = {
  buckets: [
    { name: 'ip', limit: 600, windowMs: 5_000 },
    { name: 'orderCreate', limit: 10, windowMs: 1_000 },
    { name: 'orderAmend', limit: 10, windowMs: 1_000 },
    { name: 'orderCancel', limit: 10, windowMs: 1_000 },
    { name: 'orderQuery', limit: 50, windowMs: 1_000 },
    { name: 'execution', limit: 50, windowMs: 1_000 },
    { name: 'position', limit: 50, windowMs: 1_000 },
    { name: 'wallet', limit: 50, windowMs: 1_000 },
  ],
  costOf: (operation) => COSTS[operation],
};
