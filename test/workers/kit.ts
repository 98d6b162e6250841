import { SimulatedClock } from '../../src/core/clock.js';
import { EventFactory } from '../../src/core/event-factory.js';
import type { EventOf } from '../../src/core/events.js';
import type { Fill, OrderIntent } from '../../src/core/types.js';
import type { CandleRow } from '../../src/data/candles.js';
import { resolveStrategy } from '../../src/workers/strategies/registry.js';
import type { RunnerOutput, StrategySpec } from '../../src/workers/protocol.js';
import { StrategyRunner } from '../../src/workers/strategies/runner.js';

export const INSTRUMENT = 'sim:BTC-PERP';

export interface Traded {
  readonly barIndex: number;
  readonly order: OrderIntent;
  /** The strategy's position after the fill. */
  readonly positionAfter: string;
}

export function barEvent(factory: EventFactory, c: CandleRow, closed = true): EventOf<'market.bar'> {
  return factory.make('market.bar', { instrument: INSTRUMENT, interval: '1m', openTime: c.openTime, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume), closed }, c.openTime + 60_000);
}

export async function runnerFor(spec: Omit<StrategySpec, 'instrument'>, clock = new SimulatedClock(0)): Promise<{ runner: StrategyRunner; clock: SimulatedClock }> {
  const runner = new StrategyRunner(await resolveStrategy(spec.name), { ...spec, instrument: INSTRUMENT }, clock);
  return { runner, clock };
}

/**
 * Drives a runner over candles with the CONTRACTS candle rule: an order decided at a bar's close fills
 * at the next bar's open (no slippage, no fee here). `pending` carries orders across calls, so a run
 * can be split in two (snapshot, restore, go on). Bar indexes in trades count from `offset`.
 */
export function drive(runner: StrategyRunner, clock: SimulatedClock, candles: readonly CandleRow[], offset = 0, pending: OrderIntent[] = []): { trades: Traded[]; outputs: RunnerOutput[]; pending: OrderIntent[] } {
  const factory = new EventFactory(clock, 'k');
  const trades: Traded[] = [];
  const outputs: RunnerOutput[] = [];
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    clock.set(Math.max(clock.now(), c.openTime));
    for (const order of pending) {
      const fill: Fill = { venue: 'sim', instrument: INSTRUMENT, venueTradeId: `f${order.clientOrderId}`, venueOrderId: `v${order.clientOrderId}`, clientOrderId: order.clientOrderId, side: order.side, price: c.open, size: order.size, fee: '0', feeCurrency: 'USDT', liquidity: 'taker', ts: c.openTime };
      outputs.push(runner.handle(factory.make('fill.received', { fill })));
      trades.push({ barIndex: offset + i, order, positionAfter: runner.snapshot().position.size });
    }
    pending = [];
    clock.set(c.openTime + 60_000);
    const out = runner.handle(barEvent(factory, c));
    outputs.push(out);
    for (const intent of out.intents) if (intent.kind === 'submit') pending.push(intent.order);
  }
  return { trades, outputs, pending };
}

export async function replayCandles(spec: Omit<StrategySpec, 'instrument'>, candles: readonly CandleRow[]): Promise<{ trades: Traded[]; outputs: RunnerOutput[]; runner: StrategyRunner }> {
  const { runner, clock } = await runnerFor(spec);
  return { ...drive(runner, clock, candles), runner };
}

/** Simple moving average of the `n` closes ending at index `i`, summed naively: the reference. */
export function referenceSma(closes: readonly number[], i: number, n: number): number | undefined {
  if (i + 1 < n) return undefined;
  let sum = 0;
  for (let k = i - n + 1; k <= i; k++) sum += closes[k]!;
  return sum / n;
}
