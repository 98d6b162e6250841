import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/clock.js';
import { EventFactory } from '../../src/core/event-factory.js';
import { z } from 'zod';
import type { RunnerOutput } from '../../src/workers/protocol.js';
import { appendOutput, closeResult, openResult, readOutputs, resultTimes } from '../../src/workers/result-codec.js';
import { defineStrategy } from '../../src/workers/strategies/api.js';
import { StrategyRunner } from '../../src/workers/strategies/runner.js';
import { INSTRUMENT } from './kit.js';

const order = { clientOrderId: 's-1-1', strategyId: 's', instrument: INSTRUMENT, type: 'limit', size: '0.5', price: '100.25', timeInForce: 'GTC', reduceOnly: false, createdAt: 7 } as const;

describe('hot-port wire format', () => {
  it('gives back exactly what the strategy returned, for every intent kind', () => {
    const out: RunnerOutput = {
      strategyId: 's',
      intents: [
        { kind: 'submit', postOnly: false, order: { ...order, side: 'buy' } },
        { kind: 'submit', postOnly: true, order: { ...order, side: 'sell', timeInForce: 'ALO', reduceOnly: true } },
        { kind: 'submit', postOnly: false, slippageBps: 10, order: { ...order, side: 'sell', type: 'market', timeInForce: 'IOC' } },
        { kind: 'cancel', strategyId: 's', instrument: INSTRUMENT, clientOrderId: 's-1-1' },
        { kind: 'amend', strategyId: 's', instrument: INSTRUMENT, clientOrderId: 's-1-2', price: '101' },
        { kind: 'amend', strategyId: 's', instrument: INSTRUMENT, clientOrderId: 's-1-3', size: '2' },
        { kind: 'amend', strategyId: 's', instrument: INSTRUMENT, clientOrderId: 's-1-4', price: '99', size: '3' },
        { kind: 'amend', strategyId: 's', instrument: INSTRUMENT, clientOrderId: 's-1-5' },
        { kind: 'submit', postOnly: false, slippageBps: 0, order: { ...order, side: 'buy', type: 'market', timeInForce: 'IOC' } },
      ],
      denials: [{ code: 'MAX_ORDER_SIZE', reason: 'MAX_ORDER_SIZE: order size 3 exceeds 2', strategyId: 's', instrument: INSTRUMENT, limit: '2', value: '3' }],
      errors: [{ code: 'STRATEGY_FAILED', hook: 'onBar', message: 'x' }],
      logs: [{ level: 'info', message: 'exit: stop-loss' }],
    };
    const quiet: RunnerOutput = { strategyId: 'q', intents: [{ kind: 'cancel', strategyId: 'q', instrument: INSTRUMENT, clientOrderId: 'q-1-1' }], denials: [], errors: [], logs: [] };
    const gone: RunnerOutput = { ...out, strategyId: 'gone' };
    const withSnapshot: RunnerOutput = { strategyId: 'f', intents: [], denials: [], errors: [], logs: [], snapshot: { name: 'x', params: {}, position: { instrument: INSTRUMENT, size: '1', cost: '100', realisedPnl: '0', fees: '0', updatedAt: 3 }, openedAt: 3, orders: [], exit: { side: 'long', best: 100 }, strategy: [1] } };
    const result = openResult(41, 1_000);
    // The same instance twice (two events of one batch), and one unloaded in between.
    for (const o of [out, gone, quiet, withSnapshot, quiet]) appendOutput(result, o);
    closeResult(result, 2_000, 250);
    // Through structured clone, as the port carries it.
    const wire = structuredClone(result);
    expect(resultTimes(wire)).toEqual({ seq: 41, recvNs: 1_000, doneNs: 2_000, riskNs: 250 });
    const read: RunnerOutput[] = [];
    // 'gone' was unloaded while the batch was in flight: read past, dropped, and what follows still reads right.
    readOutputs(wire, (id) => (id === 'gone' ? undefined : INSTRUMENT), (o) => read.push(o));
    expect(read).toEqual([out, quiet, withSnapshot, quiet]);
  });

  it('refuses a result with an intent kind it does not know', () => {
    expect(() => readOutputs([1, 0, 0, 0, 's', 1, 'x', 'y', 0], () => INSTRUMENT, () => undefined)).toThrow('worker result: unknown intent kind x');
  });

  it('the runner refuses an intent for another instrument, so decoding with its own loses nothing', () => {
    const clock = new SimulatedClock(0);
    const stray = { kind: 'cancel', strategyId: 'r', instrument: 'sim:ETH-PERP', clientOrderId: 'x' } as const;
    const rogue = defineStrategy({ name: 'rogue', description: 'builds intents by hand, wrongly', params: z.strictObject({}), updatable: [], create: () => ({ onTrade: () => [stray] }) });
    const runner = new StrategyRunner(rogue, { strategyId: 'r', name: 'rogue', instrument: INSTRUMENT, params: {} }, clock);
    const out = runner.handle(new EventFactory(clock, 'p').make('market.trade', { instrument: INSTRUMENT, price: 1, size: 1, aggressor: 'buy', tradeId: '2' }));
    expect(out.intents).toEqual([]);
    expect(out.errors[0]?.message).toBe(`STRATEGY_FAILED: r returned an intent for r on sim:ETH-PERP; it may only trade ${INSTRUMENT}`);
  });
});
