import type { CallCost, RestOperation, VenueWeights } from '../resilience/rate-limiter.js';

/**
 * Hyperliquid's REST budget: 1200 weight per minute per IP. /exchange actions weigh 1; /info requests
 * 20, except l2Book, allMids, clearinghouseState, orderStatus, spotClearinghouseState and
 * exchangeStatus at 2 and candleSnapshot at 4 (the weights ccxt 4.5.84 declares, ../refs §1).
 */
const INFO = 20;
const INFO_LIGHT = 2;
const CANDLES = 4;
const ACTION = 1;

const weight = (w: number): CallCost => [{ bucket: 'weight', weight: w }];

const COSTS: Record<RestOperation, CallCost> = {
  // spotMeta, spotMetaAndAssetCtxs, metaAndAssetCtxs and userAbstraction.
  loadMarkets: weight(4 * INFO),
  fetchBook: weight(INFO_LIGHT),
  fetchCandles: weight(CANDLES),
  fetchMark: weight(INFO),
  submit: weight(ACTION),
  cancel: weight(ACTION),
  amend: weight(ACTION),
  // Perp clearinghouseState plus spotClearinghouseState.
  fetchBalances: weight(2 * INFO_LIGHT),
  fetchPositions: weight(INFO_LIGHT),
  fetchOpenOrders: weight(INFO),
  fetchOrder: weight(INFO_LIGHT),
  fetchFills: weight(INFO),
};

export const HYPERLIQUID_WEIGHTS: VenueWeights = {
  buckets: [{ name: 'weight', limit: 1200, windowMs: 60_000 }],
  costOf: (operation) => COSTS[operation],
};
