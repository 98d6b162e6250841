import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { hyperliquidCloid } from '../../src/main/exchange/hyperliquid/cloid.js';
import { StateStore } from '../../src/main/state/store.js';
import { LiveClock } from '../../src/core/clock.js';
import { captureText } from '../kit/capture-output.js';
import { OSPREY_BIN, ROOT } from '../kit/cli.js';
import { TempDir, encryptAge, identityFileText, newAgeKey } from '../main/config/fixtures.js';
import { OTHER, WALLET, startSimServer, type SimServer } from '../main/execution/sim-stack.js';
import { TEST_FIXTURE_PRIVATE_KEY } from '../sim/kit/wallets.js';

/**
 * The restart users of other engines complain about, with a real process and a real SIGKILL: `osprey
 * start` (live mode, the Hyperliquid adapter pointed at the simulated venue on loopback) quotes with the
 * market maker, holds a position and resting orders, is killed with SIGKILL; while it is down one of its
 * resting orders fills on the venue; it restarts. Its positions, open orders and fills then equal the
 * venue's, read from the venue itself, and no fill the venue did not report is in its store.
 */
const tmp = new TempDir();
let sim: SimServer | undefined;
afterAll(async () => {
  await sim?.close();
  tmp.cleanup();
});

async function engineConfig(sim: SimServer): Promise<string> {
  const key = await newAgeKey();
  tmp.write('secrets.age', await encryptAge(key.recipient, `hyperliquid_private_key: "${TEST_FIXTURE_PRIVATE_KEY}"\n`));
  const identity = tmp.write('identity.txt', identityFileText(key));
  return tmp.write('osprey.yaml', [
    `dataDir: ${tmp.path('var')}`,
    'mode: live',
    'rpc: { port: 0 }',
    `secrets: { ageFile: ${tmp.path('secrets.age')}, ageIdentityFile: ${identity} }`,
    `venues: { hyperliquid: { enabled: true, walletAddress: "${WALLET}", privateKey: "secret:hyperliquid_private_key", urls: { rest: "${sim.server.httpUrl}", ws: "${sim.server.wsUrl}" } } }`,
    'strategies: [{ id: mm, name: market-maker, instrument: "hyperliquid:BTC-PERP", params: { size: "0.001", maxInventory: "0.01" } }]',
    'risk: { limits: { hyperliquid: { maxOrderSize: 0.01, maxPositionNotional: 5000, maxLeverage: 5, priceBandBps: 500, maxOrdersPerSecond: 20, maxOpenOrders: 10, maxDailyLoss: 1000, maxDrawdownPct: 50 } } }',
    // Orders stay on the venue when the engine stops: the checks below read them after the stop.
    'shutdown: { policy: leave-open, timeoutMs: 8000 }',
  ].join('\n'));
}

interface Running {
  child: ChildProcess;
  rpc: (method: string, params?: unknown) => Promise<any>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(config: string, label: string): Promise<Running> {
  const child = spawn(process.execPath, [OSPREY_BIN, 'start', '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => (captureText(label, output), resolve({ code, signal }))));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      const ready = output.split('\n').find((l) => l.includes('"msg":"ready"'));
      if (ready !== undefined) resolve((JSON.parse(ready) as { rpc: { port: number } }).rpc.port);
    });
    child.on('close', () => reject(new Error(`engine exited before ready:\n${output}`)));
  });
  const token = readFileSync(tmp.path('var/rpc.token'), 'utf8').trim();
  const rpc = async (method: string, params: unknown = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}/rpc`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = (await res.json()) as { result?: unknown; error?: unknown };
    if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
  };
  return { child, rpc, exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGKILL with a position and resting orders, one filled while down, then restart', () => {
  it('ends with positions, open orders and fills equal to the venue, and no synthetic fill', async () => {
    sim = await startSimServer();
    const venue = sim.venue;
    const config = await engineConfig(sim);
    const first = await start(config, 'osprey start (before SIGKILL)');

    // The market maker quotes both sides outside the scripted book (64990 / 65010, 65020). Someone sells
    // through the scripted bid and then into the maker's bid, so the engine ends up long.
    await until('two resting quotes', () => venue.openOrders(WALLET).length === 2);
    venue.place(OTHER, [{ assetId: 0, isBuy: false, price: '64990', size: '0.5', reduceOnly: false, tif: 'Ioc' }]);
    await new Promise((r) => setTimeout(r, 1_000)); // the maker may requote on the new mid
    const bid = venue.openOrders(WALLET).find((o) => o.side === 'B')!;
    venue.place(OTHER, [{ assetId: 0, isBuy: false, price: bid.limitPx, size: bid.sz, reduceOnly: false, tif: 'Ioc' }]);
    expect(venue.userFills(WALLET)).toHaveLength(1);
    let seen = '';
    await until('the engine to see its position, with an ask resting', async () => {
      const positions = (await first.rpc('positions.list')) as { size: string }[];
      seen = JSON.stringify({ positions, open: venue.openOrders(WALLET).map((o) => [o.side, o.limitPx, o.sz]) });
      return positions.some((p) => new Decimal(p.size).eq(bid.sz)) && venue.openOrders(WALLET).some((o) => o.side === 'A');
    }).catch((e: Error) => { throw new Error(`${e.message}: ${seen}`); });

    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

    // While it is down, someone buys through the scripted asks and then the engine's resting ask.
    venue.place(OTHER, [{ assetId: 0, isBuy: true, price: '65020', size: '1.01', reduceOnly: false, tif: 'Ioc' }]);
    const ask = venue.openOrders(WALLET).find((o) => o.side === 'A')!;
    venue.place(OTHER, [{ assetId: 0, isBuy: true, price: ask.limitPx, size: ask.sz, reduceOnly: false, tif: 'Ioc' }]);
    expect(venue.userFills(WALLET)).toHaveLength(2);

    const second = await start(config, 'osprey start (after SIGKILL)');
    await until('reconciliation to complete', async () => {
      const status = (await second.rpc('engine.status')) as { components: { name: string; state: string }[] };
      return status.components.some((c) => c.name === 'trading.hyperliquid' && c.state === 'running');
    });
    // No new orders while the books are compared; give anything in flight time to land.
    await second.rpc('engine.pause', { reason: 'compare with the venue' });
    await new Promise((r) => setTimeout(r, 1_500));

    const venuePosition = new Decimal(venue.clearinghouseState(WALLET).assetPositions.find((p) => p.position.coin === 'BTC')?.position.szi ?? '0');
    const ours = (await second.rpc('positions.list')) as { instrument: string; size: string }[];
    expect(new Decimal(ours.find((p) => p.instrument === 'hyperliquid:BTC-PERP')?.size ?? '0').eq(venuePosition)).toBe(true);
    const ourOpen = ((await second.rpc('orders.list')) as { clientOrderId: string }[]).map((o) => hyperliquidCloid(o.clientOrderId)).sort();
    expect(ourOpen).toEqual(venue.openOrders(WALLET).map((o) => o.cloid).sort());

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const store = await StateStore.open(tmp.path('var'), { clock: new LiveClock() });
    try {
      const ourTrades = store.fillsSince(0).map((f) => f.venueTradeId).sort();
      const venueTrades = venue.userFills(WALLET).map((f) => String(f.tid)).sort();
      expect(ourTrades).toEqual(venueTrades);
      expect(ourTrades.length).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
    }
  });
});
