import { afterEach, describe, expect, it } from 'vitest';
import { levelsEqual } from '../../../../src/core/order-book.js';
import type { OrderStatus } from '../../../../src/core/types.js';
import { STATUS_RANK } from '../../../../src/main/state/order-transitions.js';
import { fastSettings, intent, waitFor } from '../fakes/harness.js';
import { WALLET, hyperliquidStack, venueLevels, type HyperliquidStack } from '../fakes/hyperliquid-stack.js';

const BTC = 'hyperliquid:BTC-PERP';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fault tests against the simulated venue with its transport faults switched on: scripted ones where
 * a test needs a fault at an exact moment, seeded FaultInjector ones (fixed seeds) for random dup and
 * reorder of WebSocket messages.
 */
describe('Hyperliquid adapter under venue faults', () => {
  let stack: HyperliquidStack | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('resubscribes after a stream dropped mid-flight and rebuilds the book to equal the venue book', async () => {
    // The first connections are cut after 1.5 s; the ones after that live on.
    stack = await hyperliquidStack({ before: (f) => f.connectionLifetime(1_500) });
    const { adapter, venue, faults, capture } = stack;
    await adapter.watchMarket([BTC]);
    await waitFor(() => capture.of('market.book').length > 0, 'the first book');
    faults.connectionLifetime(undefined);
    // Lose the pushes while the book changes, so only a fresh snapshot can bring the adapter back in line.
    faults.everyWs('drop');
    expect(await adapter.submit(intent(BTC, { size: '0.002', price: '64995' }))).toMatchObject({ accepted: true });
    const before = capture.of('market.book').length;
    const expected = venueLevels(venue, 'BTC');
    const last = () => capture.of('market.book').at(-1)!;
    expect(levelsEqual(last().bids, expected.bids)).toBe(false);
    faults.everyWs(undefined);

    await waitFor(() => adapter.health().streams.market.sessions >= 2 && capture.of('market.book').length > before, 'a new session and its snapshot', 8_000);
    expect(levelsEqual(last().bids, expected.bids) && levelsEqual(last().asks, expected.asks)).toBe(true);
    expect(last().bids[0]).toEqual({ price: 64995, size: 0.002 });
    expect(capture.of('venue.connection').some((e) => e.channel === 'market' && e.state === 'down')).toBe(true);
  });

  it('opens the breakers in a 429 storm, sends no order flood, polls over REST, and recovers', async () => {
    // The first sockets are cut after 1 s, into the storm; every later one within 50 ms (see below).
    stack = await hyperliquidStack({ before: (f) => f.connectionLifetime(1_000) });
    const { adapter, faults } = stack;
    await adapter.watchMarket([BTC]);
    await waitFor(() => adapter.canTrade(BTC).ok && adapter.health().streams.user.up, 'book and user stream');

    faults.everyHttp('http429');
    // Every socket is cut before it can prove itself stable, so the stream breakers open too.
    faults.connectionLifetime(50);
    const requestsBefore = faults.httpRequests;
    let attempts = 0;
    const refusals = new Set<string>();
    const stormEnds = Date.now() + 3_000;
    while (Date.now() < stormEnds) {
      attempts++;
      await adapter.submit(intent(BTC, { size: '0.001', price: '60000' })).then(
        () => refusals.add('sent'),
        (e: { code: string }) => refusals.add(e.code),
      );
      await sleep(20);
    }
    const reachedVenue = faults.httpRequests - requestsBefore;
    console.log(`429 storm: ${attempts} submit attempts, ${reachedVenue} HTTP requests reached the venue`);
    const health = adapter.health();
    expect(refusals.has('sent')).toBe(false);
    expect(refusals.has('RATE_LIMITED')).toBe(true);
    expect(health.breakers.rest).not.toBe('closed');
    expect(health.breakers.market).not.toBe('closed');
    // Polling pauses while a probe session delivers, so the count, not the instant flag, shows the fallback ran.
    expect(health.streams.market.polls).toBeGreaterThan(0);
    // Orders, polls and probes together: the breaker's threshold plus one probe per half-open period.
    expect(attempts).toBeGreaterThan(60);
    expect(reachedVenue).toBeLessThan(25);

    faults.clear();
    // The REST polls are the half-open probes of the REST breaker; a stable new socket closes the market one.
    await waitFor(() => {
      const h = adapter.health();
      return h.breakers.rest === 'closed' && h.breakers.market === 'closed' && !h.streams.market.polling;
    }, 'every breaker closed and polling stopped', 10_000);
    await waitFor(() => adapter.canTrade(BTC).ok, 'trading allowed again');
    expect(await adapter.submit(intent(BTC, { size: '0.001', price: '60000' }))).toMatchObject({ accepted: true });
  });

  it('counts each fill once when the venue duplicates messages (seed 7)', async () => {
    stack = await hyperliquidStack();
    const { adapter, faults, capture, venue } = stack;
    await adapter.watchMarket([BTC]);
    await waitFor(() => adapter.canTrade(BTC).ok && adapter.health().streams.user.up, 'book and user stream');
    faults.seeded('dup=0.6', 7);
    for (let i = 0; i < 5; i++) await adapter.submit(intent(BTC, { type: 'market', size: '0.01', price: '65030', timeInForce: 'IOC' }));
    const venueFills = venue.userFills(WALLET);
    expect(venueFills).toHaveLength(5);
    await waitFor(() => new Set(capture.of('fill.received').map((e) => e.fill.venueTradeId)).size === 5, 'all five fills');
    await sleep(200);
    const published = capture.of('fill.received').map((e) => e.fill.venueTradeId);
    expect(published.sort()).toEqual(venueFills.map((f) => String(f.tid)).sort());
  });

  it('never moves an order backwards when the venue reorders and duplicates updates (seed 11)', async () => {
    stack = await hyperliquidStack({ settings: fastSettings({ userStream: true, staleGuard: { maxBookAgeMs: 600_000 } }) });
    const { adapter, faults, capture, venue } = stack;
    await adapter.watchMarket([BTC]);
    await waitFor(() => adapter.canTrade(BTC).ok && adapter.health().streams.user.up, 'book and user stream');
    faults.seeded('reorder=0.5,dup=0.2', 11);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const order = intent(BTC, { size: '0.001', price: String(60000 + i) });
      ids.push(order.clientOrderId);
      await adapter.submit(order);
      await adapter.cancelByClientId(BTC, order.clientOrderId);
    }
    await sleep(500);
    for (const id of ids) {
      const statuses = capture.of('order.updated').filter((e) => e.order.clientOrderId === id).map((e) => e.order.status);
      const ranks = statuses.map((s) => STATUS_RANK[s as Exclude<OrderStatus, 'unknown'>]);
      expect(ranks, `${id}: ${statuses.join(' -> ')}`).toEqual([...ranks].sort((a, b) => a - b));
      expect(statuses.at(-1)).toBe('cancelled');
    }
    expect(venue.openOrders(WALLET)).toEqual([]);
  });
});
