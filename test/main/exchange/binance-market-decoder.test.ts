import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { dec, str } from '../../../src/core/decimal.js';
import { ValidationError } from '../../../src/core/errors.js';
import type { EventOf, OspreyEvent } from '../../../src/core/events.js';
import { OrderBook } from '../../../src/core/order-book.js';
import { readFeedLines } from '../../../src/data/feed-lines.js';
import { dataPath } from '../../../src/data/paths.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import { BinanceMarketDecoder } from '../../../src/main/exchange/binance/market-decoder.js';
import { decodeOrReject, expectSaneMarketEvent, mutatedLine } from './market-fuzz.js';

const LINES = readFeedLines(dataPath('btcusdt_20240808.gz')).map((l) => l.json);
const SNAPSHOT_INDEX = 54;
const PERP = 'binance:BTCUSDT-PERP';
const canonical = (text: string) => str(dec(text));

function setup(onGap?: (symbol: string, instrument: string) => void) {
  const events: OspreyEvent[] = [];
  const decoder = new BinanceMarketDecoder({
    instruments: new Map([['BTCUSDT', PERP]]), clock: new SimulatedClock(7), sink: { publish: (e) => events.push(e) }, ...(onGap ? { onGap } : {}),
  });
  return { decoder, events };
}

/** Feeds recorded lines the way an adapter would: the REST snapshot through its own entry point. */
function feed(decoder: BinanceMarketDecoder, from = 0, to = LINES.length): void {
  for (let i = from; i < to; i++) {
    if (i === SNAPSHOT_INDEX) decoder.decodeDepthSnapshot('BTCUSDT', LINES[i]!);
    else decoder.decode(LINES[i]!);
  }
}

const diff = (U: number, u: number, pu: number, bids = '[["100.0","1.000"]]') =>
  `{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":${U},"u":${u},"pu":${pu},"b":${bids},"a":[]}}`;
const snapshot = (id: number) => `{"lastUpdateId":${id},"E":5,"T":4,"bids":[["99.0","2.0"]],"asks":[["101.0","3.0"]]}`;
const TRADE = LINES.find((l) => l.includes('@trade'))!;
const TICKER = LINES.find((l) => l.includes('@bookTicker'))!;

describe('BinanceMarketDecoder on the recorded feed', () => {
  it('a book built from its events through a real bus matches bookTicker, price and qty, at all 629 shared update ids', () => {
    const tickers = new Map<number, { b: string; B: string; a: string; A: string }>();
    for (const line of LINES) if (line.includes('@bookTicker')) { const t = JSON.parse(line).data; tickers.set(t.u, t); }
    const bus = new EventBus((error) => { throw error; });
    const book = new OrderBook();
    const mismatches: string[] = [];
    let checked = 0;
    let trades = 0;
    bus.subscribe('market.book', (e: EventOf<'market.book'>) => {
      book.apply(e);
      const t = e.snapshot || e.sequence === undefined ? undefined : tickers.get(e.sequence);
      if (t === undefined) return;
      checked++;
      const [bid, ask] = [book.bestBid()!, book.bestAsk()!];
      const ours = `${String(bid.price)} x ${String(bid.size)} / ${String(ask.price)} x ${String(ask.size)}`;
      const theirs = `${canonical(t.b)} x ${canonical(t.B)} / ${canonical(t.a)} x ${canonical(t.A)}`;
      if (ours !== theirs) mismatches.push(`u=${e.sequence}: ${ours} != ${theirs}`);
    });
    bus.subscribe('market.trade', () => trades++);
    let quotes = 0;
    bus.subscribe('market.quote', () => quotes++);
    const decoder = new BinanceMarketDecoder({ instruments: new Map([['BTCUSDT', PERP]]), clock: new SimulatedClock(7), sink: bus });
    feed(decoder);
    expect(mismatches).toEqual([]);
    expect(checked).toBe(629);
    expect(trades).toBe(21_313);
    const c = decoder.counters();
    expect(quotes).toBe(66_089); // every bookTicker becomes a market.quote
    expect(c).toMatchObject({ messages: 93_954, gaps: 0, ignored: 0 });
    expect(Object.values(c.rejected).every((n) => n === 0)).toBe(true);
    expect(c.events).toBe(1 + (6_551 - c.stale) + 21_313 + 66_089);
  });

  it('maps trades exactly: m=true means the aggressor sold; event time is T', () => {
    const { decoder, events } = setup();
    decoder.decode(TRADE);
    const raw = JSON.parse(TRADE).data;
    expect(events).toEqual([expect.objectContaining({ type: 'market.trade', instrument: PERP, price: Number(raw.p), size: Number(raw.q), aggressor: raw.m ? 'sell' : 'buy', tradeId: String(raw.t), tsEvent: raw.T, tsRecv: 7 })]);
    decoder.decode(TRADE.replace('"m":false', '"m":true'));
    expect((events[1] as EventOf<'market.trade'>).aggressor).toBe('sell');
  });

  it('accepts raw (not combined) stream messages and ignores subscription replies', () => {
    const { decoder, events } = setup();
    expect(decoder.decode(JSON.stringify(JSON.parse(TRADE).data))).toBe(1);
    expect(decoder.decode('{"result":null,"id":1}')).toBe(0);
    expect(events).toHaveLength(1);
    expect(decoder.counters().ignored).toBe(1);
  });
});

describe('BinanceMarketDecoder depth sequencing', () => {
  it('buffers diffs until the snapshot, then publishes the snapshot and the diffs that continue it', () => {
    const { decoder, events } = setup();
    expect(decoder.decode(diff(90, 95, 89))).toBe(0);
    expect(decoder.decode(diff(96, 102, 95))).toBe(0);
    expect(decoder.isSynced('BTCUSDT')).toBe(false);
    expect(decoder.decodeDepthSnapshot('BTCUSDT', snapshot(100))).toBe(2);
    expect(decoder.decode(diff(103, 110, 102))).toBe(1);
    expect(events.map((e) => [(e as EventOf<'market.book'>).snapshot, (e as EventOf<'market.book'>).sequence, e.tsEvent])).toEqual([[true, 100, 5], [false, 102, 1], [false, 110, 1]]);
    expect(decoder.counters()).toMatchObject({ buffered: 2, stale: 1, gaps: 0 });
  });

  it('on a gap stops publishing, reports it, and resumes from the next snapshot', () => {
    const gaps: [string, string][] = [];
    const { decoder, events } = setup((symbol, instrument) => gaps.push([symbol, instrument]));
    decoder.decodeDepthSnapshot('BTCUSDT', snapshot(100));
    decoder.decode(diff(95, 105, 94));
    expect(decoder.decode(diff(120, 130, 119))).toBe(0);
    expect(gaps).toEqual([['BTCUSDT', PERP]]);
    expect(decoder.isSynced('BTCUSDT')).toBe(false);
    expect(decoder.decode(diff(131, 140, 130))).toBe(0);
    expect(decoder.decodeDepthSnapshot('BTCUSDT', snapshot(135))).toBe(2);
    expect(events.map((e) => (e as EventOf<'market.book'>).sequence)).toEqual([100, 105, 135, 140]);
    expect(decoder.counters()).toMatchObject({ gaps: 1, stale: 1 });
  });

  it('resync forgets the book; the recorded file replays cleanly after it', () => {
    const { decoder } = setup();
    feed(decoder, 0, 2000);
    decoder.resync('BTCUSDT');
    expect(decoder.isSynced('BTCUSDT')).toBe(false);
    feed(decoder, 0, 2000);
    expect(decoder.counters().gaps).toBe(0);
    expect(decoder.isSynced('BTCUSDT')).toBe(true);
  });
});

describe('BinanceMarketDecoder on bad input', () => {
  const cases: [string, string, string, RegExp][] = [
    ['truncated JSON', 'malformed_json', TRADE.slice(0, 60), /\(malformed_json\): message, got "/],
    ['an array', 'bad_shape', '[1,2]', /message: expected an object, got an array of 2/],
    ['data is a string', 'bad_shape', '{"stream":"btcusdt@trade","data":"x"}', /data, got "x"/],
    ['unknown symbol', 'unknown_symbol', TRADE.replace('"BTCUSDT"', '"ETHUSDT"'), /data\.s: no instrument is configured for this symbol, got "ETHUSDT"/],
    ['negative qty in a diff', 'bad_number', diff(1, 2, 0, '[["100.0","-1.000"]]'), /data\.b\[0\]\[1\]: expected a non-negative finite decimal, got "-1\.000"/],
    ['NaN price in a diff', 'bad_number', diff(1, 2, 0, '[["NaN","1.000"]]'), /data\.b\[0\]\[0\]: expected a positive finite decimal, got "NaN"/],
    ['qty as a number', 'bad_shape', diff(1, 2, 0, '[["100.0",1]]'), /data\.b\[0\]\[1\]: expected a decimal string, got number 1/],
    ['a level that is not a pair', 'bad_shape', diff(1, 2, 0, '[["100.0"]]'), /data\.b\[0\]: expected \[price, qty\], got an array of 1/],
    ['U after u', 'bad_update_id', diff(9, 2, 0), /data\.U: first update id after the last \(2\), got number 9/],
    ['zero trade price', 'bad_number', TRADE.replace(/"p":"[\d.]+"/, '"p":"0.00"'), /data\.p: expected a positive finite decimal, got "0\.00"/],
    ['trade time missing', 'bad_time', TRADE.replace(/"T":\d+,/, ''), /data\.T: expected epoch milliseconds, got nothing/],
    ['maker flag as a string', 'bad_shape', TRADE.replace('"m":false', '"m":"false"'), /data\.m: expected a boolean/],
    ['bookTicker with an infinite bid', 'bad_number', TICKER.replace(/"b":"[\d.]+"/, '"b":"1e999"'), /data\.b: expected a positive finite decimal, got "1e999"/],
    ['no event type', 'bad_shape', '{"stream":"x","data":{"E":1}}', /e: expected an event type, got nothing/],
  ];

  it.each(cases)('%s: ValidationError, counted as %s, nothing published', (_name, reason, text, message) => {
    const { decoder, events } = setup();
    decoder.decodeDepthSnapshot('BTCUSDT', snapshot(0));
    events.length = 0;
    let thrown: unknown;
    try {
      decoder.decode(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toMatch(message);
    expect((thrown as ValidationError).details).toMatchObject({ venue: 'binance', reason });
    expect(decoder.counters().rejected).toMatchObject({ [reason]: 1 });
    expect(events).toEqual([]);
  });

  it.each([
    ['unordered bids', '{"lastUpdateId":5,"bids":[["99.0","1"],["99.5","1"]],"asks":[]}', /bids\[1\]\[0\]: bids must be strictly descending/],
    ['zero size', '{"lastUpdateId":5,"bids":[["99.0","0.000"]],"asks":[]}', /bids\[0\]\[1\]: a snapshot level needs a positive size/],
    ['no update id', '{"bids":[],"asks":[]}', /lastUpdateId: expected a non-negative integer id, got nothing/],
  ])('a REST snapshot with %s is rejected and leaves the symbol unsynced', (_name, text, message) => {
    const { decoder, events } = setup();
    expect(() => decoder.decodeDepthSnapshot('BTCUSDT', text)).toThrow(message);
    expect(decoder.isSynced('BTCUSDT')).toBe(false);
    expect(events).toEqual([]);
  });

  it('fuzz: mutated recorded lines only ever give ValidationErrors or sane events', () => {
    const { decoder, events } = setup();
    const instruments = new Set([PERP]);
    const outcomes = { decoded: 0, rejected: 0 };
    // Depth diffs are a small share of the file but the richest shape; weight them up.
    const sample = [...LINES.filter((l) => l.includes('@depth')).slice(0, 60), ...LINES.slice(0, 200)].filter((l) => !l.startsWith('{"lastUpdateId"'));
    fc.assert(
      fc.property(mutatedLine(sample), (text) => {
        // Sync the book at whatever update id the diff starts from, so a surviving diff is published.
        const first = Number(/"U":(\d+)/.exec(text)?.[1] ?? 0);
        decoder.resync('BTCUSDT');
        decoder.decodeDepthSnapshot('BTCUSDT', snapshot(Number.isSafeInteger(first) ? first : 0));
        events.length = 0;
        outcomes[decodeOrReject(() => decoder.decode(text))]++;
        for (const event of events) expectSaneMarketEvent(event, instruments);
      }),
      { numRuns: 3000 },
    );
    expect(outcomes.decoded).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(500);
  });
});
