import { LiveClock } from '../../../src/core/clock.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import type { CcxtAdapter } from '../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { createHyperliquidAdapter } from '../../../src/main/exchange/hyperliquid/adapter.js';
import type { GateLimits } from '../../../src/main/risk/limits.js';
import type { SimVenueHandle } from '../../../src/sim/engine/venue.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { NO_FAULTS, type HttpFault, type TransportFaults } from '../../../src/sim/hyperliquid/transport-faults.js';
import { fastSettings, waitFor } from '../exchange/fakes/harness.js';
import { scriptedVenue } from '../../sim/kit/scripted-venue.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../../sim/kit/wallets.js';
import { type ExecutionKit, executionKit } from './kit.js';

export const BTC = 'hyperliquid:BTC-PERP';
export const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);
export const OTHER = addressOf('0x' + '0dd5'.repeat(16));

/** Faults for the next HTTP requests, one each, in order; then none. Counts /exchange-bound requests too. */
export class QueuedFaults implements TransportFaults {
  readonly queue: HttpFault[] = [];
  requests = 0;
  latencyMs(): number {
    return 0;
  }
  httpFault(): HttpFault {
    this.requests++;
    return this.queue.shift() ?? 'none';
  }
  wsFault(): ReturnType<TransportFaults['wsFault']> {
    return NO_FAULTS.wsFault();
  }
  connectionLifetimeMs(): number | undefined {
    return undefined;
  }
}

export interface SimServer {
  readonly venue: SimVenueHandle;
  readonly server: HyperliquidServer;
  readonly faults: QueuedFaults;
  close(): Promise<void>;
}

/** The real simulated venue behind its Hyperliquid-speaking loopback server (127.0.0.1, port 0). */
export async function startSimServer(): Promise<SimServer> {
  const venue = scriptedVenue();
  const faults = new QueuedFaults();
  const server = await startHyperliquidServer({ venue, port: 0, faults });
  return { venue, server, faults, close: () => server.close() };
}

export interface Engine {
  readonly adapter: CcxtAdapter;
  readonly kit: ExecutionKit;
  /** Stops everything; `keepDir` keeps the LMDB directory for a restart. Never cancels venue orders. */
  close(keepDir?: boolean): Promise<void>;
}

/** Our real Hyperliquid adapter plus store, gate and executor, trading against `sim`; waits for the book. */
export async function connectEngine(sim: SimServer, limits: GateLimits, dir?: string): Promise<Engine> {
  const clock = new LiveClock();
  const bus = new EventBus(() => undefined);
  const adapter = createHyperliquidAdapter({
    config: { walletAddress: WALLET, privateKey: TEST_FIXTURE_PRIVATE_KEY, restUrl: sim.server.httpUrl, wsUrl: sim.server.wsUrl },
    bus, clock, settings: fastSettings({ userStream: true }),
  });
  await adapter.start();
  const kit = await executionKit({ clock, limits, bus, venue: () => adapter, ...(dir === undefined ? {} : { dir }) });
  await adapter.watchMarket([BTC]);
  await waitFor(() => adapter.canTrade(BTC).ok && kit.prices.mark(BTC) !== undefined, 'the BTC book');
  await waitFor(() => adapter.health().streams.user.up, 'the user stream');
  return {
    adapter, kit,
    close: async (keepDir = false) => {
      await kit.close(keepDir);
      await adapter.stop();
    },
  };
}
