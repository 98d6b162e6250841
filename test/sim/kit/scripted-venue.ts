import { SimulatedClock } from '../../../src/core/clock.js';
import { dec } from '../../../src/core/decimal.js';
import { createSimVenue, type SimVenueHandle } from '../../../src/sim/engine/venue.js';

/**
 * The real simulated venue over an exact, unchanging market: one book snapshot per coin at start, no
 * recording, a simulated clock that only moves when a test says so. Every fill a test sees is then a
 * consequence of its own orders, so expected prices, sizes and fees can be written down.
 */
export const SCRIPT_START = 1_795_492_929_000;

const level = (px: string, sz: string) => ({ px: dec(px), sz: dec(sz), n: 1 });

export function scriptedVenue(options: { accounts?: readonly string[] } = {}): SimVenueHandle {
  return createSimVenue({
    clock: new SimulatedClock(SCRIPT_START),
    loop: false,
    ...(options.accounts === undefined ? {} : { accounts: options.accounts }),
    markets: [
      {
        coin: 'BTC', assetId: 0, kind: 'perp', szDecimals: 5, maxLeverage: 40,
        data: { kind: 'scripted', steps: [{ kind: 'book', time: 0, bids: [level('64990', '0.5')], asks: [level('65010', '0.01'), level('65020', '1')] }] },
      },
      {
        coin: 'ETH', assetId: 1, kind: 'perp', szDecimals: 4, maxLeverage: 25,
        data: { kind: 'scripted', steps: [{ kind: 'book', time: 0, bids: [level('3199', '10')], asks: [level('3201', '10')] }] },
      },
    ],
  });
}
