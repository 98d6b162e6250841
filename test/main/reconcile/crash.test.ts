import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hyperliquidCloid } from '../../../src/main/exchange/hyperliquid/cloid.js';
import { clientOrderIdFor } from '../../../src/main/execution/client-id.js';
import { TEST_FIXTURE_PRIVATE_KEY } from '../../sim/kit/wallets.js';
import { tempDir } from '../execution/kit.js';
import { BTC, type SimServer, WALLET, startSimServer } from '../execution/sim-stack.js';
import { startEngine } from './engine.js';

/**
 * A SIGKILL between the write-ahead and the send, during the send, and after the venue accepted but
 * before the engine recorded it. The child is the compiled engine code (dist/, `npm run build`) placing
 * one order on the simulated venue run by this test; after the kill, a restarted engine reconciles and
 * must adopt the order if it was sent, close it if it was not, and never send it a second time.
 */

const PROBE = resolve('dist/src/main/execution/crash-probe.js');

interface ChildLine { t: string; clientOrderId?: string; outcome?: unknown }

function runChild(sim: SimServer, dir: string, seq: number, hold: string, killOn: string, killDelayMs = 0): Promise<{ lines: ChildLine[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [PROBE], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env, OSPREY_PROBE_DIR: dir, OSPREY_PROBE_REST: sim.server.httpUrl, OSPREY_PROBE_WS: sim.server.wsUrl, OSPREY_PROBE_KEY: TEST_FIXTURE_PRIVATE_KEY,
        OSPREY_PROBE_WALLET: WALLET, OSPREY_PROBE_HOLD: hold, OSPREY_PROBE_INSTRUMENT: BTC, OSPREY_PROBE_SEQ: String(seq), OSPREY_PROBE_SIZE: '0.001', OSPREY_PROBE_PRICE: '64000',
      },
    });
    const lines: ChildLine[] = [];
    let pending = '';
    let stderr = '';
    // Bounded: a child that never reaches its kill point is killed anyway.
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = JSON.parse(pending.slice(0, end)) as ChildLine;
        pending = pending.slice(end + 1);
        lines.push(line);
        if (line.t === killOn) setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      done({ lines, signal, stderr });
    });
  });
}

describe('SIGKILL around the send; restart reconciles without resending', () => {
  let sim: SimServer;
  const dirs: string[] = [];
  const freshDir = (): string => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    if (!existsSync(PROBE)) throw new Error(`${PROBE} is missing: this test runs compiled JS, run "npm run build" first`);
    sim = await startSimServer();
  });

  afterAll(async () => {
    await sim?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const atVenue = (clientOrderId: string) => sim.venue.historicalOrders(WALLET).filter((o) => o.order.cloid === hyperliquidCloid(clientOrderId));
  const live = (clientOrderId: string) => sim.venue.openOrders(WALLET).filter((o) => o.cloid === hyperliquidCloid(clientOrderId));

  async function restartAndReconcile(dir: string) {
    const engine = await startEngine(sim, dir);
    try {
      const status = await engine.reconciler.run();
      // Give a resend, were there one, time to reach the venue.
      await new Promise((r) => setTimeout(r, 200));
      return { status, store: engine.kit.store, order: (id: string) => engine.kit.store.getOrder(id) };
    } finally {
      await engine.close(true);
    }
  }

  it('killed after the write-ahead, before the send: the order is closed as never sent, and not sent', async () => {
    const dir = freshDir();
    const id = clientOrderIdFor('crash', 1);
    const run = await runChild(sim, dir, 1, 'before-send', 'sending');
    expect(run.signal, run.stderr).toBe('SIGKILL');
    expect(run.lines.map((l) => l.t), JSON.stringify(run.lines)).toEqual(['ready', 'sending']);
    expect(atVenue(id)).toHaveLength(0);
    const engine = await startEngine(sim, dir);
    try {
      // On disk: the intent, written before the send that never happened.
      expect(engine.kit.store.getOrder(id)).toMatchObject({ clientOrderId: id, strategyId: 'crash', status: 'submitted' });
      const status = await engine.reconciler.run();
      expect(status).toMatchObject({ state: 'ok', lastReport: { neverSent: [id], confirmed: [] } });
      expect(engine.kit.store.getOrder(id)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('never sent') });
      expect(engine.kit.gate.exposure.openOrderCount()).toBe(0);
    } finally {
      await engine.close(true);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(atVenue(id)).toHaveLength(0);
  });

  it('killed after the venue accepted, before the engine recorded it: the order is adopted, not resent', async () => {
    const dir = freshDir();
    const id = clientOrderIdFor('crash', 2);
    const run = await runChild(sim, dir, 2, 'after-send', 'sent');
    expect(run.signal, run.stderr).toBe('SIGKILL');
    expect(live(id)).toHaveLength(1);
    const { status, order } = await restartAndReconcile(dir);
    expect(status).toMatchObject({ state: 'ok', lastReport: { confirmed: [id], neverSent: [], adopted: [] } });
    expect(order(id)).toMatchObject({ status: 'accepted', venueOrderId: String(live(id)[0]!.oid) });
    expect(atVenue(id)).toHaveLength(1);
    expect(live(id)).toHaveLength(1);
  });

  for (const [seq, delay] of [[3, 0], [4, 3], [5, 15]] as const) {
    it(`killed ${delay} ms into the send: never two orders, and the store agrees with the venue`, async () => {
      const dir = freshDir();
      const id = clientOrderIdFor('crash', seq);
      const run = await runChild(sim, dir, seq, 'none', 'sending', delay);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      const sentBefore = atVenue(id).length;
      expect(sentBefore).toBeLessThanOrEqual(1);
      const { status, order } = await restartAndReconcile(dir);
      expect(status.state).toBe('ok');
      expect(atVenue(id)).toHaveLength(sentBefore);
      expect(order(id)?.status).toBe(sentBefore === 1 ? 'accepted' : 'rejected');
    });
  }
});
