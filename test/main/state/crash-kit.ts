import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Balance, Fill, Order } from '../../../src/core/types.js';
import type { ProbeLine } from '../../../src/main/state/durability-probe.js';

/** Runs the durability probe as a real child process and kills it with SIGKILL at a chosen moment. */

export const PROBE = resolve('dist/src/main/state/durability-probe.js');

export function assertProbeBuilt(): void {
  if (!existsSync(PROBE)) throw new Error(`${PROBE} is missing: the crash test runs compiled JS, run "npm run build" first`);
}

export type KillPlan =
  /** After the parent has seen this many committed lines. */
  | { readonly mode: 'lines'; readonly after: number }
  /** This many ms after the probe said ready (store open, writing). */
  | { readonly mode: 'after-ready'; readonly ms: number }
  /** This many ms after spawn: may land during start-up or while the env is being opened. */
  | { readonly mode: 'after-spawn'; readonly ms: number };

export interface ChildRun {
  /** Every complete line the child printed: each is a record it saw committed. */
  readonly committed: ProbeLine[];
  readonly ready: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

export function runProbeUntilKilled(dir: string, seed: number, prefix: string, plan: KillPlan): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [PROBE, '--dir', dir, '--seed', String(seed), '--prefix', prefix, '--max-ms', '20000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: ProbeLine[] = [];
    let ready = false;
    let pending = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    if (plan.mode === 'after-spawn') timer = setTimeout(kill, plan.ms);

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = JSON.parse(pending.slice(0, end)) as ProbeLine;
        pending = pending.slice(end + 1);
        if (line.t === 'ready') {
          ready = true;
          if (plan.mode === 'after-ready') timer = setTimeout(kill, plan.ms);
        } else {
          committed.push(line);
          if (plan.mode === 'lines' && committed.length === plan.after) kill();
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    // 'close' comes after the pipes drain, so every line the child wrote before dying has been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ committed, ready, signal, code, stderr });
    });
  });
}

/** Everything any probe reported committed, accumulated over runs against one directory. */
export class Ledger {
  /** clientOrderId -> records by history seq. */
  readonly orders = new Map<string, Map<number, Order>>();
  /** "venue/venueTradeId" -> fill. */
  readonly fills = new Map<string, Fill>();
  /** Per probe prefix: the last balance and snapshot counter it reported. */
  readonly balances = new Map<string, Balance>();
  readonly snapshots = new Map<string, number>();
  records = 0;

  add(lines: readonly ProbeLine[]): void {
    for (const line of lines) {
      this.records++;
      switch (line.t) {
        case 'order': {
          const history = this.orders.get(line.order.clientOrderId) ?? new Map<number, Order>();
          history.set(line.seq, line.order);
          this.orders.set(line.order.clientOrderId, history);
          break;
        }
        case 'fill':
          this.fills.set(`${line.fill.venue}/${line.fill.venueTradeId}`, line.fill);
          break;
        case 'balance':
          this.balances.set(line.balance.asset, line.balance);
          break;
        case 'snapshot':
          this.snapshots.set(line.strategyId, line.counter);
          break;
        case 'ready':
          break;
      }
    }
  }
}

export { seededRandom } from '../../../src/core/random.js';

export function killPlan(rand: () => number): KillPlan {
  const r = rand();
  if (r < 0.4) return { mode: 'lines', after: 1 + Math.floor(rand() * 400) };
  if (r < 0.85) return { mode: 'after-ready', ms: Math.floor(rand() * 200) };
  return { mode: 'after-spawn', ms: Math.floor(rand() * 250) };
}
