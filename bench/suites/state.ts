import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClock } from '../../src/core/clock.js';
import type { Fill, Order, OrderIntent } from '../../src/core/types.js';
import type { StateOp } from '../../src/main/state/planner.js';
import { orderFromIntent } from '../../src/main/state/records.js';
import { StateStore } from '../../src/main/state/store.js';
import { percentile, round, type BenchLine, type Suite, type SuiteOptions } from '../harness.js';

/**
 * State store write costs, on the same disk the store would use (the OS temp dir).
 *   fsync-floor           one 4 KiB pwrite + fdatasync of a plain file: what durability costs at minimum
 *   intent-write-durable  one awaited writeIntent at a time: the write-ahead latency an order pays
 *   batched-durable       orders' intent, update, fill and final update, 1000 records per durable transaction
 */

const clock = new LiveClock();

function intentNo(n: number, tag: string): OrderIntent {
  return {
    clientOrderId: `${tag}-${n}`, strategyId: 'bench', instrument: 'sim:BTC-PERP', side: n % 2 === 0 ? 'buy' : 'sell',
    type: 'limit', size: '0.01', price: `${60000 + (n % 1000)}.5`, timeInForce: 'GTC', reduceOnly: false, createdAt: 1_700_000_000_000 + n,
  };
}

function latencyLines(name: string, samplesNs: number[], extra: Record<string, string | number>): BenchLine[] {
  const us = samplesNs.map((ns) => ns / 1000).sort((a, b) => a - b);
  return (['p50', 'p99', 'p999'] as const).map((p) => ({
    suite: 'state', case: name, metric: `${p}_us`, value: round(percentile(us, p === 'p999' ? 99.9 : Number(p.slice(1))), 1), unit: 'us',
    samples: us.length, ...extra,
  }));
}

function fsyncFloor(dir: string, count: number): number[] {
  const fd = openSync(join(dir, 'floor.bin'), 'w');
  const page = Buffer.alloc(4096, 7);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const start = process.hrtime.bigint();
      writeSync(fd, page, 0, page.length, (i % 64) * 4096);
      fdatasyncSync(fd);
      samples.push(Number(process.hrtime.bigint() - start));
    }
  } finally {
    closeSync(fd);
  }
  return samples;
}

async function intentLatency(dir: string, count: number): Promise<number[]> {
  const store = await StateStore.open(join(dir, 'intent'), { clock });
  try {
    for (let i = 0; i < 200; i++) await store.writeIntent(intentNo(i, 'warm'));
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const intent = intentNo(i, 'o');
      const start = process.hrtime.bigint();
      await store.writeIntent(intent);
      samples.push(Number(process.hrtime.bigint() - start));
    }
    return samples;
  } finally {
    await store.close();
  }
}

/** Four records per order, as an engine would batch them under load. */
function orderOps(n: number): StateOp[] {
  const intent = intentNo(n, 'b');
  const pending = orderFromIntent(intent);
  const accepted: Order = { ...pending, status: 'accepted', venueOrderId: `v${n}`, updatedAt: pending.updatedAt + 1 };
  const fill: Fill = {
    venue: 'sim', instrument: intent.instrument, venueTradeId: `t${n}`, venueOrderId: `v${n}`, clientOrderId: intent.clientOrderId,
    side: intent.side, price: intent.price, size: intent.size, fee: '0.006', feeCurrency: 'USDC', liquidity: 'maker', ts: pending.updatedAt + 2,
  };
  const filled: Order = { ...accepted, status: 'filled', filledSize: intent.size, avgFillPrice: intent.price, updatedAt: pending.updatedAt + 3 };
  return [{ kind: 'intent', intent }, { kind: 'order', order: accepted }, { kind: 'fill', fill }, { kind: 'order', order: filled }];
}

/**
 * Records per second, every one durable, 1000 records per transaction. `inFlight` 2 (records_per_s)
 * plans the next batch while the previous one commits on lmdb-js's write thread, which is how the engine
 * uses the store: nothing awaits one tick's writes before the next tick writes. `inFlight` 1
 * (records_per_s_serial) awaits each transaction first, so it also pays every fsync in full; it is
 * reported beside the headline because on a busy disk the two differ a lot.
 */
interface Throughput {
  readonly recordsPerS: number;
  readonly batches: number;
  /** Process CPU (main and lmdb-js write thread) per record: what the rate would be bounded by on an idle core. */
  readonly cpuUsPerRecord: number;
}

async function batchedThroughput(dir: string, totalRecords: number, perBatch: number, inFlight: number): Promise<Throughput> {
  const store = await StateStore.open(join(dir, `batched-${inFlight}`), { clock });
  try {
    let order = 0;
    const nextBatch = (): StateOp[] => {
      const ops: StateOp[] = [];
      while (ops.length < perBatch) ops.push(...orderOps(order++));
      return ops;
    };
    await store.writeBatch(nextBatch()); // warm-up
    const batches = Math.ceil(totalRecords / perBatch);
    const pending = new Set<Promise<unknown>>();
    let records = 0;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let b = 0; b < batches; b++) {
      const ops = nextBatch();
      const commit = store.writeBatch(ops);
      pending.add(commit);
      void commit.then(() => pending.delete(commit));
      records += ops.length;
      // Yield a turn so lmdb-js closes this transaction before the next batch is issued.
      await new Promise((resolve) => setImmediate(resolve));
      while (pending.size >= inFlight) await Promise.race(pending);
    }
    await Promise.all(pending);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    return { recordsPerS: records / seconds, batches, cpuUsPerRecord: round((cpu.user + cpu.system) / records, 2) };
  } finally {
    await store.close();
  }
}

export const stateSuite: Suite = async ({ quick, progress }: SuiteOptions) => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-state-'));
  try {
    const lines: BenchLine[] = [];
    progress('fsync floor');
    lines.push(...latencyLines('fsync-floor', fsyncFloor(dir, quick ? 1000 : 5000), { what: '4KiB pwrite + fdatasync' }));
    progress('durable intent writes, one at a time');
    lines.push(...latencyLines('intent-write-durable', await intentLatency(dir, quick ? 3000 : 20000), { durability: 'fdatasync per commit' }));
    const perBatch = 1000;
    for (const inFlight of [2, 1]) {
      progress(`batched durable writes, ${inFlight} transaction(s) in flight`);
      const batched = await batchedThroughput(dir, quick ? 100_000 : 500_000, perBatch, inFlight);
      lines.push({
        suite: 'state', case: 'batched-durable', metric: inFlight === 2 ? 'records_per_s' : 'records_per_s_serial',
        value: Math.round(batched.recordsPerS), unit: 'records/s',
        records_per_txn: perBatch, transactions: batched.batches, txns_in_flight: inFlight, cpu_us_per_record: batched.cpuUsPerRecord,
        mix: 'intent, accepted, fill+position, filled',
      });
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
