import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { ConfigError, ValidationError } from '../../../src/core/errors.js';
import { CandleBookReplay, DEFAULT_CANDLE_BOOK, pathPrice } from '../../../src/sim/engine/candle-book.js';
import { defaultMarkets } from '../../../src/sim/engine/markets.js';
import { createSimVenue } from '../../../src/sim/engine/venue.js';
import { scriptedVenue } from './scripted.js';

function configProblems(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function feedFile(lines: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-sim-feed-'));
  tempDirs.push(dir);
  const file = join(dir, 'feed.gz');
  writeFileSync(file, gzipSync(lines.map((l, i) => `${1_000_000 + i} ${l}`).join('\n') + '\n'));
  return file;
}

describe('venue options', () => {
  it('names the option that is wrong', () => {
    expect(configProblems(() => scriptedVenue({}, { balance: -1 }))).toEqual(['balance: must not be negative, got -1']);
    expect(configProblems(() => scriptedVenue({}, { fees: { taker: '1.5' } }))).toEqual(['fees.taker: must be a fraction in [0, 1), got 1.5']);
    expect(configProblems(() => scriptedVenue({}, { fees: { maker: '-1' } }))).toEqual(['fees.maker: must be a fraction in (-1, 1), got -1']);
    expect(configProblems(() => scriptedVenue({}, { defaultLeverage: 0 }))).toEqual(['defaultLeverage: must be a positive integer, got 0']);
    const clock = new SimulatedClock(0);
    expect(configProblems(() => createSimVenue({ clock, candleBook: { stepMs: 7000 } }))).toEqual(['candleBook.stepMs: must be a whole number of ms dividing 15000, got 7000']);
    const [btc, eth] = defaultMarkets();
    expect(configProblems(() => createSimVenue({ clock, markets: [btc!, { ...eth!, assetId: 0, coin: 'BTC', szDecimals: 9 }] }))).toEqual([
      'markets[1].coin: BTC is listed twice',
      'markets[1].assetId: asset id 0 is used by two markets',
      'markets[1].szDecimals: must be a whole number from 0 to 6',
    ]);
  });

  it('refuses a recorded feed that does not fit the market, naming file and line', () => {
    const clock = new SimulatedClock(0);
    const book = (coin: string) => JSON.stringify({ channel: 'l2Book', data: { coin, time: 5, levels: [[{ px: '1', sz: '1', n: 1 }], [{ px: '2', sz: '1', n: 1 }]] } });
    const ethFeed = feedFile([book('ETH')]);
    expect(() => createSimVenue({ clock, dataFile: ethFeed })).toThrow(ValidationError);
    expect(() => createSimVenue({ clock, dataFile: ethFeed })).toThrow(`${ethFeed} line 1: book for ETH, expected BTC`);
    const tradesOnly = feedFile([JSON.stringify({ channel: 'trades', data: [] })]);
    expect(() => createSimVenue({ clock, dataFile: tradesOnly })).toThrow('no l2Book snapshot to start the replay from');
  });
});

describe('candle path', () => {
  const waypoints = ['100', '90', '120', '110'].map((x) => new Decimal(x));

  it('moves in straight lines between waypoints 15 s apart and holds the close', () => {
    expect([0, 7_500, 15_000, 22_500, 30_000, 45_000, 59_999].map((at) => pathPrice(waypoints, at).toFixed())).toEqual(['100', '95', '90', '105', '120', '110', '110']);
  });

  it('dips to the low first on a rising candle and prints there', () => {
    const rows = [{ openTime: 0, open: '100', high: '120', low: '90', close: '110', volume: '8' }];
    const replay = new CandleBookReplay(rows, 'SOL', 2, '1', 60_000, false, DEFAULT_CANDLE_BOOK);
    const prints: string[] = [];
    for (let t = replay.peek(); t !== undefined; t = replay.peek()) {
      const step = replay.take();
      if (step.kind === 'trades') prints.push(...step.trades.map((x) => `${x.wire.time}:${x.side}:${x.px.toFixed()}:${x.sz.toFixed()}`));
    }
    expect(prints).toEqual(['60000:B:100:2', '75000:A:90:2', '90000:B:120:2', '105000:A:110:2']);
  });
});
