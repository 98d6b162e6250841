import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import type { LevelInput } from '../../../src/sim/engine/book.js';
import type { ReplayStep, ReplayTrade } from '../../../src/sim/engine/feed-replay.js';
import type { MarketSpec } from '../../../src/sim/engine/markets.js';
import { createSimVenue, type SimVenueHandle, type SimVenueOptions } from '../../../src/sim/engine/venue.js';
import type { OrderRequest } from '../../../src/sim/venue-api.js';

/**
 * Venues with an exact, scripted market for rule tests: BTC (asset 0, szDecimals 5, max 40x) and ETH
 * (asset 1, szDecimals 4, max 25x) with Hyperliquid's real parameters, and books given as [px, sz] pairs.
 */

export const START = 1_737_918_843_542; // the bundled recording's first snapshot time, for familiarity
export const ALICE = '0x00000000000000000000000000000000000a11ce';
export const BOB = '0x0000000000000000000000000000000000000b0b';
export const CAROL = '0x00000000000000000000000000000000000ca201';

export type Side = readonly (readonly [string, string])[];

export function levels(side: Side): LevelInput[] {
  return side.map(([px, sz]) => ({ px: new Decimal(px), sz: new Decimal(sz), n: 1 }));
}

export function book(time: number, bids: Side, asks: Side): ReplayStep {
  return { kind: 'book', time, bids: levels(bids), asks: levels(asks) };
}

export function trade(time: number, coin: string, side: 'B' | 'A', px: string, sz: string): ReplayStep {
  const t: ReplayTrade = {
    side,
    px: new Decimal(px),
    sz: new Decimal(sz),
    wire: { coin, side, px, sz, time, hash: `0x${'ab'.repeat(32)}`, tid: 9_000 + time, users: ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222'] },
  };
  return { kind: 'trades', time, trades: [t] };
}

/** The default BTC book: bids 100000 x 1, 99990 x 2; asks 100010 x 0.5, 100020 x 1. */
export const BTC_BIDS: Side = [
  ['100000', '1'],
  ['99990', '2'],
];
export const BTC_ASKS: Side = [
  ['100010', '0.5'],
  ['100020', '1'],
];
export const ETH_BIDS: Side = [['3000', '10']];
export const ETH_ASKS: Side = [['3001', '10']];

export function scriptedVenue(
  steps: { btc?: readonly ReplayStep[]; eth?: readonly ReplayStep[] } = {},
  options: Omit<SimVenueOptions, 'clock' | 'markets'> = {},
): { venue: SimVenueHandle; clock: SimulatedClock } {
  const clock = new SimulatedClock(START);
  const markets: MarketSpec[] = [
    { coin: 'BTC', assetId: 0, kind: 'perp', szDecimals: 5, maxLeverage: 40, data: { kind: 'scripted', steps: steps.btc ?? [book(0, BTC_BIDS, BTC_ASKS)] } },
    { coin: 'ETH', assetId: 1, kind: 'perp', szDecimals: 4, maxLeverage: 25, data: { kind: 'scripted', steps: steps.eth ?? [book(0, ETH_BIDS, ETH_ASKS)] } },
  ];
  return { venue: createSimVenue({ clock, markets, ...options }), clock };
}

export function order(fields: Partial<OrderRequest> & Pick<OrderRequest, 'price' | 'size'>): OrderRequest {
  return { assetId: 0, isBuy: true, reduceOnly: false, tif: 'Gtc', ...fields };
}
