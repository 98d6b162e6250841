import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { str, sum } from '../../../src/core/decimal.js';
import type { Fill } from '../../../src/core/types.js';
import { StateStore } from '../../../src/main/state/store.js';
import { Ledger, assertProbeBuilt, killPlan, runProbeUntilKilled, seededRandom, type KillPlan } from './crash-kit.js';
import { removeDir, tempDir } from './fixtures.js';

/**
 * THE crash test. A child process writes order lifecycles, fills, balances and snapshots to the store and
 * prints each record only after its write resolved; we SIGKILL it at a seeded random moment (after N
 * committed lines, N ms after it is ready, or N ms after spawn), reopen the same directory here, and check:
 * every record it reported committed is present and equal; the store loads (every record decodes and
 * validates, histories only move forward, positions equal the replay of their fills); each position's
 * size and fees equal the signed sums of its fills; each fill's order exists. All runs share one
 * directory, so each probe also starts by recovering the previous probe's crash.
 *
 * SIGKILL loses the process, not the OS page cache, so this proves atomicity and "resolved means
 * committed"; that a commit also survives power loss rests on LMDB's fdatasync (see env.ts).
 * Reproduce a failure with OSPREY_CRASH_SEED=<seed printed in the failure>.
 */

const ITERATIONS = Number(process.env['OSPREY_CRASH_ITERATIONS'] ?? 30);
const SEED = Number(process.env['OSPREY_CRASH_SEED'] ?? 20_240_611);

async function verify(dir: string, ledger: Ledger): Promise<void> {
  // open() runs load(): it throws StateError(STATE_CORRUPT) naming the key of anything half written.
  const store = await StateStore.open(dir, { clock: new SimulatedClock() });
  try {
    for (const [id, records] of ledger.orders) {
      const history = await store.orderHistory(id);
      for (const [seq, order] of records) expect(history[seq], `order ${id} record ${seq}`).toEqual(order);
    }
    const stored = new Map(store.fillsSince(0).map((f) => [`${f.venue}/${f.venueTradeId}`, f]));
    for (const [key, fill] of ledger.fills) expect(stored.get(key), `fill ${key}`).toEqual(fill);

    const byInstrument = new Map<string, Fill[]>();
    for (const f of stored.values()) {
      expect(f.clientOrderId && store.getOrder(f.clientOrderId), `order of fill ${f.venueTradeId}`).toBeTruthy();
      byInstrument.set(f.instrument, [...(byInstrument.get(f.instrument) ?? []), f]);
    }
    expect(store.positions().map((p) => p.instrument).sort()).toEqual([...byInstrument.keys()].sort());
    for (const p of store.positions()) {
      const fills = byInstrument.get(p.instrument) ?? [];
      expect(p.size, `position ${p.instrument}`).toBe(str(sum(fills.map((f) => (f.side === 'buy' ? f.size : `-${f.size}`)))));
      expect(p.fees, `fees ${p.instrument}`).toBe(str(sum(fills.map((f) => f.fee))));
    }

    const balances = new Map(store.balances().map((b) => [b.asset, b]));
    for (const [prefix, reported] of ledger.balances) {
      const found = balances.get(prefix);
      expect(found, `balance ${prefix}`).toBeDefined();
      if (found?.total === reported.total) expect(found).toEqual(reported);
      else expect(Number(found?.total), `balance ${prefix} is the reported one or later`).toBeGreaterThan(Number(reported.total));
    }
    for (const [strategyId, counter] of ledger.snapshots) {
      const data = store.loadSnapshot(strategyId)?.data as { counter: number } | undefined;
      expect(data?.counter, `snapshot ${strategyId}`).toBeGreaterThanOrEqual(counter);
    }
  } finally {
    await store.close();
  }
}

describe('state survives SIGKILL at any moment', () => {
  let dir: string;
  beforeAll(() => {
    assertProbeBuilt();
    dir = tempDir('osprey-crash-');
  });
  afterAll(() => removeDir(dir));

  it(`keeps every committed record over ${ITERATIONS} kills (seed ${SEED})`, async () => {
    const rand = seededRandom(SEED);
    const ledger = new Ledger();
    const plans: KillPlan[] = [];
    let killedBeforeReady = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const plan = killPlan(rand);
      plans.push(plan);
      const run = await runProbeUntilKilled(dir, SEED + i, `r${i}`, plan);
      const where = `iteration ${i}, plan ${JSON.stringify(plan)}, seed ${SEED}`;
      expect(run.signal, `${where}: the probe must die by our SIGKILL, not exit (${run.code}): ${run.stderr}`).toBe('SIGKILL');
      if (!run.ready) killedBeforeReady++;
      ledger.add(run.committed);
      try {
        await verify(dir, ledger);
      } catch (error) {
        throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    // The kill points must really vary: some mid-burst with much committed, some during start-up.
    expect(plans.filter((p) => p.mode === 'lines').length).toBeGreaterThan(3);
    expect(plans.filter((p) => p.mode === 'after-ready').length).toBeGreaterThan(3);
    expect(killedBeforeReady).toBeGreaterThan(0);
    expect(ledger.records).toBeGreaterThan(ITERATIONS * 20);
  }, 120_000);
});
