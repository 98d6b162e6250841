import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClock } from '../../../src/core/clock.js';
import { createSimVenue, type SimVenueHandle } from '../../../src/sim/engine/venue.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { ccxtClient, within, type ProHyperliquid } from '../kit/ccxt-client.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';

/**
 * What `osprey sim` serves by default: the bundled recorded BTC feed replayed in real time. ccxt sees
 * the recorded book move over the WebSocket and can trade against it.
 */
const BTC = 'BTC/USDC:USDC';
let venue: SimVenueHandle;
let server: HyperliquidServer;
let exchange: ProHyperliquid;

beforeAll(async () => {
  venue = createSimVenue({ clock: new LiveClock() });
  venue.start();
  server = await startHyperliquidServer({ venue });
  exchange = await ccxtClient(server, addressOf(TEST_FIXTURE_PRIVATE_KEY), TEST_FIXTURE_PRIVATE_KEY);
});

afterAll(async () => {
  await exchange?.close();
  await server?.close();
  venue?.stop();
});

describe('ccxt against the replayed recording', () => {
  it('streams the recorded book and fills a market order at the recorded ask', async () => {
    await exchange.loadMarkets();
    const first = await within(exchange.watchOrderBook(BTC), 5_000, 'first book');
    // ccxt updates one book object in place, so the first state is copied out before waiting for the next.
    const firstTime = first.timestamp ?? 0;
    const bestAsk = first.asks[0]?.[0];
    expect(first.bids.length).toBeGreaterThan(5);
    expect(bestAsk).toBeGreaterThan(first.bids[0]?.[0] ?? Infinity);
    // The recording has a new snapshot about every half second.
    const later = await within(
      (async () => {
        for (let i = 0; i < 20; i++) {
          const book = await exchange.watchOrderBook(BTC);
          if ((book.timestamp ?? 0) > firstTime) return book;
        }
        throw new Error('the book never changed');
      })(),
      10_000,
      'book update',
    );
    expect(later.timestamp).toBeGreaterThan(firstTime);
    const ask = later.asks[0]?.[0] ?? 0;
    const order = await exchange.createOrder(BTC, 'market', 'buy', 0.001, ask);
    expect(order.filled).toBe(0.001);
    expect(order.average).toBeGreaterThanOrEqual(ask * 0.99);
    const [position] = await exchange.fetchPositions([BTC]);
    expect(position).toMatchObject({ side: 'long', contracts: 0.001 });
  });
});
