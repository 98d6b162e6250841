import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSimArgs, runSimulator } from '../../../src/cli/commands/sim.js';
import { post } from '../kit/sign.js';

async function runUntil(args: string[], whileRunning: (port: number) => Promise<void>) {
  const lines: Record<string, unknown>[] = [];
  let stop: () => void = () => undefined;
  let stderr = '';
  let listening: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => (listening = resolve));
  const exit = runSimulator(args, {
    stderr: (text) => (stderr += text),
    stopped: new Promise<void>((resolve) => (stop = resolve)),
    logDestination: {
      write(line: string) {
        const record = JSON.parse(line) as Record<string, unknown>;
        lines.push(record);
        if (record['msg'] === 'listening') listening(record['port'] as number);
      },
    },
  });
  const outcome = await Promise.race([port.then((p) => ({ port: p })), exit.then((code) => ({ code }))]);
  if ('code' in outcome) return { code: outcome.code, lines, stderr };
  try {
    await whileRunning(outcome.port);
  } finally {
    stop();
  }
  return { code: await exit, lines, stderr };
}

describe('osprey sim', () => {
  it('listens on 127.0.0.1, logs the port, serves the bundled BTC and ETH, and exits 0 when stopped', async () => {
    let served: unknown;
    const run = await runUntil(['--port', '0', '--seed', '7', '--faults', 'none'], async (port) => {
      served = (await post(`http://127.0.0.1:${port}/info`, { type: 'meta' })).json;
      const mids = (await post(`http://127.0.0.1:${port}/info`, { type: 'allMids' })).json as Record<string, string>;
      expect(Number(mids['BTC'])).toBeGreaterThan(0);
    });
    expect(run.code).toBe(0);
    expect(run.lines.find((l) => l['msg'] === 'listening')).toMatchObject({ port: expect.any(Number), http: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect((served as { universe: { name: string }[] }).universe.map((u) => u.name)).toEqual(['BTC', 'ETH']);
    expect(run.lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('admits only the listed accounts when --accounts is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-sim-'));
    const file = join(dir, 'accounts.txt');
    writeFileSync(file, '# the only trader\n0x00000000000000000000000000000000000000AA\n');
    const run = await runUntil(['--accounts', file, '--balance', '250'], async (port) => {
      const role = await post(`http://127.0.0.1:${port}/info`, { type: 'userRole', user: '0x' + 'bb'.repeat(20) });
      expect(role.json).toEqual({ role: 'missing' });
      const state = await post(`http://127.0.0.1:${port}/info`, { type: 'clearinghouseState', user: '0x' + '00'.repeat(19) + 'aa' });
      expect((state.json as { marginSummary: { accountValue: string } }).marginSummary.accountValue).toBe('250.0');
    });
    expect(run.code).toBe(0);
  });

  it('exits 2 with a clear message on bad flags', async () => {
    for (const [args, message] of [
      [['--port', '70000'], /--port needs an integer from 0 to 65535/],
      [['--bogus'], /unknown option "--bogus"/],
      [['--data', '/nonexistent/file.gz'], /--data: no such file/],
      [['--seed'], /--seed needs a value/],
      [['--faults', 'drop=2'], /faults\.drop: expected a probability/],
      [['--balance', '-5'], /--balance needs a positive number/],
    ] as const) {
      const run = await runUntil([...args], async () => {
        throw new Error(`started despite ${args.join(' ')}`);
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('parses every documented flag', () => {
    expect(parseSimArgs(['--port', '8080', '--seed', '3', '--faults', 'latency=5ms', '--balance', '5000', '--testnet', '--speed', '60'])).toEqual({
      port: 8080,
      dataFile: undefined,
      seed: 3,
      faults: 'latency=5ms',
      balance: 5000,
      accounts: undefined,
      testnet: true,
      speed: 60,
    });
  });
});
