import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { captureText } from '../kit/capture-output.js';
import { OSPREY_BIN, ROOT } from '../kit/cli.js';

/**
 * CONTRACTS "npm start" and issue 4's end-to-end line: `osprey start` on the embedded default config
 * (paper mode: the simulated venue replaying the recorded BTC candles, sma-cross) places its first orders
 * within 10 s of `ready` and fills some within 20 s; every order passed the risk gate; the engine's
 * positions equal the venue's, read straight from the venue's own API.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'osprey-paper-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  rpc: string;
  venue: string;
  account: string;
  readyAt: number;
}

describe('paper trading end to end', () => {
  it('trades the recorded BTC data through the risk gate, and its positions equal the venue', async () => {
    const child = spawn(process.execPath, [OSPREY_BIN, 'start'], { cwd: ROOT, env: { ...process.env, OSPREY_DATADIR: dataDir, OSPREY_RPC__PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (captureText('osprey start (paper e2e)', output), resolve(code))));
    try {
      const started = await new Promise<Started>((resolve, reject) => {
        let venue: { rest: string; account: string } | undefined;
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          output += d;
          for (const line of output.split('\n')) {
            if (line.includes('"msg":"paper venue listening"')) venue ??= JSON.parse(line) as { rest: string; account: string };
            if (line.includes('"msg":"ready"') && venue !== undefined) {
              const port = (JSON.parse(line) as { rpc: { port: number } }).rpc.port;
              resolve({ rpc: `http://127.0.0.1:${port}/rpc`, venue: venue.rest, account: venue.account, readyAt: Date.now() });
            }
          }
        });
        child.on('close', () => reject(new Error(`engine exited before ready:\n${output}`)));
      });
      const token = readFileSync(join(dataDir, 'rpc.token'), 'utf8').trim();
      const rpc = async (method: string, params: unknown = {}) => {
        const res = await fetch(started.rpc, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
        const body = (await res.json()) as { result?: any; error?: unknown };
        if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
        return body.result;
      };
      const info = async (body: unknown) => (await (await fetch(`${started.venue}/info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any;

      let firstOrderMs: number | undefined;
      let firstFillMs: number | undefined;
      let status: any;
      while (Date.now() - started.readyAt < 30_000) {
        status = await rpc('engine.status');
        const elapsed = Date.now() - started.readyAt;
        if (firstOrderMs === undefined && status.counters.orders > 0) firstOrderMs = elapsed;
        if (firstFillMs === undefined && status.counters.fills > 0) firstFillMs = elapsed;
        if (status.counters.fills >= 3) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(firstOrderMs, 'first order after ready (ms)').toBeLessThanOrEqual(10_000);
      expect(firstFillMs, 'first fill after ready (ms)').toBeLessThanOrEqual(20_000);

      // Stop new orders and let those in flight settle, then compare with the venue's own books.
      await rpc('engine.pause', { reason: 'e2e check' });
      await new Promise((r) => setTimeout(r, 1_500));
      status = await rpc('engine.status');
      expect(status.counters.denials).toBe(0);
      expect(await rpc('audit.query', { types: ['risk.denied'] })).toEqual([]);

      const venueState = await info({ type: 'clearinghouseState', user: started.account });
      const venuePositions = new Map<string, string>(venueState.assetPositions.map((p: any) => [`sim:${p.position.coin}-PERP`, p.position.szi]));
      const ours = (await rpc('positions.list')) as { instrument: string; size: string }[];
      const instruments = new Set([...venuePositions.keys(), ...ours.map((p) => p.instrument)]);
      expect(instruments.size).toBeGreaterThan(0);
      for (const instrument of instruments) {
        const venueSize = new Decimal(venuePositions.get(instrument) ?? '0');
        const ourSize = new Decimal(ours.find((p) => p.instrument === instrument)?.size ?? '0');
        expect(ourSize.eq(venueSize), `${instrument}: ours ${ourSize.toFixed()} vs venue ${venueSize.toFixed()}`).toBe(true);
      }

      // Every order the venue saw came through the gate: each one is an order the engine wrote ahead.
      const venueOrders = (await info({ type: 'historicalOrders', user: started.account })) as { order: { oid: number; cloid: string | null } }[];
      const venueFills = (await info({ type: 'userFills', user: started.account })) as unknown[];
      expect(venueOrders.length).toBeGreaterThan(0);
      expect(new Set(venueOrders.map((o) => o.order.oid)).size).toBe(status.counters.orders);
      expect(venueOrders.every((o) => o.order.cloid !== null)).toBe(true);
      expect(venueFills.length).toBe(status.counters.fills);

      // The path's stages were timed: market messages (parse, bus), the workers, and one gate check,
      // signature and submit per order sent.
      const latency = (await rpc('metrics.latency')) as { stages: { stage: string; count: number; p50Us: number }[] };
      const stage = (name: string) => latency.stages.find((s) => s.stage === name);
      for (const name of ['parse', 'bus', 'to-worker', 'strategy', 'gate', 'sign', 'submit']) expect(stage(name)?.count, name).toBeGreaterThan(0);
      expect(stage('gate')!.count).toBeGreaterThanOrEqual(status.counters.orders);
      expect(stage('submit')!.count).toBeGreaterThanOrEqual(status.counters.orders);
      expect(stage('sign')!.count).toBeGreaterThanOrEqual(status.counters.orders);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('trades again after a restart on the same data directory (each paper session keeps its own state)', async () => {
    const child = spawn(process.execPath, [OSPREY_BIN, 'start'], { cwd: ROOT, env: { ...process.env, OSPREY_DATADIR: dataDir, OSPREY_RPC__PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (captureText('osprey start (paper restart)', output), resolve(code))));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          output += d;
          const ready = output.split('\n').find((l) => l.includes('"msg":"ready"'));
          if (ready !== undefined) resolve((JSON.parse(ready) as { rpc: { port: number } }).rpc.port);
        });
        child.on('close', () => reject(new Error(`engine exited before ready:\n${output}`)));
      });
      const token = readFileSync(join(dataDir, 'rpc.token'), 'utf8').trim();
      const readyAt = Date.now();
      let orders = 0;
      while (orders === 0 && Date.now() - readyAt < 15_000) {
        const res = await fetch(`http://127.0.0.1:${port}/rpc`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'engine.status' }) });
        orders = ((await res.json()) as { result: { counters: { orders: number } } }).result.counters.orders;
        if (orders === 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(orders).toBeGreaterThan(0);
      expect(Date.now() - readyAt).toBeLessThanOrEqual(10_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
