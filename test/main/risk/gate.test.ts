import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal, dec } from '../../../src/core/decimal.js';
import type { EventOf } from '../../../src/core/events.js';
import type { OrderIntent } from '../../../src/core/types.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import { RiskGate } from '../../../src/main/risk/gate.js';
import { configuredGateLimits, type GateLimits } from '../../../src/main/risk/limits.js';
import { configSchema } from '../../../src/main/config/schema.js';
import { MarketPrices } from '../../../src/main/risk/marks.js';
import { FakeVenue } from '../execution/fake-venue.js';
import { executionKit } from '../execution/kit.js';
import { limitsFor } from './limits-fixture.js';

const account = { maxOrderSize: 100, maxPositionNotional: 1e9, maxLeverage: 100, priceBandBps: 1000, maxOrdersPerSecond: 1000, maxOpenOrders: 1000, maxDailyLoss: 1e9, maxDrawdownPct: 99, maxPosition: 2 };

const X = 'sim:X';
let n = 0;
const intent = (over: Partial<OrderIntent> = {}): OrderIntent => ({
  clientOrderId: `c${++n}`, strategyId: 'a', instrument: X, side: 'buy', type: 'limit', size: '1', price: '100', timeInForce: 'GTC', reduceOnly: false, createdAt: 0, ...over,
});

/** `null` equity: the account value is unknown. */
function gateWith(limits: GateLimits, equity: Decimal | null = dec(10_000)) {
  const clock = new SimulatedClock(1_700_000_000_000);
  const bus = new EventBus((e) => { throw e; });
  const denied: EventOf<'risk.denied'>[] = [];
  const states: EventOf<'risk.state'>[] = [];
  bus.subscribe('risk.denied', (e) => denied.push(e));
  bus.subscribe('risk.state', (e) => states.push(e));
  const prices = new MarketPrices(bus);
  prices.setMark(X, 100);
  const gate = new RiskGate({ bus, clock, limits, prices, equity: () => equity ?? undefined });
  return { gate, clock, denied, states, prices };
}

describe('risk gate: each limit denies with its code and the numbers that tripped it', () => {
  it('order size, price band and missing mark', () => {
    const { gate, denied, prices } = gateWith(limitsFor({ maxOrderSize: 2, priceBandBps: 100 }));
    expect(gate.check(intent({ size: '2.5' }))).toMatchObject({ code: 'MAX_ORDER_SIZE', limit: '2', value: '2.5' });
    expect(gate.check(intent({ price: '102' }))).toMatchObject({ code: 'PRICE_BAND', limit: '100', value: '200' });
    expect(gate.check(intent({ price: '101' }))).toBeUndefined();
    prices.close();
    expect(gate.check(intent({ instrument: 'sim:Z' }))).toMatchObject({ code: 'NO_MARK_PRICE' });
    expect(denied.map((d) => [d.code, d.strategyId, d.instrument])).toEqual([['MAX_ORDER_SIZE', 'a', X], ['PRICE_BAND', 'a', X], ['NO_MARK_PRICE', 'a', 'sim:Z']]);
  });

  it('position counts pending orders of every strategy: two strategies cannot jointly breach', () => {
    const { gate } = gateWith(limitsFor({ maxPosition: 3 }, { strategies: { a: { maxPosition: 2 } } }));
    expect(gate.check(intent({ size: '2' }))).toBeUndefined();
    expect(gate.check(intent({ size: '0.5' }))).toMatchObject({ code: 'MAX_POSITION', limit: '2', value: '2.5' });
    expect(gate.check(intent({ strategyId: 'b', size: '1' }))).toBeUndefined();
    expect(gate.check(intent({ strategyId: 'b', size: '0.1' }))).toMatchObject({ code: 'MAX_POSITION', limit: '3', value: '3.1' });
    // A sell reduces the worst case on the long side, and the short side has room.
    expect(gate.check(intent({ strategyId: 'b', side: 'sell', size: '1' }))).toBeUndefined();
  });

  it('limits from the config: risk.strategies and risk.instruments tighten the account, per strategy and instrument', () => {
    const config = configSchema.parse({
      strategies: [{ id: 'a', name: 'market-maker', instrument: X }, { id: 'b', name: 'sma-cross', instrument: X }],
      risk: { limits: { sim: account }, strategies: { a: { maxOrderSize: 0.5 } }, instruments: { [X]: { maxPosition: 1.5 } } },
    });
    const { gate, prices } = gateWith(configuredGateLimits(config, config.risk.limits.sim!));
    prices.setMark('sim:Y', 100);
    expect(gate.check(intent({ size: '0.6' }))).toMatchObject({ code: 'MAX_ORDER_SIZE', limit: '0.5', value: '0.6' });
    expect(gate.check(intent({ strategyId: 'b', size: '0.6' }))).toBeUndefined();
    expect(gate.check(intent({ strategyId: 'b', size: '1' }))).toMatchObject({ code: 'MAX_POSITION', limit: '1.5', value: '1.6' });
    // The account's own maxPosition applies where no scope is tighter: 2 on another instrument.
    expect(gate.check(intent({ strategyId: 'b', instrument: 'sim:Y', size: '2.5' }))).toMatchObject({ code: 'MAX_POSITION', limit: '2' });
  });

  it('reservations follow fills and are released when an order ends', () => {
    const { gate } = gateWith(limitsFor({ maxPosition: 2 }));
    const first = intent({ size: '2' });
    expect(gate.check(first)).toBeUndefined();
    gate.exposure.applyFill('a', X, 'buy', '0.5', first.clientOrderId);
    expect(gate.exposure.ofInstrument(X)).toMatchObject({ position: dec('0.5'), pendingBuy: dec('1.5') });
    // Final with 0.8 filled but only 0.5 seen as fills: 0.3 stays reserved until its fill arrives.
    gate.exposure.finalize(first.clientOrderId, '0.8');
    expect(gate.exposure.ofInstrument(X).pendingBuy.toFixed()).toBe('0.3');
    gate.exposure.applyFill('a', X, 'buy', '0.3', first.clientOrderId);
    expect(gate.exposure.ofInstrument(X)).toMatchObject({ position: dec('0.8'), pendingBuy: dec(0) });
    expect(gate.exposure.openOrderCount()).toBe(0);
    expect(gate.check(intent({ size: '1.2' }))).toBeUndefined();
  });

  it('notional, leverage and unknown equity', () => {
    const { gate } = gateWith(limitsFor({ maxPositionNotional: 250, maxLeverage: 0.02 }));
    expect(gate.check(intent({ size: '3' }))).toMatchObject({ code: 'MAX_NOTIONAL', limit: '250', value: '300' });
    expect(gate.check(intent({ size: '2.5' }))).toMatchObject({ code: 'MAX_LEVERAGE', limit: '0.02', value: '0.025' });
    const unknown = gateWith(limitsFor(), null).gate;
    expect(unknown.check(intent())).toMatchObject({ code: 'NO_EQUITY' });
  });

  it('order rate per second and open orders, per account and per strategy', () => {
    const { gate, clock } = gateWith(limitsFor({ maxOrdersPerSecond: 3, maxOpenOrders: 10 }, { strategies: { a: { maxOpenOrders: 2 } } }));
    expect(gate.check(intent({ size: '0.1' }))).toBeUndefined();
    expect(gate.check(intent({ size: '0.1' }))).toBeUndefined();
    expect(gate.check(intent({ size: '0.1' }))).toMatchObject({ code: 'MAX_OPEN_ORDERS', limit: '2', value: '3' });
    expect(gate.check(intent({ strategyId: 'b', size: '0.1' }))).toBeUndefined();
    expect(gate.check(intent({ strategyId: 'b', size: '0.1' }))).toMatchObject({ code: 'ORDER_RATE', limit: '3', value: '4' });
    clock.advance(1_000);
    expect(gate.check(intent({ strategyId: 'b', size: '0.1' }))).toBeUndefined();
  });

  it('REDUCING passes only intents that shrink the position; HALTED passes nothing', async () => {
    const { gate, states } = gateWith(limitsFor());
    gate.exposure.applyFill('a', X, 'buy', '2');
    await gate.setTradingState('REDUCING', 'operator');
    expect(gate.check(intent({ size: '1' }))).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(gate.check(intent({ side: 'sell', size: '3' }))).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(gate.check(intent({ side: 'sell', size: '1.5' }))).toBeUndefined();
    // The pending 1.5 counts: another 1 could flip the position short if both filled.
    expect(gate.check(intent({ side: 'sell', size: '1' }))).toMatchObject({ code: 'TRADING_REDUCING' });
    await gate.halt('operator kill switch');
    expect(gate.check(intent({ side: 'sell', size: '0.1' }))).toMatchObject({ code: 'TRADING_HALTED', reason: 'trading is halted: operator kill switch' });
    expect(states.map((s) => [s.from, s.to])).toEqual([['ACTIVE', 'REDUCING'], ['REDUCING', 'HALTED']]);
  });
});

describe('risk gate: daily loss halts, cancels every open order and flattens', () => {
  it('a loss past maxDailyLoss halts trading, cancels resting orders and closes the position', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    let venue!: FakeVenue;
    let equity = new Decimal(10_000);
    const kit = await executionKit({
      clock, limits: limitsFor({ maxDailyLoss: 500 }, { flattenOnHalt: true }), marks: { [X]: '100' }, equity: () => equity,
      venue: (bus) => (venue = new FakeVenue(bus, clock, { bid: 99.9, ask: 100.1, size: 50 })),
    });
    try {
      const buy = await kit.executor.submit({ intentSeq: 1, strategyId: 'a', instrument: X, side: 'buy', type: 'market', size: '2', price: '0', timeInForce: 'IOC', reduceOnly: false });
      expect(buy).toMatchObject({ kind: 'sent', outcome: 'accepted' });
      // The market intent went out as an IOC bounded 50 bps above the best ask (100.1 -> 100.6005, kept exact).
      expect([...venue.orders.values()][0]!.intent).toMatchObject({ type: 'market', timeInForce: 'IOC', price: '100.6005' });
      await kit.executor.submit({ intentSeq: 2, strategyId: 'a', instrument: X, side: 'buy', type: 'limit', size: '1', price: '99', timeInForce: 'GTC', reduceOnly: false });
      await kit.executor.settled();
      expect(venue.liveOrders()).toHaveLength(1);
      kit.gate.evaluatePnl();
      expect(kit.gate.trading.state).toBe('ACTIVE');

      equity = equity.minus(600);
      kit.gate.evaluatePnl();
      expect(kit.gate.trading.state).toBe('HALTED');
      await kit.gate.halt('again');
      await kit.executor.settled();
      expect(venue.liveOrders()).toEqual([]);
      expect(venue.positions().get(X)?.toFixed()).toBe('0');
      const exit = [...venue.orders.values()].at(-1)!.intent;
      expect(exit).toMatchObject({ side: 'sell', size: '2', reduceOnly: true, timeInForce: 'IOC' });
      expect(kit.of('risk.state')[0]).toMatchObject({ from: 'ACTIVE', to: 'HALTED', reason: expect.stringContaining('MAX_DAILY_LOSS') });
      const denied = await kit.executor.submit({ intentSeq: 3, strategyId: 'a', instrument: X, side: 'buy', type: 'limit', size: '1', price: '99', timeInForce: 'GTC', reduceOnly: false });
      expect(denied).toMatchObject({ kind: 'denied', denial: { code: 'TRADING_HALTED' } });
      expect(kit.errors).toEqual([]);
    } finally {
      await kit.close();
    }
  });

  it('a drawdown from the peak past maxDrawdownPct halts', () => {
    const { gate } = gateWith(limitsFor({ maxDrawdownPct: 10 }));
    let equity = dec(10_000);
    const watched = new RiskGate({ bus: new EventBus(() => undefined), clock: new SimulatedClock(0), limits: gate.limits, prices: new MarketPrices(), equity: () => equity });
    watched.evaluatePnl();
    equity = dec(12_000);
    watched.evaluatePnl();
    equity = dec(10_900);
    watched.evaluatePnl();
    expect(watched.trading.state).toBe('ACTIVE');
    equity = dec(10_800);
    watched.evaluatePnl();
    expect(watched.trading.state).toBe('HALTED');
    expect(watched.trading.reason).toMatch(/^MAX_DRAWDOWN: drawdown 10% reached the limit 10%/);
  });
});
