import type { Logger } from 'pino';
import type { AdapterSettings } from '../../../../src/main/exchange/ccxt/adapter-settings.js';
import type { CcxtAdapter } from '../../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { createHyperliquidAdapter } from '../../../../src/main/exchange/hyperliquid/adapter.js';
import type { SimVenueHandle } from '../../../../src/sim/engine/venue.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../../src/sim/hyperliquid/server.js';
import { scriptedVenue } from '../../../sim/kit/scripted-venue.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../../../sim/kit/wallets.js';
import { capturingBus, clock, fastSettings } from './harness.js';
import { SwitchableFaults } from './switchable-faults.js';

export const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);

export interface HyperliquidStack {
  readonly venue: SimVenueHandle;
  readonly server: HyperliquidServer;
  readonly faults: SwitchableFaults;
  readonly adapter: CcxtAdapter;
  readonly capture: ReturnType<typeof capturingBus>;
  close(): Promise<void>;
}

/** The simulated venue in-process on a loopback port, and our Hyperliquid adapter trading against it. */
export async function hyperliquidStack(options: { settings?: Partial<AdapterSettings>; wsUrl?: string; log?: Logger; before?: (faults: SwitchableFaults) => void } = {}): Promise<HyperliquidStack> {
  const venue = scriptedVenue();
  const faults = new SwitchableFaults();
  options.before?.(faults);
  const server = await startHyperliquidServer({ venue, port: 0, faults });
  const capture = capturingBus();
  const adapter = createHyperliquidAdapter({
    config: { walletAddress: WALLET, privateKey: TEST_FIXTURE_PRIVATE_KEY, restUrl: server.httpUrl, wsUrl: options.wsUrl ?? server.wsUrl },
    bus: capture.bus, clock, settings: options.settings ?? fastSettings({ userStream: true }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  await adapter.start();
  return {
    venue, server, faults, adapter, capture,
    close: async () => {
      await adapter.stop();
      await server.close();
    },
  };
}

/** The venue's own book for a coin, as core levels. */
export function venueLevels(venue: SimVenueHandle, coin: string): { bids: { price: number; size: number }[]; asks: { price: number; size: number }[] } {
  const book = venue.l2Book(coin)!;
  const side = (levels: readonly { px: string; sz: string }[]) => levels.map((l) => ({ price: Number(l.px), size: Number(l.sz) }));
  return { bids: side(book.levels[0]), asks: side(book.levels[1]) };
}
