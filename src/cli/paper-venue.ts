import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { dataPath } from '../data/paths.js';
import type { OspreyConfig } from '../main/config/schema.js';
import { AcceleratedClock } from '../sim/engine/replay-clock.js';
import { createSimVenue, type SimVenueHandle } from '../sim/engine/venue.js';
import { startHyperliquidServer, type HyperliquidServer } from '../sim/hyperliquid/server.js';

/**
 * Paper trading: the simulated venue and its Hyperliquid-speaking server run in this process on
 * 127.0.0.1, and the engine trades against them through the same adapter (ccxt included) as against the
 * live venue. The CLI owns this, not the engine, so the engine never imports the simulator.
 */
export interface PaperVenue {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly walletAddress: string;
  /** The paper account's key. Paper funds only, but still kept out of logs. */
  readonly privateKey: string;
  readonly data: readonly { coin: string; data: string }[];
  /**
   * This session's state store. The simulator starts empty on every start, so each paper session keeps
   * its orders and fills apart (under <dataDir>/paper/<start time>) instead of reconciling yesterday's
   * paper positions against an account that no longer has them. Nothing is deleted.
   */
  readonly stateDir: string;
  close(): Promise<void>;
}

/** Candles give a moving market at any speed; the 25 s tick recording would repeat itself every few seconds. */
export const PAPER_DEFAULT_DATA = 'BTC_USDC_USDC-1m-futures.csv';

export async function startPaperVenue(config: OspreyConfig): Promise<PaperVenue> {
  const wallet = paperWallet(join(config.dataDir, 'paper-wallet.key'));
  const venue: SimVenueHandle = createSimVenue({
    clock: new AcceleratedClock(config.sim.speed),
    dataFile: config.sim.dataFile ?? dataPath(PAPER_DEFAULT_DATA),
    balance: config.sim.balance,
  });
  venue.start();
  let server: HyperliquidServer;
  try {
    server = await startHyperliquidServer({ venue, port: config.sim.port });
  } catch (error) {
    venue.stop();
    throw error;
  }
  return {
    restUrl: server.httpUrl,
    wsUrl: server.wsUrl,
    ...wallet,
    data: venue.describeData(),
    stateDir: join(config.dataDir, 'paper', new Date().toISOString().replace(/[:.]/g, '-')),
    async close() {
      await server.close();
      venue.stop();
    },
  };
}

/**
 * The paper account: a key made once per data directory (mode 0600), so the paper account keeps its
 * address across restarts. The simulator itself starts empty on every start.
 */
function paperWallet(file: string): { walletAddress: string; privateKey: string } {
  let key: string;
  if (existsSync(file)) {
    key = readFileSync(file, 'utf8').trim();
    if (!/^0x[0-9a-f]{64}$/.test(key)) throw new Error(`${file} does not hold a 0x-prefixed 32-byte hex key; delete it to make a new paper account`);
  } else {
    key = `0x${randomBytes(32).toString('hex')}`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
  }
  const publicKey = secp256k1.getPublicKey(Buffer.from(key.slice(2), 'hex'), false);
  const address = `0x${Buffer.from(keccak_256(publicKey.slice(1)).slice(-20)).toString('hex')}`;
  return { walletAddress: address, privateKey: key };
}
