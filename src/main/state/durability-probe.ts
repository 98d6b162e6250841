#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { LiveClock } from '../../core/clock.js';
import type { Balance, Fill, Order, OrderIntent, Side } from '../../core/types.js';
import type { StateOp } from './planner.js';
import { orderFromIntent } from './records.js';
import { StateStore } from './store.js';
import { seededRandom } from '../../core/random.js';

/**
 * Durability probe: writes a never-ending burst of realistic state (order lifecycles, fills, balances,
 * snapshots, batches) to the store in `--dir`, and prints one JSON line per record on stdout only after
 * the promise for that record resolved, i.e. once the store said it was durable. A test kills it with
 * SIGKILL at an arbitrary moment and checks that every printed record survived and nothing is half
 * written (test/main/state/crash.test.ts). Stdout to a pipe is synchronous on Linux, so a printed line
 * is in the kernel's pipe buffer before the next write starts and survives the kill.
 *
 *   node dist/src/main/state/durability-probe.js --dir DIR --seed N --prefix ID [--max-ms 15000]
 *
 * Lines: {"t":"ready"}, {"t":"order","seq":n,"order":Order}, {"t":"fill","fill":Fill},
 * {"t":"balance","balance":Balance}, {"t":"snapshot","strategyId":s,"counter":n}.
 */

export type ProbeLine =
  | { readonly t: 'ready' }
  | { readonly t: 'order'; readonly seq: number; readonly order: Order }
  | { readonly t: 'fill'; readonly fill: Fill }
  | { readonly t: 'balance'; readonly balance: Balance }
  | { readonly t: 'snapshot'; readonly strategyId: string; readonly counter: number };

export const PROBE_INSTRUMENTS = ['sim:BTC-PERP', 'sim:ETH-PERP', 'sim:SOL-PERP'] as const;


const emit = (line: ProbeLine): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

class Workload {
  readonly #store: StateStore;
  readonly #rand: () => number;
  readonly #prefix: string;
  readonly #clock = new LiveClock();
  #orders = 0;
  #trades = 0;
  #tick = 0;

  constructor(store: StateStore, seed: number, prefix: string) {
    this.#store = store;
    this.#rand = seededRandom(seed);
    this.#prefix = prefix;
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#rand() * items.length)] as T;
  }

  /** Strictly increasing, so overwritten records (balances) can be compared by age. */
  #now(): number {
    this.#tick = Math.max(this.#tick + 1, this.#clock.now());
    return this.#tick;
  }

  #intent(): OrderIntent {
    const lots = 1 + Math.floor(this.#rand() * 9);
    return {
      clientOrderId: `${this.#prefix}-o${this.#orders++}`, strategyId: 'probe', instrument: this.#pick(PROBE_INSTRUMENTS),
      side: this.#pick<Side>(['buy', 'sell']), type: 'limit', size: `0.${lots}`, price: `${100 + Math.floor(this.#rand() * 900)}.5`,
      timeInForce: 'GTC', reduceOnly: false, createdAt: this.#now(),
    };
  }

  #fill(order: Order, size: string): Fill {
    return {
      venue: 'sim', instrument: order.instrument, venueTradeId: `${this.#prefix}-t${this.#trades++}`, venueOrderId: `v-${order.clientOrderId}`,
      clientOrderId: order.clientOrderId, side: order.side, price: order.price, size, fee: '0.01', feeCurrency: 'USDC', liquidity: 'maker', ts: this.#now(),
    };
  }

  /** The records of one order's life: submitted, accepted, then filled in up to 3 parts or cancelled. */
  #lifecycle(intent: OrderIntent): Array<{ order: Order } | { fill: Fill }> {
    let order = orderFromIntent(intent);
    const steps: Array<{ order: Order } | { fill: Fill }> = [];
    const next = (o: Partial<Order>): void => {
      order = { ...order, ...o, updatedAt: this.#now() };
      steps.push({ order });
    };
    next({ status: 'submitted' });
    next({ status: 'accepted', venueOrderId: `v-${intent.clientOrderId}` });
    const total = Number(intent.size.slice(2));
    const parts = this.#rand() < 0.25 ? 0 : 1 + Math.floor(this.#rand() * Math.min(3, total));
    let filled = 0;
    for (let p = 1; p <= parts; p++) {
      const lots = p === parts ? total - filled : 1;
      filled += lots;
      steps.push({ fill: this.#fill(order, `0.${lots}`) });
      next({ status: filled === total ? 'filled' : 'partially_filled', filledSize: `0.${filled}`, avgFillPrice: intent.price });
    }
    if (parts === 0) {
      next({ status: 'cancelling' });
      next({ status: 'cancelled', reason: 'probe' });
    }
    return steps;
  }

  /** One order at a time, each record awaited before the next: the engine's normal path. */
  async lane(): Promise<never> {
    for (;;) {
      const intent = this.#intent();
      await this.#store.writeIntent(intent);
      emit({ t: 'order', seq: 0, order: orderFromIntent(intent) });
      for (const step of this.#lifecycle(intent)) {
        if ('fill' in step) {
          if (await this.#store.recordFill(step.fill)) emit({ t: 'fill', fill: step.fill });
          if (this.#rand() < 0.1) await this.#store.recordFill(step.fill); // a venue resend: must be a no-op
        } else {
          const result = await this.#store.recordOrderUpdate(step.order);
          if (result.kind !== 'appended') throw new Error(`probe update not appended: ${JSON.stringify(result)}`);
          emit({ t: 'order', seq: result.seq, order: step.order });
        }
      }
    }
  }

  /** Several whole orders per transaction through writeBatch. */
  async batches(): Promise<never> {
    for (;;) {
      const ops: StateOp[] = [];
      for (let n = 1 + Math.floor(this.#rand() * 6); n > 0; n--) {
        const intent = this.#intent();
        ops.push({ kind: 'intent', intent });
        for (const step of this.#lifecycle(intent)) ops.push('fill' in step ? { kind: 'fill', fill: step.fill } : { kind: 'order', order: step.order });
      }
      const outcomes = await this.#store.writeBatch(ops);
      ops.forEach((op, i) => {
        const outcome = outcomes[i];
        if (op.kind === 'intent') emit({ t: 'order', seq: 0, order: orderFromIntent(op.intent) });
        else if (op.kind === 'fill' && outcome?.kind === 'written') emit({ t: 'fill', fill: op.fill });
        else if (op.kind === 'order' && outcome?.kind === 'appended') emit({ t: 'order', seq: outcome.seq, order: op.order });
        else throw new Error(`probe batch op not written: ${JSON.stringify(outcome)}`);
      });
    }
  }

  /**
   * Records that are overwritten in place, keyed by this probe's prefix so a checker can tell whose they
   * are; the counter only grows, so what is stored must be the last one reported or a later one.
   */
  async balancesAndSnapshots(): Promise<never> {
    const strategyId = `probe-${this.#prefix}`;
    for (let counter = 0; ; counter++) {
      const balance: Balance = { venue: 'sim', asset: this.#prefix, total: `${counter}`, available: `${counter}.5`, updatedAt: this.#now() };
      await this.#store.recordBalance(balance);
      emit({ t: 'balance', balance });
      await this.#store.saveSnapshot(strategyId, { counter });
      emit({ t: 'snapshot', strategyId, counter });
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, seed: { type: 'string' }, prefix: { type: 'string' }, 'max-ms': { type: 'string' } },
  });
  if (!values.dir || !values.seed || !values.prefix) {
    process.stderr.write('usage: durability-probe --dir DIR --seed N --prefix ID [--max-ms MS]\n');
    process.exit(2);
  }
  const store = await StateStore.open(values.dir, { clock: new LiveClock() });
  // A probe nobody kills is a broken test, not a pass: give up loudly.
  setTimeout(() => {
    process.stderr.write('durability-probe: not killed in time\n');
    process.exit(3);
  }, Number(values['max-ms'] ?? 15000)).unref();
  emit({ t: 'ready' });
  const work = new Workload(store, Number(values.seed), values.prefix);
  await Promise.all([work.lane(), work.lane(), work.lane(), work.batches(), work.balancesAndSnapshots()]);
}

main().catch((error: unknown) => {
  process.stderr.write(`durability-probe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
