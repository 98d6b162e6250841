import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { hyperliquidCloid } from '../../../src/main/exchange/hyperliquid/cloid.js';
import type { SubmitRequest } from '../../../src/main/execution/executor.js';
import { limitsFor } from '../risk/limits-fixture.js';
import { FakeVenue } from './fake-venue.js';
import { executionKit } from './kit.js';
import { BTC, type Engine, type SimServer, WALLET, connectEngine, startSimServer } from './sim-stack.js';

const X = 'sim:X';
const buy = (intentSeq: number, strategyId: string, size: string): SubmitRequest => ({
  intentSeq, strategyId, instrument: X, side: 'buy', type: 'limit', size, price: '100', timeInForce: 'GTC', reduceOnly: false,
});

describe('amending resting orders through the gate', () => {
  it('grows only within limits (counting other strategies), shrinks release on confirmation, halted refuses', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    let venue!: FakeVenue;
    const kit = await executionKit({
      clock, limits: limitsFor({ maxPosition: 2, priceBandBps: 200 }), marks: { [X]: '100' },
      venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99, ask: 101, size: 10 })),
    });
    try {
      const a = await kit.executor.submit(buy(1, 'a', '1'));
      expect(await kit.executor.amend(a.clientOrderId, { size: '1.5' })).toMatchObject({ kind: 'amended', order: { size: '1.5' } });
      expect(kit.gate.exposure.ofInstrument(X).pendingBuy.toFixed()).toBe('1.5');
      await kit.executor.submit(buy(1, 'b', '0.4'));
      expect(await kit.executor.amend(a.clientOrderId, { size: '1.8' })).toMatchObject({ kind: 'denied', denial: { code: 'MAX_POSITION', limit: '2', value: '2.2' } });
      expect(await kit.executor.amend(a.clientOrderId, { price: '103' })).toMatchObject({ kind: 'denied', denial: { code: 'PRICE_BAND' } });
      // Refused changes leave venue and reservation as they were.
      expect(venue.orders.get(a.clientOrderId)!.order).toMatchObject({ size: '1.5', price: '100' });
      expect(kit.gate.exposure.ofInstrument(X).pendingBuy.toFixed()).toBe('1.9');
      expect(await kit.executor.amend(a.clientOrderId, { size: '0.5', price: '99.5' })).toMatchObject({ kind: 'amended', order: { size: '0.5', price: '99.5' } });
      expect(kit.gate.exposure.ofInstrument(X).pendingBuy.toFixed()).toBe('0.9');
      await kit.gate.halt('test');
      expect(await kit.executor.amend(a.clientOrderId, { size: '0.6' })).toMatchObject({ kind: 'not-open' });
      expect(kit.of('risk.denied').map((d) => d.code)).toEqual(['MAX_POSITION', 'PRICE_BAND']);
    } finally {
      await kit.close();
    }
  });
});

describe('amending on the simulated Hyperliquid venue', () => {
  let sim: SimServer;
  let engine: Engine;

  beforeAll(async () => {
    sim = await startSimServer();
    engine = await connectEngine(sim, limitsFor({ maxOrderSize: 1, priceBandBps: 1500 }));
  });

  afterAll(async () => {
    await engine?.close();
    await sim?.close();
  });

  it('moves the order to its new price; still one live order under the same cloid, store follows the new oid', async () => {
    const placed = await engine.kit.executor.submit({ intentSeq: 1, strategyId: 'mm', instrument: BTC, side: 'buy', type: 'limit', size: '0.001', price: '60000', timeInForce: 'GTC', reduceOnly: false });
    expect(placed).toMatchObject({ outcome: 'accepted' });
    const outcome = await engine.kit.executor.amend(placed.clientOrderId, { price: '61000' });
    expect(outcome).toMatchObject({ kind: 'amended', order: { price: '61000' } });
    const live = sim.venue.openOrders(WALLET).filter((o) => o.cloid === hyperliquidCloid(placed.clientOrderId));
    expect(live.map((o) => [Number(o.limitPx), Number(o.sz)])).toEqual([[61000, 0.001]]);
    expect(engine.kit.store.getOrder(placed.clientOrderId)).toMatchObject({ price: '61000', venueOrderId: String(live[0]!.oid) });
  });
});
