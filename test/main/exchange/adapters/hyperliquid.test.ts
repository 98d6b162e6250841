import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelsEqual } from '../../../../src/core/order-book.js';
import type { CcxtAdapter } from '../../../../src/main/exchange/ccxt/ccxt-adapter.js';
import { createHyperliquidAdapter } from '../../../../src/main/exchange/hyperliquid/adapter.js';
import { hyperliquidCloid } from '../../../../src/main/exchange/hyperliquid/cloid.js';
import type { SimVenueHandle } from '../../../../src/sim/engine/venue.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../../src/sim/hyperliquid/server.js';
import { scriptedVenue } from '../../../sim/kit/scripted-venue.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../../../sim/kit/wallets.js';
import { capturingBus, clock, fastSettings, intent, waitFor } from '../fakes/harness.js';
import { venueLevels } from '../fakes/hyperliquid-stack.js';

const BTC = 'hyperliquid:BTC-PERP';
const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);

for (const marketData of ['decoder', 'ccxt'] as const) {
  describe(`Hyperliquid adapter against the simulated venue (market data: ${marketData})`, () => {
    let venue: SimVenueHandle;
    let server: HyperliquidServer;
    let adapter: CcxtAdapter;
    let capture: ReturnType<typeof capturingBus>;

    beforeAll(async () => {
      venue = scriptedVenue();
      server = await startHyperliquidServer({ venue, port: 0 });
      capture = capturingBus();
      adapter = createHyperliquidAdapter({
        config: { walletAddress: WALLET, privateKey: TEST_FIXTURE_PRIVATE_KEY, restUrl: server.httpUrl, wsUrl: server.wsUrl, marketData },
        bus: capture.bus, clock, settings: fastSettings({ userStream: true }),
      });
      await adapter.start();
    });

    afterAll(async () => {
      await adapter.stop();
      await server.close();
    });

    it('lists perps with Hyperliquid price rules, szDecimals lots and the $10 minimum', () => {
      expect(adapter.instrument(BTC)).toEqual({
        id: BTC, venue: 'hyperliquid', venueSymbol: 'BTC', kind: 'perp', base: 'BTC', quote: 'USDC',
        priceRule: { kind: 'hyperliquid', market: 'perp' }, lotSize: '0.00001', sizeDecimals: 5, minNotional: '10', maxLeverage: 40,
      });
      expect(adapter.instrument('hyperliquid:ETH-PERP')).toMatchObject({ venueSymbol: 'ETH', sizeDecimals: 4 });
    });

    it('publishes the venue book and unblocks trading once it arrives', async () => {
      expect(adapter.canTrade(BTC)).toMatchObject({ ok: false, reason: 'NO_BOOK' });
      await adapter.watchMarket([BTC]);
      await waitFor(() => capture.of('market.book').length > 0, 'a book');
      const book = capture.of('market.book').at(-1)!;
      const expected = venueLevels(venue, 'BTC');
      expect(levelsEqual(book.bids, expected.bids) && levelsEqual(book.asks, expected.asks)).toBe(true);
      expect(adapter.canTrade(BTC)).toEqual({ ok: true });
    });

    it('rests, finds, amends and cancels an order by its derived cloid', async () => {
      await waitFor(() => adapter.health().streams.user.up, 'the user stream');
      const order = intent(BTC, { size: '0.001', price: '60000' });
      const placed = await adapter.submit(order);
      expect(placed).toMatchObject({ accepted: true, status: 'accepted' });
      expect(venue.openOrders(WALLET).map((o) => o.cloid)).toContain(hyperliquidCloid(order.clientOrderId));
      expect(await adapter.fetchOrder(BTC, { clientOrderId: order.clientOrderId })).toMatchObject({ clientOrderId: order.clientOrderId, strategyId: 'test', status: 'accepted' });

      const amended = await adapter.amend({ instrument: BTC, clientOrderId: order.clientOrderId, price: '61000' });
      expect(amended).toMatchObject({ accepted: true });
      const resting = venue.openOrders(WALLET).find((o) => o.cloid === hyperliquidCloid(order.clientOrderId));
      expect([Number(resting?.limitPx), Number(resting?.origSz)]).toEqual([61000, 0.001]);

      expect(await adapter.cancelByClientId(BTC, order.clientOrderId)).toMatchObject({ confirmed: true, clientOrderId: order.clientOrderId });
      expect(venue.openOrders(WALLET)).toEqual([]);
      await waitFor(() => capture.of('order.cancelled').some((e) => e.clientOrderId === order.clientOrderId), 'order.cancelled');
    });

    it('fills a market intent as an IOC at its bound: one fill, fees charged, position and balance consistent', async () => {
      const order = intent(BTC, { type: 'market', size: '0.02', price: '65015', timeInForce: 'IOC' });
      const placed = await adapter.submit(order);
      expect(placed).toMatchObject({ accepted: true, filledSize: '0.01', avgFillPrice: '65010' });
      await waitFor(() => capture.of('fill.received').some((e) => e.fill.clientOrderId === order.clientOrderId), 'the fill from the user stream');
      const fills = capture.of('fill.received').filter((e) => e.fill.clientOrderId === order.clientOrderId).map((e) => e.fill);
      expect(fills).toEqual([expect.objectContaining({ instrument: BTC, side: 'buy', price: '65010', size: '0.01', fee: '0.292545', feeCurrency: 'USDC', liquidity: 'taker' })]);
      // The same fill again over REST is recognised and not published twice.
      expect((await adapter.fetchFills(0, BTC)).some((f) => f.venueTradeId === fills[0]!.venueTradeId)).toBe(true);
      expect(capture.of('fill.received').filter((e) => e.fill.clientOrderId === order.clientOrderId)).toHaveLength(1);
      expect(adapter.health().dropped.duplicateFills).toBeGreaterThanOrEqual(1);
      const positions = await adapter.fetchPositions();
      expect(positions).toEqual([expect.objectContaining({ instrument: BTC, size: '0.01', entryPrice: '65010' })]);
      // Account value = funding 100,000 - the fee + the position's unrealised PnL at the venue's mark.
      const usdc = (await adapter.fetchBalances()).find((b) => b.asset === 'USDC')!;
      expect(Number(usdc.total)).toBeCloseTo(100_000 - 0.292545 + Number(positions[0]!.unrealisedPnl), 6);
    });
  });
}
