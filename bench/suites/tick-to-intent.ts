import { LiveClock } from '../../src/core/clock.js';
import { EventFactory } from '../../src/core/event-factory.js';
import type { EventOf, OspreyEvent } from '../../src/core/events.js';
import type { Order, OrderIntent } from '../../src/core/types.js';
import { withFields } from '../../src/core/with-fields.js';
import { LatencyRegistry } from '../../src/main/metrics/latency.js';
import { StrategyHost } from '../../src/main/strategy-host/host.js';
import type { RiskLimitsSnapshot } from '../../src/workers/risk/precheck.js';
import type { StrategyIntent } from '../../src/workers/strategies/api.js';
import { resolveStrategy } from '../../src/workers/strategies/registry.js';
import type { StrategySpec } from '../../src/workers/protocol.js';
import { StrategyRunner } from '../../src/workers/strategies/runner.js';
import { encodeBatch } from '../../src/workers/event-codec.js';
import { percentile, round, type BenchLine, type SuiteOptions } from '../harness.js';
import { tickClock } from './tick-clock.js';

/*
 * Tick-to-intent latency at 1,000 ticks/s (CONTRACTS "latency": worker, inline, floor-postmessage,
 * worker-vs-floor). The strategy is the market maker requoting on every tick (requoteBps 0), so every
 * tick yields intents (two cancels, two post-only submits) through the risk pre-check. Cancels are
 * acknowledged back as `order.updated` (as a venue would) so the order view stays its live size.
 * - worker: from StrategyHost.dispatch of a quote to onIntents with its intents, through the hot port;
 * - inline: the same StrategyRunner called on the main thread;
 * - floor-postmessage: the same quote, encoded exactly as the host sends it (a one-item batch in the
 *   columnar wire form of src/workers/event-codec.ts), posted on the same port and echoed straight back
 *   by the worker, interleaved with the worker ticks half a period apart, so both see the same machine
 *   state. The worker path costs more by the strategy's work and by its reply (four intents rather
 *   than one quote).
 * Ticks come from a clock thread (tick-clock.ts), so the main thread is idle between them, as an
 * engine waiting on its sockets is.
 */

const INSTRUMENT = 'sim:BTC-PERP';
const SPEC: StrategySpec = { strategyId: 'bench-mm', name: 'market-maker', instrument: INSTRUMENT, params: { size: '0.001', maxInventory: '0.01', halfSpreadBps: 2, requoteBps: 0 } };
const LIMITS: RiskLimitsSnapshot = { maxOrderSize: 1, maxPositionNotional: 1_000_000, priceBandBps: 100 };
const PERIOD_NS = 1_000_000;
const WARM_UP_TICKS = 20_000;

/**
 * The bench's market: tick i's quote is made when tick i fires, as a decoder makes an event when its
 * message arrives. Not made ahead into an array: tens of thousands of retained events teach V8 that
 * EventFactory's allocations live long, it then allocates every event straight in the old generation
 * (allocation-site pretenuring), and the acknowledgements made by the same factory on the measured path
 * keep young objects alive through scavenges. The mid wanders deterministically, a new price nearly
 * every tick, so each path sees the same sequence.
 */
class QuoteSource {
  readonly #factory = new EventFactory(new LiveClock(), 'q');
  #mid = 65_000;
  #i = 0;
  /** The quote made last: the floor echoes the tick's own quote. */
  last: EventOf<'market.quote'> | undefined;

  next(): EventOf<'market.quote'> {
    this.#mid += ((this.#i++ * 7919) % 11) - 5;
    const mid = this.#mid;
    return (this.last = this.#factory.make('market.quote', { instrument: INSTRUMENT, bidPrice: mid - 0.5, bidSize: 1, askPrice: mid + 0.5, askSize: 1 }));
  }
}

/** Samples in µs, kept in a preallocated array so recording them allocates nothing. */
class Samples {
  readonly #values: Float64Array;
  #count = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  add(us: number): void {
    this.#values[this.#count++] = us;
  }

  sorted(): Float64Array {
    return this.#values.slice(0, this.#count).sort();
  }
}

/** The venue's acknowledgement of a cancel, so the strategy's order view does not grow without bound. */
function cancelledAcks(intents: readonly StrategyIntent[], live: Map<string, OrderIntent>, factory: EventFactory): OspreyEvent[] {
  const acks: OspreyEvent[] = [];
  for (const intent of intents) {
    if (intent.kind === 'submit') live.set(intent.order.clientOrderId, intent.order);
    if (intent.kind !== 'cancel') continue;
    const order = live.get(intent.clientOrderId);
    if (order === undefined) continue;
    live.delete(intent.clientOrderId);
    const done: Order = withFields(order, { status: 'cancelled', filledSize: '0', avgFillPrice: '0', updatedAt: order.createdAt } as const);
    acks.push(factory.make('order.updated', { order: done }));
  }
  return acks;
}

/** Calls `tick(i)` every PERIOD_NS and `half(i)` half a period later, from the tick clock thread. */
async function paced(count: number, tick: (i: number) => void, half?: (i: number) => void): Promise<void> {
  await tickClock(count, PERIOD_NS, half === undefined ? 1 : 2, (i, phase) => (phase === 0 ? tick(i) : half!(i)));
  // Let the last replies arrive.
  await new Promise((r) => setTimeout(r, 50));
}

function lines(kase: string, sorted: Float64Array, context: Record<string, string | number>): BenchLine[] {
  return (['p50', 'p99', 'p999'] as const).map((p) => ({
    suite: 'latency', case: kase, metric: `${p}_us`, value: round(percentile(sorted, p === 'p50' ? 50 : p === 'p99' ? 99 : 99.9), 1), unit: 'us', samples: sorted.length, ...context,
  }));
}

/*
 * Warm-up: every path first runs `warmUp` ticks back to back, unpaced, so V8 has optimised the code
 * before anything is timed (a running engine's code is long past that point). At 1,000/s the bench
 * alone would still be tiering up: a tick (with its acknowledgements) cost ~45 µs in a tight loop over
 * the first 500 and ~15 µs after 20,000. The paced `warm` ticks after it are dropped too.
 */

/** The tick as the hot port carries it to the worker: the floor's payload. */
const wire = (event: EventOf<'market.quote'>) => encodeBatch([{ to: [SPEC.strategyId], event }]);

interface Plan {
  /** Unpaced ticks before anything is timed. */
  readonly warmUp: number;
  /** Paced ticks, of which the first `warm` are dropped. */
  readonly paced: number;
  readonly warm: number;
}

async function workerAndFloor(plan: Plan, registry: LatencyRegistry): Promise<{ worker: Samples; floor: Samples }> {
  const market = new QuoteSource();
  const factory = new EventFactory(new LiveClock(), 'ack');
  const live = new Map<string, OrderIntent>();
  const sentAt = new Float64Array(plan.paced);
  const worker = new Samples(plan.paced);
  const floor = new Samples(plan.paced);
  let received = 0;
  let measuring = false;
  let warmReply: (() => void) | undefined;
  const host = await StrategyHost.start({
    threads: 1,
    recordLatency: (stage, us) => measuring && registry.record(stage, us),
    onIntents: (_id, intents) => {
      const now = performance.now();
      if (warmReply !== undefined) {
        warmReply();
        warmReply = undefined;
      } else {
        const i = received++;
        if (i >= plan.warm) worker.add((now - sentAt[i]!) * 1000);
      }
      for (const ack of cancelledAcks(intents, live, factory)) host.dispatch(ack);
    },
  });
  try {
    await host.setRiskLimits(LIMITS);
    await host.load(SPEC);
    for (let i = 0; i < plan.warmUp; i++) {
      const event = market.next();
      await new Promise<void>((resolve) => {
        warmReply = resolve;
        host.dispatch(event);
      });
      await host.echo(wire(event));
    }
    measuring = true;
    await paced(
      plan.paced,
      (i) => {
        const event = market.next();
        sentAt[i] = performance.now();
        host.dispatch(event);
      },
      (i) => void host.echo(wire(market.last!)).then((ns) => { if (i >= plan.warm) floor.add(ns / 1000); }),
    );
    if (received !== plan.paced) throw new Error(`worker answered ${received} of ${plan.paced} ticks`);
  } finally {
    await host.stop();
  }
  return { worker, floor };
}

async function inline(plan: Plan): Promise<Samples> {
  const runner = new StrategyRunner(await resolveStrategy(SPEC.name), SPEC, new LiveClock());
  runner.limits = LIMITS;
  const market = new QuoteSource();
  const factory = new EventFactory(new LiveClock(), 'ack');
  const live = new Map<string, OrderIntent>();
  const samples = new Samples(plan.paced);
  const tick = (): number => {
    const event = market.next();
    const start = performance.now();
    const out = runner.handle(event);
    const us = (performance.now() - start) * 1000;
    if (out.intents.length === 0) throw new Error('inline tick produced no intents');
    for (const ack of cancelledAcks(out.intents, live, factory)) runner.handle(ack);
    return us;
  };
  for (let i = 0; i < plan.warmUp; i++) tick();
  await paced(plan.paced, (i) => {
    const us = tick();
    if (i >= plan.warm) samples.add(us);
  });
  return samples;
}

export async function tickToIntentCases({ quick, progress }: SuiteOptions): Promise<BenchLine[]> {
  const warm = quick ? 500 : 2_000;
  const plan: Plan = { warmUp: WARM_UP_TICKS, warm, paced: warm + (quick ? 5_000 : 30_000) };
  const registry = await LatencyRegistry.create();
  progress(`worker + floor: ${plan.warmUp} warm-up ticks, then ${plan.paced} at 1,000/s`);
  const measured = await workerAndFloor(plan, registry);
  progress(`inline: ${plan.warmUp} warm-up ticks, then ${plan.paced} at 1,000/s`);
  const inlineUs = (await inline(plan)).sorted();
  const worker = measured.worker.sorted();
  const floor = measured.floor.sorted();
  const context = { rate_per_s: 1000, strategy: SPEC.name, histograms: registry.build };
  const out = [...lines('worker', worker, context), ...lines('inline', inlineUs, context), ...lines('floor-postmessage', floor, context)];
  const ratio = percentile(worker, 50) / percentile(floor, 50);
  out.push({ suite: 'latency', case: 'worker-vs-floor', metric: 'ratio_p50', value: round(ratio, 3), unit: 'x', target: 1.5 });
  // Where the worker path spends it, per stage, from the host's own HDR histograms.
  for (const s of registry.snapshot()) out.push({ suite: 'latency', case: `stage-${s.stage}`, metric: 'p50_us', value: s.p50Us, unit: 'us', p99_us: s.p99Us, count: s.count });
  registry.destroy();
  progress(`worker p50 ${round(percentile(worker, 50), 1)} µs, floor p50 ${round(percentile(floor, 50), 1)} µs, ratio ${round(ratio, 2)}`);
  return out;
}
