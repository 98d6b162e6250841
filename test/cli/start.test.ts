import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditJournal } from '../../src/main/audit/journal.js';
import { openStateEnv } from '../../src/main/state/env.js';
import { captureText } from '../kit/capture-output.js';
import { OSPREY_BIN, ROOT, runOsprey } from '../kit/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts `osprey start`, resolves once it logged `ready`, with a function that sends a signal and awaits exit. */
function startEngine(dataDir: string) {
  const child = spawn(process.execPath, [OSPREY_BIN, 'start'], {
    cwd: ROOT,
    // Port 0: tests run side by side, and a fixed control port would collide.
    env: { ...process.env, OSPREY_DATADIR: dataDir, OSPREY_RPC__PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let signalledAt = 0;
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
    child.on('close', (code) => {
      captureText('osprey start', stdout + stderr);
      resolve({ code, ms: Date.now() - signalledAt });
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.split('\n').some((l) => l.includes('"msg":"ready"'))) resolve();
    });
    child.on('close', () => reject(new Error(`engine exited before ready: ${stderr}${stdout}`)));
  });
  return {
    ready,
    output: () => stdout,
    async stop(signal: NodeJS.Signals) {
      signalledAt = Date.now();
      child.kill(signal);
      return exited;
    },
  };
}

describe('osprey start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`logs ready, then on ${signal} stops every component, flushes, and exits 0 within 10 s`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'osprey-start-'));
      dirs.push(dataDir);
      const engine = startEngine(dataDir);
      await engine.ready;
      const { code, ms } = await engine.stop(signal);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      const lines = engine.output().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; subject?: string; to?: string; stateDir?: string });
      expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
      for (const component of ['state', 'audit', 'venue.sim', 'engine']) {
        expect(lines.some((l) => l.subject === component && l.to === 'stopped'), `${component} stopped`).toBe(true);
      }
      // The log file was flushed and the audit journal holds the lifecycle events, durably.
      expect(readFileSync(join(dataDir, 'logs', 'osprey.log'), 'utf8')).toContain('"msg":"stopped"');
      // Paper mode keeps each session's state apart, under dataDir/paper/<start time>.
      const stateDir = lines.find((l) => l.msg === 'paper venue listening')?.stateDir;
      expect(stateDir?.startsWith(join(dataDir, 'paper'))).toBe(true);
      const env = openStateEnv(stateDir!);
      const journal = new AuditJournal(env);
      const states = journal.query({ types: ['component.state'] }).map((e) => e.data as { component: string; to: string });
      // The journal subscribes once it runs: it sees the engine come up and itself begin to stop.
      expect(states).toContainEqual(expect.objectContaining({ component: 'engine', to: 'running' }));
      expect(states).toContainEqual(expect.objectContaining({ component: 'audit', to: 'stopping' }));
      await env.close();
    });
  }

  it('refuses a bad config with exit 2 before creating anything', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'osprey-start-bad-')), 'var');
    dirs.push(dataDir);
    const result = await runOsprey(['start'], { env: { ...process.env, OSPREY_DATADIR: dataDir, OSPREY_RPC__PORT: 'not-a-port' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rpc\.port/);
    expect(result.stdout).not.toContain('ready');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses unknown arguments with exit 2', async () => {
    const result = await runOsprey(['start', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown argument "--bogus"/);
  });
});
