import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { hyperliquidPriceProblem } from '../../../src/core/rounding.js';
import { readHyperliquidFeed } from '../../../src/data/hyperliquid-feed.js';
import { dataPath } from '../../../src/data/paths.js';
import { BUNDLED_BTC_FEED, BUNDLED_HL_BTC_CANDLES } from '../../../src/sim/engine/markets.js';
import { createSimVenue } from '../../../src/sim/engine/venue.js';
import type { L2Book, PublicTrade } from '../../../src/sim/venue-api.js';
import { ALICE, BOB, order } from './scripted.js';

/** The bundled recording: 46 top-20 BTC snapshots and 64 trades over 25 s on 2025-01-26. */
const records = readHyperliquidFeed(dataPath(BUNDLED_BTC_FEED));
const recordedBooks = records.flatMap((r) => (r.message.channel === 'l2Book' ? [r.message.data] : []));
const firstTime = recordedBooks[0]!.time;
const liveTrades = records.flatMap((r) => (r.message.channel === 'trades' ? r.message.data.filter((t) => t.time >= firstTime) : []));
const ORIGIN = 1_800_000_000_000; // an arbitrary venue start: replay times are offsets from it

function venueAt(start = ORIGIN, loop = true) {
  const clock = new SimulatedClock(start);
  return { venue: createSimVenue({ clock, loop }), clock };
}

describe('replay of the recorded Hyperliquid BTC feed', () => {
  it('starts on the first recorded snapshot, level for level', () => {
    const { venue } = venueAt();
    const book = venue.l2Book('BTC')!;
    expect(book.time).toBe(ORIGIN);
    expect(book.levels).toEqual(recordedBooks[0]!.levels.map((side) => side.map(({ px, sz, n }) => ({ px, sz, n }))));
  });

  it('publishes every snapshot and every live trade at its recorded offset, backfill left out', () => {
    const { venue } = venueAt(ORIGIN, false);
    const books: L2Book[] = [];
    const trades: PublicTrade[] = [];
    venue.on('book', (b) => b.coin === 'BTC' && books.push(b));
    venue.on('trades', (t) => t[0]?.coin === 'BTC' && trades.push(...t));
    while (venue.nextEventTime() !== undefined && venue.now() < ORIGIN + 30_000) venue.step();
    // The snapshots stamped at offset 0 are applied when the venue is created, before anyone listens.
    expect(books.map((b) => b.time - ORIGIN)).toEqual(recordedBooks.filter((b) => b.time > firstTime).map((b) => b.time - firstTime));
    expect(trades).toHaveLength(liveTrades.length);
    expect(trades.map((t) => [t.time - ORIGIN, t.side, t.px, t.sz, t.tid, t.hash])).toEqual(liveTrades.map((t) => [t.time - firstTime, t.side, t.px, t.sz, t.tid, t.hash]));
  });

  it('loops the recording with time moving forward, and stops when looping is off', () => {
    const { venue } = venueAt();
    const times: number[] = [];
    const firstAsks: string[] = [];
    venue.on('book', (b) => {
      if (b.coin !== 'BTC') return;
      times.push(b.time);
      firstAsks.push(b.levels[1][0]!.sz);
    });
    while (venue.now() < ORIGIN + 60_000) venue.step();
    expect(times.length).toBeGreaterThan(2 * recordedBooks.length);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    // Each pass starts again from the first recorded snapshot.
    const passStart = recordedBooks.filter((b) => b.time > firstTime).length;
    expect(times[passStart]! - ORIGIN).toBeGreaterThan(recordedBooks.at(-1)!.time - firstTime);
    expect(firstAsks[passStart]).toBe(recordedBooks[0]!.levels[1][0]!.sz);

    // Public trade ids never repeat across passes, so clients de-duplicating by tid keep every pass.
    const { venue: looping } = venueAt();
    const tids: number[] = [];
    looping.on('trades', (t) => tids.push(...t.filter((x) => x.coin === 'BTC').map((x) => x.tid)));
    while (looping.now() < ORIGIN + 80_000) looping.step();
    expect(tids.length).toBeGreaterThan(2 * liveTrades.length);
    expect(new Set(tids).size).toBe(tids.length);

    // Without looping BTC goes quiet after its 25 s (ETH's candles run on for days).
    const { venue: once } = venueAt(ORIGIN, false);
    const onceTimes: number[] = [];
    once.on('book', (b) => b.coin === 'BTC' && onceTimes.push(b.time));
    once.advance(60_000);
    expect(onceTimes.at(-1)! - ORIGIN).toBe(recordedBooks.at(-1)!.time - firstTime);
  });

  it('keeps liquidity a user took until a snapshot changes that level', () => {
    const { venue } = venueAt();
    expect(venue.place(ALICE, [order({ price: '105056', size: '6.34472', tif: 'Ioc' })])).toMatchObject([{ filled: { totalSz: '6.34472', avgPx: '105056.0' } }]);
    // The snapshots up to 2.103 s repeat 105056 x 6.34472: what ALICE took stays taken.
    venue.advance(2103);
    expect(venue.l2Book('BTC')!.levels[1][0]).toEqual({ px: '105057.0', sz: '0.0001', n: 1 });
    expect(venue.place(BOB, [order({ price: '105056', size: '0.1', tif: 'Ioc' })])).toEqual([
      { error: 'Order could not immediately match against any resting orders. asset=0' },
    ]);
    // At 2.649 s the level is recorded as 6.49999: fresh liquidity.
    venue.advance(2649 - 2103);
    const recorded = recordedBooks.find((b) => b.time - firstTime === 2649)!.levels[1][0]!;
    expect(recorded.sz).toBe('6.49999');
    expect(venue.l2Book('BTC')!.levels[1][0]).toEqual({ px: '105056.0', sz: '6.49999', n: recorded.n });
  });

  it('fills a resting ask from the recorded buy at 3.458 s, as maker at its own price', () => {
    const { venue } = venueAt();
    expect(venue.place(ALICE, [order({ isBuy: false, price: '105056', size: '0.01' })])).toEqual([{ resting: { oid: 1 } }]);
    venue.advance(3457);
    expect(venue.userFills(ALICE)).toEqual([]);
    venue.advance(1);
    expect(venue.userFills(ALICE)).toMatchObject([{ px: '105056.0', sz: '0.01', side: 'A', crossed: false, time: ORIGIN + 3458, fee: '0.157584' }]);
  });

  it('fills a resting bid from the recorded sell-off at 22.154 s', () => {
    const { venue } = venueAt();
    venue.place(ALICE, [order({ price: '105052', size: '0.1' })]);
    venue.advance(22_153);
    expect(venue.openOrders(ALICE)).toHaveLength(1);
    venue.advance(1);
    expect(venue.orderStatus(ALICE, 1)?.status).toBe('filled');
    expect(venue.userFills(ALICE)).toMatchObject([{ px: '105052.0', sz: '0.1', dir: 'Open Long', time: ORIGIN + 22_154 }]);
  });

  it('builds candles from the trades it prints and aggregates them per interval', () => {
    const { venue } = venueAt(Date.UTC(2030, 0, 1, 0, 0, 50));
    venue.place(ALICE, [order({ price: '105056', size: '0.2', tif: 'Ioc' })]);
    venue.advance(20_000);
    const oneMinute = venue.candles('BTC', '1m', 0, venue.now());
    expect(oneMinute.map((c) => c.t)).toEqual([Date.UTC(2030, 0, 1, 0, 0), Date.UTC(2030, 0, 1, 0, 1)]);
    // ALICE's 0.2 plus the recorded buys at 3.458 s (0.02222) and 9.662 s (0.01853), all before 0:01:00.
    expect(oneMinute[0]).toMatchObject({ T: Date.UTC(2030, 0, 1, 0, 1) - 1, s: 'BTC', i: '1m', o: '105056.0', v: '0.24075', n: 3 });
    const fiveMinutes = venue.candles('BTC', '5m', 0, venue.now());
    expect(fiveMinutes).toHaveLength(1);
    const volume = oneMinute.reduce((s, c) => s.plus(c.v), new Decimal(0));
    expect(fiveMinutes[0]!.v).toBe(volume.toFixed());
    expect(fiveMinutes[0]!.n).toBe(oneMinute[0]!.n + oneMinute[1]!.n);
    expect(() => venue.candles('BTC', '7m', 0, venue.now())).toThrow(/unsupported candle interval "7m"/);
  });
});

describe('ETH: a synthetic book around candles', () => {
  const MINUTE_START = Date.UTC(2030, 0, 1, 12, 0);

  it('walks open -> high -> low -> close of a falling candle, printing at each waypoint', () => {
    const { venue } = venueAt(MINUTE_START);
    const prints: string[] = [];
    venue.on('trades', (t) => t[0]?.coin === 'ETH' && prints.push(...t.map((x) => `${x.time - MINUTE_START}:${x.side}:${x.px}`)));
    // First recorded candle 118712/118727/118654/118675 x 1/32 -> 3709.8 / 3710.2 / 3707.9 / 3708.6 (5 figures).
    expect(venue.place(BOB, [order({ assetId: 1, isBuy: false, price: '3710.2', size: '0.5' })])).toEqual([{ resting: { oid: 1 } }]);
    const candles: unknown[] = [];
    venue.on('candle', (c) => c.s === 'ETH' && c.i === '1m' && candles.push(c));
    venue.advance(59_999);
    expect(prints).toEqual(['15000:B:3710.2', '30000:A:3707.9', '45000:B:3708.6']);
    expect(venue.userFills(BOB)).toMatchObject([{ coin: 'ETH', px: '3710.2', sz: '0.5', crossed: false, time: MINUTE_START + 15_000 }]);
    expect(candles[0]).toEqual({ t: MINUTE_START, T: MINUTE_START + 59_999, s: 'ETH', i: '1m', o: '3709.8', c: '3708.6', h: '3710.2', l: '3707.9', v: '84.38016', n: 0 });
  });

  it('quotes valid prices around the path with the configured depth', () => {
    const { venue } = venueAt(MINUTE_START);
    venue.advance(7_500); // halfway from the open (3709.8) to the high (3710.2)
    const book = venue.l2Book('ETH')!;
    const [bids, asks] = book.levels;
    expect(bids).toHaveLength(10);
    expect(asks).toHaveLength(10);
    for (const level of [...bids, ...asks]) {
      expect(hyperliquidPriceProblem(new Decimal(level.px), 4, 'perp')).toBeUndefined();
      // 25,000 USDC at the path price 3710.0, cut to the 0.0001 lot.
      expect(level.sz).toBe('6.7385');
    }
    expect(new Decimal(bids[0]!.px).lt('3710.0')).toBe(true);
    expect(new Decimal(asks[0]!.px).gt('3710.0')).toBe(true);
    expect(venue.describeData().find((d) => d.coin === 'ETH')?.data).toMatch(/proxy: Hyperliquid BTC 1m candles x 1\/32, not recorded ETH data/);
  });

  it('serves BTC from a candle file when given one as data', () => {
    const clock = new SimulatedClock(MINUTE_START);
    const venue = createSimVenue({ clock, dataFile: dataPath(BUNDLED_HL_BTC_CANDLES) });
    expect(venue.mids().BTC).toBe('118712.0');
    expect(venue.describeData()[0]?.data).toMatch(/synthetic book around candles/);
  });
});

describe('market context', () => {
  it('describes every market in universe order with every field', () => {
    const { venue } = venueAt();
    venue.place(ALICE, [order({ price: '105056', size: '0.3', tif: 'Ioc' })]);
    const [btc, eth] = venue.perpContexts();
    expect(btc).toEqual({
      funding: '0.0',
      openInterest: '0.3',
      prevDayPx: '105056.0',
      dayNtlVlm: '31516.8',
      premium: '0.0',
      oraclePx: '105055.5',
      markPx: '105055.5',
      midPx: '105055.5',
      impactPxs: ['105055.0', '105056.0'],
      dayBaseVlm: '0.3',
    });
    expect(eth?.markPx).toBe('3709.8');
    expect(venue.mids()).toEqual({ BTC: '105055.5', ETH: '3709.8' });
    expect(venue.markets.map((m) => [m.coin, m.assetId, m.szDecimals, m.maxLeverage])).toEqual([
      ['BTC', 0, 5, 40],
      ['ETH', 1, 4, 25],
    ]);
  });
});
