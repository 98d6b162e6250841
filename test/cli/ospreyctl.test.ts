import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureText } from '../kit/capture-output.js';
import { OSPREY_BIN, ROOT } from '../kit/cli.js';
import { closedLoopbackPort } from '../kit/vault-server.js';

/**
 * ospreyctl against a real `osprey start` (compiled, as installed): tables by default, --json for
 * scripts, exit codes 0/1/2, URL and token from flags and environment, subscriptions, and the same
 * behaviour when the engine runs on the ws fallback transport.
 */

const CTL_BIN = `${ROOT}dist/src/cli/ospreyctl.js`;

interface Engine {
  readonly dataDir: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has ended by itself. */
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

async function startEngine(env: NodeJS.ProcessEnv = {}): Promise<Engine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-ctl-'));
  const child = spawn(process.execPath, [OSPREY_BIN, 'start'], { cwd: ROOT, env: { ...process.env, OSPREY_DATADIR: dataDir, OSPREY_RPC__PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (captureText('osprey start (ospreyctl test)', output), resolve(code))));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      const ready = output.split('\n').find((l) => l.includes('"msg":"ready"'));
      if (ready !== undefined) resolve((JSON.parse(ready) as { rpc: { port: number } }).rpc.port);
    });
    child.on('close', () => reject(new Error(`engine exited before ready: ${output}`)));
  });
  return {
    dataDir,
    url: `http://127.0.0.1:${port}/rpc`,
    child,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled ospreyctl; `onStderr` sees stderr as it grows (to wait for "subscribed"). */
function ctl(engine: Engine | undefined, args: string[], env: NodeJS.ProcessEnv = {}, onStderr: (stderr: string) => void = () => {}): Promise<CtlResult> {
  return new Promise((resolve, reject) => {
    const base = engine === undefined ? {} : { OSPREYCTL_URL: engine.url, OSPREY_DATADIR: engine.dataDir };
    const child = spawn(process.execPath, [CTL_BIN, ...args], { cwd: ROOT, env: { ...process.env, ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => onStderr((stderr += d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      captureText(`ospreyctl ${args.join(' ')}`, stdout + stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('ospreyctl against osprey start (uWebSockets.js)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    if (engine.child.exitCode === null) await engine.stop();
  });

  it('status --json prints the engine.status object with every contract field', async () => {
    const { code, stdout } = await ctl(engine, ['status', '--json']);
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'running', mode: 'paper', transport: 'uws', venues: expect.any(Array), strategies: expect.any(Array) });
    expect(Object.keys(status.counters as object).sort()).toEqual(['denials', 'fills', 'intents', 'marketEvents', 'orders']);
    expect(typeof status.uptimeS).toBe('number');
  });

  it('prints human tables by default', async () => {
    const status = await ctl(engine, ['status']);
    expect(status.stdout).toMatch(/^state: +running$/m);
    expect(status.stdout).toMatch(/^transport: +uws$/m);
    expect(status.stdout).toMatch(/^sma-btc +sma-cross +sim:BTC-PERP +true +running$/m);
    const limits = await ctl(engine, ['limits']);
    expect(limits.stdout.split('\n')[0]).toMatch(/^account +maxOrderSize +maxPositionNotional/);
    expect((await ctl(engine, ['positions'])).stdout).toBe('(none)\n');
    expect((await ctl(engine, ['health'])).stdout).toMatch(/^status: (ok|degraded)$/m);
  });

  it('changes params and limits, and maps refusals to exit 2 (usage) or 1 (engine)', async () => {
    expect((await ctl(engine, ['params', 'sma-btc', 'size=0.02', '--json'])).stdout).toBe('{"id":"sma-btc","params":{"fast":5,"slow":20,"size":0.02}}\n');
    // The running strategy's own schema says what may change while it runs: its SMA periods may not.
    const frozen = await ctl(engine, ['params', 'sma-btc', 'fast=8']);
    expect(frozen.code).toBe(2);
    expect(frozen.stderr).toMatch(/fast: not updatable at runtime/);
    expect(JSON.parse((await ctl(engine, ['params', 'sma-btc', '--json'])).stdout)).toEqual({ id: 'sma-btc', params: { fast: 5, slow: 20, size: 0.02 } });
    // A strategy stops (its snapshot kept) and starts again on its worker.
    expect(JSON.parse((await ctl(engine, ['call', 'strategies.stop', '{"id":"sma-btc"}', '--json'])).stdout)).toEqual({ id: 'sma-btc', state: 'stopped' });
    expect((await ctl(engine, ['strategies'])).stdout).toMatch(/^sma-btc +sma-cross +sim:BTC-PERP +true +not-loaded$/m);
    expect(JSON.parse((await ctl(engine, ['call', 'strategies.start', '{"id":"sma-btc"}', '--json'])).stdout)).toEqual({ id: 'sma-btc', state: 'running' });
    expect((await ctl(engine, ['strategies'])).stdout).toMatch(/^sma-btc +sma-cross +sim:BTC-PERP +true +running$/m);
    const bad = await ctl(engine, ['limits', 'sim', 'maxLeverage=-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/limits\.maxLeverage/);
    expect((await ctl(engine, ['limits', 'sim', 'maxLeverage=3'])).code).toBe(0);
    expect(JSON.parse((await ctl(engine, ['limits', 'sim', '--json'])).stdout)).toMatchObject({ sim: { maxLeverage: 3 } });
    const missing = await ctl(engine, ['cancel', 'no-such-order']);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/no order with clientOrderId "no-such-order" \(code -32005\)/)]);
    const all = await ctl(engine, ['cancel', '--all', '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ cancelled: expect.any(Number) });
  });

  it('halt, resume and a live subscription', async () => {
    let subscribed = () => {};
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    const watcher = ctl(engine, ['subscribe', 'risk.*', '--count', '1', '--seconds', '15', '--json'], {}, (stderr) => stderr.includes('subscribed to risk.denied, risk.state;') && subscribed());
    await ready;
    expect((await ctl(engine, ['halt', 'drill'])).stdout).toBe('from: ACTIVE\nto:   HALTED\n');
    const seen = await watcher;
    expect(seen.code).toBe(0);
    expect(JSON.parse(seen.stdout)).toMatchObject({ topic: 'risk.state', event: { from: 'ACTIVE', to: 'HALTED', reason: 'drill' } });
    expect(JSON.parse((await ctl(engine, ['status', '--json'])).stdout)).toMatchObject({ tradingState: 'HALTED' });
    expect((await ctl(engine, ['resume'])).code).toBe(0);
    expect(JSON.parse((await ctl(engine, ['status', '--json'])).stdout)).toMatchObject({ tradingState: 'ACTIVE', paused: false });
  });

  it('latency prints a percentile table per stage and draws the distribution', async () => {
    const table = await ctl(engine, ['latency']);
    expect(table.stdout).toMatch(/^stage +count +min +p50 +p90 +p99 +p99\.9 +max$/m);
    expect(table.stdout).toMatch(/^rpc\.request +\d+ /m);
    const drawn = await ctl(engine, ['latency', '--histogram', '--stage', 'rpc.request']);
    expect(drawn.stdout).toMatch(/^ +\S+ - \S+ \|█+ +\d+$/m);
    const json = JSON.parse((await ctl(engine, ['latency', '--json'])).stdout) as { stages: { histogram: string }[] };
    expect(json.stages[0]!.histogram).toMatch(/^HISTF/);
  });

  it('reads the token from --token-file, OSPREYCTL_TOKEN_FILE or the data dir, and refuses a wrong one with 2', async () => {
    const tokenFile = join(engine.dataDir, 'rpc.token');
    expect((await ctl(engine, ['status', '--token-file', tokenFile], { OSPREY_DATADIR: '/nonexistent' })).code).toBe(0);
    expect((await ctl(engine, ['status'], { OSPREY_DATADIR: '/nonexistent', OSPREYCTL_TOKEN_FILE: tokenFile })).code).toBe(0);
    const wrongFile = join(engine.dataDir, 'wrong.token');
    writeFileSync(wrongFile, 'not-the-right-token-at-all\n', { mode: 0o600 });
    const refused = await ctl(engine, ['status', '--token-file', wrongFile]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/refused the token/)]);
    const unreadable = await ctl(engine, ['status', '--token-file', '/nonexistent/token']);
    expect([unreadable.code, unreadable.stderr]).toEqual([2, expect.stringMatching(/cannot read the token file/)]);
  });

  it('on SIGTERM the engine closes the control socket and exits 0 within 10 s', async () => {
    const started = Date.now();
    expect(await engine.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await ctl(engine, ['status'], { OSPREYCTL_TOKEN: 'any-token-at-all' });
    expect([after.code, after.stderr]).toEqual([1, expect.stringMatching(/ECONNREFUSED/)]);
  });
});

describe('ospreyctl usage and failures', () => {
  it('exits 2 on usage errors and 1 when the engine cannot be reached', async () => {
    expect((await ctl(undefined, [])).code).toBe(2);
    expect((await ctl(undefined, ['--help'])).code).toBe(0);
    const unknown = await ctl(undefined, ['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/unknown command "frobnicate"/)]);
    const dir = mkdtempSync(join(tmpdir(), 'osprey-ctl-token-'));
    writeFileSync(join(dir, 'rpc.token'), 'some-token-value\n', { mode: 0o600 });
    const port = await closedLoopbackPort();
    const down = await ctl(undefined, ['status', '--url', `127.0.0.1:${port}`], { OSPREY_DATADIR: dir });
    expect([down.code, down.stderr]).toEqual([1, expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+\/rpc: ECONNREFUSED/)]);
    expect((await ctl(undefined, ['orders', '--bogus'], { OSPREY_DATADIR: dir })).code).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('ospreyctl against the ws fallback transport', () => {
  it('behaves the same, and status says the transport is ws; shutdown stops the engine with 0', async () => {
    const engine = await startEngine({ UWS_USE_FALLBACK: '1' });
    try {
      expect(JSON.parse((await ctl(engine, ['status', '--json'])).stdout)).toMatchObject({ state: 'running', transport: 'ws' });
      expect((await ctl(engine, ['params', 'sma-btc', 'size=0.03'])).stdout).toBe('fast: 5\nslow: 20\nsize: 0.03\n');
      expect((await ctl(engine, ['shutdown'])).stdout).toBe('stopping: true\n');
      // engine.shutdown alone ends the process, with 0 (no signal: one sent while it exits would race).
      expect(await engine.exited).toBe(0);
    } finally {
      await engine.stop();
    }
  });
});
