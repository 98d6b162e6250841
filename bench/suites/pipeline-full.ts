import { LiveClock } from '../../src/core/clock.js';
import { dec } from '../../src/core/decimal.js';
import { EventFactory } from '../../src/core/event-factory.js';
import type { Order, OrderIntent } from '../../src/core/types.js';
import { readFeedLines } from '../../src/data/feed-lines.js';
import { dataPath } from '../../src/data/paths.js';
import { EventBus } from '../../src/main/bus/bus.js';
import { BinanceMarketDecoder } from '../../src/main/exchange/binance/market-decoder.js';
import { RiskGate } from '../../src/main/risk/gate.js';
import { gateLimits } from '../../src/main/risk/limits.js';
import { MarketPrices } from '../../src/main/risk/marks.js';
import { StrategyHost } from '../../src/main/strategy-host/host.js';
import type { StrategySpec } from '../../src/workers/protocol.js';
import type { RiskLimitsSnapshot } from '../../src/workers/risk/precheck.js';
import type { StrategyIntent } from '../../src/workers/strategies/api.js';
import { round, type BenchLine, type SuiteOptions } from '../harness.js';

/*
 * pipeline / full (CONTRACTS "Benchmarks"; issue 4: >= 100,000 msgs/s with no queue growth). The
 * recorded Binance feed, raw text, goes the engine's way: BinanceMarketDecoder -> EventBus ->
 * StrategyHost (attached to the bus, as StrategyComponent does) -> a market maker on a worker thread
 * (worker-side pre-check included) -> its intents back on the main thread -> RiskGate.check, with the
 * gate's MarketPrices fed from the same bus. What stands in for the venue is only the acknowledgement
 * an executor would publish: a passed submit rests, a cancel releases its reservation and is confirmed
 * with `order.updated` (on the bus, so the host routes it back), a denied submit is confirmed rejected.
 * Without those the strategy's order view and the gate's open-order count would grow without bound.
 *
 * Pacing: lines are decoded back to back, and every CHUNK lines the feeder yields one event-loop turn,
 * as a socket delivering frames would, so worker replies (and the host's next batch) get through. It
 * never waits for the workers: if they fall behind, the host's pending queue grows, which is exactly
 * what this case must detect. The clock stops when the last event has been through the worker and its
 * intents through the gate (drained), so a backlog is paid for in the rate, not hidden after it.
 */

const INSTRUMENT = 'binance:BTCUSDT-PERP';
// requoteBps 1, the strategy's default: requote when the wanted price moved 1 bp. With 0 (replace on
// every top-of-book change) cancels awaiting their acknowledgement pile up in the worker's order view
// faster than the acks return and the pre-check, which scans them, slows the worker until the queue
// runs away (a few thousand msgs/s): a cancel storm, not market-data throughput.
const SPEC: StrategySpec = { strategyId: 'bench-full-mm', name: 'market-maker', instrument: INSTRUMENT, params: { size: '0.001', maxInventory: '0.01', halfSpreadBps: 2, requoteBps: 1 } };
const WORKER_LIMITS: RiskLimitsSnapshot = { maxOrderSize: 1, maxPositionNotional: 1_000_000, priceBandBps: 100 };
/** Lines decoded between two event-loop turns. A worker's reply waits for the next turn, and the next
 * batch goes out only then, so long chunks leave the worker idle; 32 lines (~0.3 ms) keeps that bubble
 * small at a negligible cost per turn (measured: with 128, ~220 events per batch; with 32, ~95 at the
 * same throughput, so the worker is handed work twice as often). */
const CHUNK = 32;

/** The gate's limits, loose enough that the market maker's quotes pass (each is still checked against
 * every limit). The order rate is the most the config allows (1000/s); the replay runs faster than
 * recorded, so a few quotes may be denied ORDER_RATE, which the context reports. */
function benchGate(bus: EventBus, prices: MarketPrices): RiskGate {
  const limits = gateLimits({ maxOrderSize: 1, maxPositionNotional: 1_000_000, maxLeverage: 20, priceBandBps: 100, maxOrdersPerSecond: 1000, maxOpenOrders: 100, maxDailyLoss: 1e9, maxDrawdownPct: 50 });
  return new RiskGate({ bus, clock: new LiveClock(), limits, prices, equity: () => dec(100_000) });
}

interface Tally {
  intents: number;
  passed: number;
  denied: Map<string, number>;
  workerDenials: number;
  /** Strategy, worker or bus subscriber failures: any one makes the run invalid. */
  errors: string[];
}

/** The main-thread side of intents: the gate, and the acknowledgements an executor would publish. */
function deskFor(bus: EventBus, gate: RiskGate, tally: Tally): (intents: readonly StrategyIntent[]) => void {
  const acks = new EventFactory(new LiveClock(), 'bench-ack');
  const live = new Map<string, OrderIntent>();
  const ack = (order: OrderIntent, status: Order['status']) => bus.publish(acks.make('order.updated', { order: { ...order, status, filledSize: '0', avgFillPrice: '0', updatedAt: order.createdAt } }));
  return (intents) => {
    for (const intent of intents) {
      tally.intents++;
      if (intent.kind === 'submit') {
        const denial = gate.check(intent.order);
        if (denial === undefined) {
          tally.passed++;
          live.set(intent.order.clientOrderId, intent.order);
        } else {
          tally.denied.set(denial.code, (tally.denied.get(denial.code) ?? 0) + 1);
          ack(intent.order, 'rejected');
        }
      } else if (intent.kind === 'cancel') {
        const order = live.get(intent.clientOrderId);
        if (order === undefined) continue;
        live.delete(intent.clientOrderId);
        gate.exposure.finalize(intent.clientOrderId, '0');
        ack(order, 'cancelled');
      }
    }
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits until everything sent to the worker has come back: an echo on the hot port returns after every
 * batch sent before it, so one that started with nothing queued, and during which nothing new was sent,
 * proves the worker idle (acks published from intents are new events, hence the loop). */
async function drain(host: StrategyHost): Promise<void> {
  for (;;) {
    const before = host.stats()[0]!;
    await host.echo();
    const after = host.stats()[0]!;
    if (before.queued === 0 && after.queued === 0 && after.events === before.events) return;
  }
}

interface PassResult {
  seconds: number;
  maxQueue: number;
  drainMs: number;
}

async function feedPass(lines: readonly string[], isSnapshot: readonly boolean[], decoder: BinanceMarketDecoder, host: StrategyHost): Promise<PassResult> {
  let maxQueue = 0;
  const start = process.hrtime.bigint();
  // Each pass replays the file from its start, which breaks the update-id chain: start over as after a
  // reconnect (diffs buffer until the snapshot line, then the chain resumes).
  decoder.resync('BTCUSDT');
  for (let i = 0; i < lines.length; i++) {
    if (isSnapshot[i]) decoder.decodeDepthSnapshot('BTCUSDT', lines[i]!);
    else decoder.decode(lines[i]!);
    if (i % CHUNK === CHUNK - 1) {
      const queued = host.stats()[0]!.queued;
      if (queued > maxQueue) maxQueue = queued;
      await turn();
    }
  }
  const fed = process.hrtime.bigint();
  await drain(host);
  const end = process.hrtime.bigint();
  if (decoder.counters().gaps > 0) throw new Error('pipeline full: the feed replay hit a depth gap; the bench would measure the wrong path');
  return { seconds: Number(end - start) / 1e9, maxQueue, drainMs: Number(end - fed) / 1e6 };
}

/**
 * Queue growth. The feed is bursty: the queue rises in busy stretches (and through GC pauses) and comes
 * back down in calm ones, a bounded swing reported as max_queue. Growth is a backlog the workers cannot
 * work off while the feed runs: one still there when a pass's last line is decoded that takes more than
 * a tenth of the pass to drain. Workers slower than the feed on average leave a backlog that grows with
 * the pass (the cancel storm described at SPEC left ~80,000 events queued, 17-35 s to drain).
 */
function queueGrew(results: readonly PassResult[]): boolean {
  return results.some((r) => r.drainMs / 1000 > 0.1 * (r.seconds - r.drainMs / 1000));
}

export async function pipelineFullCase({ quick, progress }: SuiteOptions): Promise<BenchLine[]> {
  const lines = readFeedLines(dataPath('btcusdt_20240808.gz')).map((l) => l.json);
  // The recorder wrote the REST depth snapshot into the stream file; it goes to its own entry point.
  const isSnapshot = lines.map((l) => l.startsWith('{"lastUpdateId"'));
  const passes = quick ? 3 : 10;
  const tally: Tally = { intents: 0, passed: 0, denied: new Map(), workerDenials: 0, errors: [] };
  // The bus swallows what its error handler throws, so failures are collected and fail the run instead.
  const fail = (error: unknown) => void tally.errors.push(error instanceof Error ? error.message : String(error));
  const bus = new EventBus(fail);
  const prices = new MarketPrices(bus);
  const gate = benchGate(bus, prices);
  const desk = deskFor(bus, gate, tally);
  // One thread: one strategy instance is pinned to one worker, so a second would idle; it is also the
  // host's default on this 2-core machine (cores - 1).
  const host = await StrategyHost.start({
    threads: 1,
    onIntents: (_id, intents) => desk(intents),
    onDenials: (denials) => void (tally.workerDenials += denials.length),
    onError: fail,
  });
  const decoder = new BinanceMarketDecoder({ instruments: new Map([['BTCUSDT', INSTRUMENT]]), clock: new LiveClock(), sink: bus });
  try {
    await host.setRiskLimits(WORKER_LIMITS);
    await host.load(SPEC);
    const detach = host.attach(bus);
    progress(`full: warm-up pass over ${lines.length} lines`);
    await feedPass(lines, isSnapshot, decoder, host);
    const base = { messages: decoder.counters().messages, events: decoder.counters().events, batches: host.stats()[0]!.batches, sent: host.stats()[0]!.events };
    // Count the timed passes only: the warm-up's intents include the first, mark-less ones.
    Object.assign(tally, { intents: 0, passed: 0, denied: new Map(), workerDenials: 0 });
    const results: PassResult[] = [];
    for (let p = 0; p < passes; p++) {
      const r = await feedPass(lines, isSnapshot, decoder, host);
      progress(`full: pass ${p + 1}/${passes}: ${Math.round(lines.length / r.seconds).toLocaleString()} msgs/s, max queue ${r.maxQueue}, drain ${round(r.drainMs, 1)} ms`);
      results.push(r);
    }
    detach();
    const seconds = results.reduce((s, r) => s + r.seconds, 0);
    const c = decoder.counters();
    const slot = host.stats()[0]!;
    const messages = c.messages - base.messages;
    const events = c.events - base.events;
    const intents = tally.intents;
    const maxQueue = Math.max(...results.map((r) => r.maxQueue));
    const grew = queueGrew(results);
    if (intents === 0) throw new Error('pipeline full: the strategy emitted no intents; the bench would not exercise the gate');
    if (tally.errors.length > 0) throw new Error(`pipeline full: ${tally.errors.length} failures during the run, first: ${tally.errors[0]}`);
    const denied = [...tally.denied].map(([code, n]) => `${code}:${n}`).join(',') || 'none';
    const context = {
      lines: lines.length, passes, strategy: SPEC.name, threads: 1, max_queue: maxQueue, queue_growth: grew ? 1 : 0,
      max_drain_ms: round(Math.max(...results.map((r) => r.drainMs)), 1), events_per_batch: round((slot.events - base.sent) / (slot.batches - base.batches), 1),
      gate_passed: tally.passed, gate_denied: denied, worker_denials: tally.workerDenials, target: 100_000,
    };
    const line = (metric: string, value: number, unit: string): BenchLine => ({ suite: 'pipeline', case: 'full', metric, value: Math.round(value), unit, ...context });
    const rate = messages / seconds;
    progress(`full: ${Math.round(rate).toLocaleString()} msgs/s end to end, ${Math.round(intents / seconds).toLocaleString()} intents/s, max queue ${maxQueue}, growth ${grew ? 'yes' : 'no'}`);
    return [line('msgs_per_s', rate, 'msgs/s'), line('events_per_s', events / seconds, 'events/s'), line('intents_per_s', intents / seconds, 'intents/s')];
  } finally {
    await host.stop();
    prices.close();
  }
}
