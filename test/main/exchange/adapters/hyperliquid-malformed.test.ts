import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastSettings, waitFor } from '../fakes/harness.js';
import { hyperliquidStack, type HyperliquidStack } from '../fakes/hyperliquid-stack.js';
import { LoopbackServer } from '../fakes/loopback-server.js';

const BTC = 'hyperliquid:BTC-PERP';
const book = (bidSz: string) => ({ channel: 'l2Book', data: { coin: 'BTC', time: 1795492929924, levels: [[{ px: '64990', sz: bidSz, n: 1 }], [{ px: '65010', sz: '0.01', n: 1 }]] } });
const trade = (fields: Record<string, unknown>) => ({ channel: 'trades', data: [{ coin: 'BTC', side: 'B', px: '65010', sz: '0.01', time: 1795492929924, hash: '0x00', tid: 1, users: ['0xa', '0xb'], ...fields }] });

/**
 * Malformed market messages, which the simulated venue never sends, come from a small loopback
 * WebSocket speaking Hyperliquid's channel shapes; REST (and so the polling fallback) is the simulator.
 */
describe('Hyperliquid market stream fed malformed messages', () => {
  let feed: LoopbackServer;
  let stack: HyperliquidStack;
  const logLines: string[] = [];
  /** Bid size the fake stream's subscription snapshot carries, so stream books and REST books differ. */
  let streamBidSize = '0.5';

  beforeAll(async () => {
    feed = await LoopbackServer.start();
    feed.onWsMessage = (peer, message) => {
      const m = message as { method?: string; subscription?: { type?: string } };
      if (m.method === 'subscribe' && m.subscription?.type === 'l2Book') peer.socket.send(JSON.stringify(book(streamBidSize)));
    };
    const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    stack = await hyperliquidStack({ wsUrl: `${feed.wsUrl}/ws`, log, settings: fastSettings({ userStream: false, burst: { threshold: 5, windowMs: 1_000 } }) });
    await stack.adapter.watchMarket([BTC]);
    await waitFor(() => stack.adapter.health().streams.market.up && stack.capture.of('market.book').length > 0, 'the stream up with its first book');
  });

  afterAll(async () => {
    await stack.close();
    await feed.close();
  });

  it('drops each kind of bad message with a counted, logged error and keeps the stream up', async () => {
    const bad = [
      '{"channel":"l2Book","data":{"coin":"BTC","time":17954929',
      { channel: 'l2Book', data: { coin: 'BTC', time: 'yesterday', levels: [[], []] } },
      trade({ px: 65010 }),
      trade({ coin: 'DOGE' }),
      book('-1'),
      trade({ px: 'NaN' }),
    ];
    for (const message of bad) {
      feed.push('/ws', message);
      // Paced beyond the burst window's rate: strays, not a burst.
      await new Promise((resolve) => setTimeout(resolve, 450));
    }
    await waitFor(() => Object.values(stack.adapter.health().malformed).reduce((a, b) => a + b, 0) === 6, 'six malformed messages counted');
    expect(stack.adapter.health().malformed).toEqual({
      'market.malformed_json': 1, 'market.bad_time': 1, 'market.bad_shape': 1, 'market.unknown_coin': 1, 'market.bad_number': 2,
    });
    const logged = logLines.map((l) => JSON.parse(l) as { msg: string; reason?: string; err?: string }).filter((l) => l.msg === 'malformed venue message dropped');
    expect(logged.map((l) => l.reason)).toEqual(['malformed_json', 'bad_time', 'bad_shape', 'unknown_coin', 'bad_number', 'bad_number']);
    expect(logged[3]!.err).toContain('DOGE');

    const published = stack.capture.of('market.book').length;
    feed.push('/ws', book('0.7'));
    await waitFor(() => stack.capture.of('market.book').length > published, 'a valid book after the bad ones');
    expect(stack.capture.of('market.book').at(-1)!.bids).toEqual([{ price: 64990, size: 0.7 }]);
    expect(stack.capture.of('market.trade')).toEqual([]);
    expect(stack.adapter.health().breakers.market).toBe('closed');
    expect(stack.adapter.health().streams.market.up).toBe(true);
  });

  it('trips the market breaker on a burst and keeps books coming by REST polling until the stream is back', async () => {
    const sessions = stack.adapter.health().streams.market.sessions;
    const booksBefore = stack.capture.of('market.book').length;
    streamBidSize = '0.9';
    for (let i = 0; i < 5; i++) feed.push('/ws', '{"channel":"trades","data":[{"coin"');
    await waitFor(() => stack.adapter.health().breakers.market === 'open', 'the market breaker to open');
    expect(logLines.some((l) => l.includes('malformed message burst'))).toBe(true);
    await waitFor(() => stack.adapter.health().streams.market.polls > 0, 'a REST poll');
    await waitFor(() => stack.adapter.health().breakers.market === 'closed' && !stack.adapter.health().streams.market.polling, 'a stable stream closing the breaker', 10_000);
    const sizes = stack.capture.of('market.book').slice(booksBefore).map((e) => e.bids[0]!.size);
    // First the simulator's book by REST (0.5 at 64990), then the stream's again (0.9) once it is back.
    expect(sizes[0]).toBe(0.5);
    expect(sizes.at(-1)).toBe(0.9);
    expect(stack.adapter.health().streams.market.sessions).toBeGreaterThan(sessions);
    expect(stack.adapter.canTrade(BTC)).toEqual({ ok: true });
  });
});
