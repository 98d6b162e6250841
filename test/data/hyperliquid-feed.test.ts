import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { readFeedLines } from '../../src/data/feed-lines.js';
import { readHyperliquidFeed } from '../../src/data/hyperliquid-feed.js';
import { dataPath } from '../../src/data/paths.js';

const FEED = dataPath('btcusd_20250126.gz');

const tmp = mkdtempSync(join(tmpdir(), 'osprey-hl-feed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function feedFile(name: string, text: string, gzip = true): string {
  const path = join(tmp, name);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}
function errorOf(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as Error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('dataPath', () => {
  it('resolves data/market under the package root whatever the working directory', () => {
    const before = process.cwd();
    try {
      process.chdir(tmp);
      expect(isAbsolute(dataPath('x.csv'))).toBe(true);
      expect(dataPath('btcusd_20250126.gz')).toBe(FEED);
      expect(readFeedLines(FEED)).toHaveLength(55);
    } finally {
      process.chdir(before);
    }
  });
});

describe('readFeedLines', () => {
  it('splits "<recv_ns> <json>" lines and keeps the JSON text unchanged', () => {
    const lines = readFeedLines(feedFile('two.gz', '1737918843893903000 {"a":1}\n5 [1, 2]\n'));
    expect(lines).toEqual([
      { lineNo: 1, recvNs: 1737918843893903000n, json: '{"a":1}' },
      { lineNo: 2, recvNs: 5n, json: '[1, 2]' },
    ]);
  });

  it.each([
    ['no separator', '1 {}\n12345\n', /line 2: expected "<receive_time_ns> <json>"/],
    ['non-numeric receive time', '1 {}\n12a45 {}\n', /line 2: expected "<receive_time_ns> <json>"/],
    ['text instead of JSON', '1 {}\n2 hello\n', /line 2: expected a JSON object or array/],
    ['a blank line inside', '1 {}\n\n3 {}\n', /line 2: expected "<receive_time_ns> <json>"/],
  ])('%s: ValidationError naming file and line', (name, text, message) => {
    const path = feedFile(`${name.replace(/\W/g, '-')}.gz`, text);
    const error = errorOf(() => readFeedLines(path));
    expect(error.message).toContain(path);
    expect(error.message).toMatch(message);
  });

  it('a file that is not gzip is a ValidationError naming the file', () => {
    const path = feedFile('plain.gz', '1 {}\n', false);
    expect(errorOf(() => readFeedLines(path)).message).toMatch(/plain\.gz: not a readable gzip feed/);
  });
});

describe('recorded Hyperliquid feed', () => {
  const records = readHyperliquidFeed(FEED);

  it('has 55 lines: 46 l2Book snapshots of 20 levels a side and 64 trades', () => {
    expect(records).toHaveLength(55);
    const books = records.flatMap((r) => (r.message.channel === 'l2Book' ? [r.message.data] : []));
    const trades = records.flatMap((r) => (r.message.channel === 'trades' ? r.message.data : []));
    expect(books).toHaveLength(46);
    expect(trades).toHaveLength(64);
    for (const book of books) expect([book.coin, book.levels[0].length, book.levels[1].length]).toEqual(['BTC', 20, 20]);
    expect(new Set(trades.map((t) => t.side))).toEqual(new Set(['B', 'A']));
    expect(records[0]!.recvNs).toBe(1737918843893903000n);
  });

  it.each([
    ['negative size', (t: string) => t.replace('"sz":"3.03622"', '"sz":"-3.03622"'), /line 1: data\.levels\[0\]\[0\]\.sz: expected a non-negative decimal string/],
    ['missing time', (t: string) => t.replace(/,"time":\d+/, ''), /line 1: data\.time: expected a non-negative integer, got nothing/],
    ['unknown channel', (t: string) => t.replace('"l2Book"', '"candle"'), /line 1: channel: expected one of "l2Book", "trades"/],
    ['three sides', (t: string) => t.replace('"levels":[[', '"levels":[[],['), /line 1: data\.levels: expected \[bids, asks\], got 3 sides/],
  ])('%s: ValidationError naming the line and field', (name, mutate, message) => {
    const first = readFeedLines(FEED)[0]!;
    const path = feedFile(`hl-${name.replace(/\W/g, '-')}.gz`, `1 ${mutate(first.json)}\n`);
    expect(errorOf(() => readHyperliquidFeed(path)).message).toMatch(message);
  });

  it('a trade with a bad side names the trade', () => {
    const trades = readFeedLines(FEED).find((l) => l.json.includes('"trades"'))!;
    const path = feedFile('hl-side.gz', `1 ${trades.json.replace('"side":"B"', '"side":"buy"')}\n`);
    expect(errorOf(() => readHyperliquidFeed(path)).message).toMatch(/line 1: data\[\d+\]\.side: expected one of "B", "A", got "buy"/);
  });
});
