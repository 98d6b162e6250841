import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dec, str } from '../../src/core/decimal.js';
import { ValidationError } from '../../src/core/errors.js';
import { binanceBookCheckpoints, binanceBookSteps, readBinanceFeed, type BinanceFeedRecord } from '../../src/data/binance-feed.js';
import { dataPath } from '../../src/data/paths.js';

const FEED = dataPath('btcusdt_20240808.gz');
const records = readBinanceFeed(FEED);
/** The venue's text without trailing zeros: what String() of the parsed double must give back. */
const canonical = (text: string) => str(dec(text));

const tmp = mkdtempSync(join(tmpdir(), 'osprey-binance-feed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function feedFile(name: string, lines: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, gzipSync(`${lines.join('\n')}\n`));
  return path;
}

describe('recorded Binance feed', () => {
  it('has the lines SOURCES.md lists: 93,954 lines, 21,313 trades, the REST snapshot on line 55', () => {
    expect(records).toHaveLength(93_954);
    const count = (kind: BinanceFeedRecord['kind']) => records.filter((r) => r.kind === kind).length;
    expect(count('trade')).toBe(21_313);
    expect(count('snapshot')).toBe(1);
    const snapshot = records[54]!;
    expect(snapshot.lineNo).toBe(55);
    if (snapshot.kind !== 'snapshot') throw new Error('line 55 is not the snapshot');
    expect([snapshot.data.bids.length, snapshot.data.asks.length]).toEqual([1000, 1000]);
  });

  it('rebuilds from the snapshot, starting at the buffered diff on line 42', () => {
    const steps = binanceBookSteps(records, FEED);
    const first = steps.next().value!;
    const bridge = steps.next().value!;
    expect([first.snapshot, first.lineNo]).toEqual([true, 55]);
    expect([bridge.snapshot, bridge.lineNo]).toEqual([false, 42]);
  });

  it('the rebuilt book matches bookTicker best bid and offer, price and qty, at all 629 shared update ids', () => {
    let checked = 0;
    for (const { book, ticker, updateId } of binanceBookCheckpoints(records, FEED)) {
      const bid = book.bestBid();
      const ask = book.bestAsk();
      const seen = { updateId, bid: `${String(bid?.price)} x ${String(bid?.size)}`, ask: `${String(ask?.price)} x ${String(ask?.size)}` };
      expect(seen).toEqual({ updateId, bid: `${canonical(ticker.b)} x ${canonical(ticker.B)}`, ask: `${canonical(ticker.a)} x ${canonical(ticker.A)}` });
      checked++;
    }
    expect(checked).toBe(629);
  });

  it('a break in the pu chain is a gap error naming the line and ids', () => {
    const lines = records.slice(0, 200).map((r) => ({ ...r }));
    const diffs = lines.filter((r) => r.kind === 'depth' && r.lineNo > 60);
    const victim = diffs[1]!;
    if (victim.kind !== 'depth') throw new Error('unreachable');
    victim.data = { ...victim.data, pu: victim.data.pu - 1 };
    expect(() => [...binanceBookSteps(lines, 'f.gz')]).toThrow(new RegExp(`f\\.gz line ${victim.lineNo}: depth gap: .*pu=${victim.data.pu}`));
  });

  it('without a snapshot the book cannot be rebuilt', () => {
    const noSnapshot = records.slice(0, 50);
    expect(() => [...binanceBookSteps(noSnapshot, 'f.gz')]).toThrow(/no REST depth snapshot/);
  });
});

describe('readBinanceFeed on malformed files', () => {
  const good = '1723161255088176367 {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":5,"p":"61800.30","q":"0.006","X":"MARKET","m":false}}';

  it.each([
    ['truncated JSON', `1 {"stream":"btcusdt@trade","data":{"e":"tr`, /line 2: not valid JSON/],
    ['negative qty', good.replace('"0.006"', '"-0.006"'), /line 2: data\.q: expected a non-negative decimal string, got "-0\.006"/],
    ['price as a number', good.replace('"61800.30"', '61800.30'), /line 2: data\.p: expected a non-negative decimal string, got number 61800\.3/],
    ['unknown event', good.replace('"e":"trade"', '"e":"kline"'), /line 2: data\.e: expected one of/],
    ['stream of another channel', good.replace('btcusdt@trade', 'btcusdt@bookTicker'), /line 2: stream: stream "btcusdt@bookTicker" does not carry trade events/],
    ['missing receive time', good.slice(good.indexOf(' ') + 1), /line 2: expected "<receive_time_ns> <json>"/],
    ['depth U after u', '1 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":9,"u":5,"pu":4,"b":[],"a":[]}}', /line 2: data\.U: first update id 9 is after the last 5/],
  ])('%s is a ValidationError naming line 2', (_name, bad, message) => {
    const path = feedFile(`bad-${_name.replace(/\W/g, '-')}.gz`, [good, bad]);
    let thrown: unknown;
    try {
      readBinanceFeed(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toContain(path);
    expect((thrown as Error).message).toMatch(message);
  });

  it('reads a well-formed file and keeps strings exact', () => {
    const [trade] = readBinanceFeed(feedFile('good.gz', [good]));
    expect(trade).toMatchObject({ lineNo: 1, recvNs: 1723161255088176367n, kind: 'trade', data: { p: '61800.30', q: '0.006', m: false } });
  });
});
