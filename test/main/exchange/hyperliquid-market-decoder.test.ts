import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { dec, str } from '../../../src/core/decimal.js';
import { ValidationError } from '../../../src/core/errors.js';
import type { EventOf, OspreyEvent } from '../../../src/core/events.js';
import { readFeedLines } from '../../../src/data/feed-lines.js';
import { readHyperliquidFeed } from '../../../src/data/hyperliquid-feed.js';
import { dataPath } from '../../../src/data/paths.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import { HyperliquidMarketDecoder } from '../../../src/main/exchange/hyperliquid/market-decoder.js';
import { decodeOrReject, expectSaneMarketEvent, mutatedLine } from './market-fuzz.js';

const FEED = dataPath('btcusd_20250126.gz');
const LINES = readFeedLines(FEED).map((l) => l.json);
const BTC = 'hyperliquid:BTC-PERP';
const canonical = (text: string) => str(dec(text));

function setup() {
  const events: OspreyEvent[] = [];
  const clock = new SimulatedClock(1_737_918_900_000);
  const decoder = new HyperliquidMarketDecoder({ instruments: new Map([['BTC', BTC]]), clock, sink: { publish: (e) => events.push(e) } });
  return { decoder, events, clock };
}

const book = LINES.find((l) => l.includes('"l2Book"'))!;
const trades = LINES.find((l) => l.includes('"trades"'))!;

describe('HyperliquidMarketDecoder on the recorded feed', () => {
  it('turns 55 lines into 46 book snapshots and 64 trades with exact prices and sizes, through a real bus', () => {
    const bus = new EventBus((error) => { throw error; });
    const books: EventOf<'market.book'>[] = [];
    const prints: EventOf<'market.trade'>[] = [];
    bus.subscribe('market.book', (e) => books.push(e));
    bus.subscribe('market.trade', (e) => prints.push(e));
    const clock = new SimulatedClock(42);
    const decoder = new HyperliquidMarketDecoder({ instruments: new Map([['BTC', BTC]]), clock, sink: bus });
    for (const line of LINES) decoder.decode(line);

    const original = readHyperliquidFeed(FEED);
    const originalBooks = original.flatMap((r) => (r.message.channel === 'l2Book' ? [r.message.data] : []));
    const originalTrades = original.flatMap((r) => (r.message.channel === 'trades' ? r.message.data : []));
    expect([books.length, prints.length]).toEqual([46, 64]);
    books.forEach((e, i) => {
      const o = originalBooks[i]!;
      expect({ instrument: e.instrument, snapshot: e.snapshot, tsEvent: e.tsEvent, tsRecv: e.tsRecv }).toEqual({ instrument: BTC, snapshot: true, tsEvent: o.time, tsRecv: 42 });
      expect(e.bids.map((l) => `${String(l.price)} ${String(l.size)}`)).toEqual(o.levels[0].map((l) => `${canonical(l.px)} ${canonical(l.sz)}`));
      expect(e.asks.map((l) => `${String(l.price)} ${String(l.size)}`)).toEqual(o.levels[1].map((l) => `${canonical(l.px)} ${canonical(l.sz)}`));
    });
    prints.forEach((e, i) => {
      const o = originalTrades[i]!;
      expect([String(e.price), String(e.size), e.aggressor, e.tradeId, e.tsEvent]).toEqual([canonical(o.px), canonical(o.sz), o.side === 'B' ? 'buy' : 'sell', String(o.tid), o.time]);
    });
    expect(decoder.counters()).toMatchObject({ messages: 55, events: 110, ignored: 0 });
    expect(new Set([...books, ...prints].map((e) => e.id)).size).toBe(110);
  });
});

describe('HyperliquidMarketDecoder on bad input', () => {
  const cases: [string, string, string, RegExp][] = [
    ['truncated JSON', 'malformed_json', book.slice(0, 100), /\(malformed_json\): message, got "/],
    ['data is null', 'bad_shape', '{"channel":"l2Book","data":null}', /data, got null/],
    ['levels is not a pair', 'bad_shape', book.replace(/"levels":\[\[/, '"levels":[[],['), /data\.levels, got an array of 3/],
    ['price as a number', 'bad_shape', book.replace(/"px":"(\d+\.\d)"/, '"px":$1'), /data\.levels\[0\]\[0\]\.px: expected a decimal string, got number/],
    ['unknown coin', 'unknown_coin', book.replace('"coin":"BTC"', '"coin":"DOGE"'), /data\.coin: no instrument is configured for this coin, got "DOGE"/],
    ['negative size', 'bad_number', book.replace('"sz":"3.03622"', '"sz":"-3.03622"'), /data\.levels\[0\]\[0\]\.sz: expected a positive finite decimal, got "-3\.03622"/],
    ['NaN price', 'bad_number', book.replace('"px":"105055.0"', '"px":"NaN"'), /\.px: expected a positive finite decimal, got "NaN"/],
    ['zero price', 'bad_number', book.replace('"px":"105055.0"', '"px":"0.0"'), /got "0\.0"/],
    ['exponent price', 'bad_number', book.replace('"px":"105055.0"', '"px":"1e999"'), /got "1e999"/],
    ['unordered bids', 'unordered_levels', book.replace('"px":"105054.0"', '"px":"105056.0"'), /data\.levels\[0\]\[1\]\.px: bids must be strictly descending/],
    ['time as a string', 'bad_time', book.replace(/"time":(\d+)/, '"time":"$1"'), /data\.time: expected epoch milliseconds/],
    ['trade with a bad side', 'bad_shape', trades.replace('"side":"B"', '"side":"X"'), /data\[\d+\]\.side: expected "B" or "A", got "X"/],
    ['trade with a negative size', 'bad_number', trades.replace(/"sz":"/, '"sz":"-'), /data\[0\]\.sz: expected a positive finite decimal/],
    ['trade without a tid', 'bad_shape', trades.replace(/"tid":\d+,/, ''), /data\[0\]\.tid: expected a trade id, got nothing/],
    ['a bare number', 'bad_shape', '5', /message, got number 5/],
    ['no channel', 'bad_shape', '{"data":[]}', /channel, got nothing/],
  ];

  it.each(cases)('%s: ValidationError, counted as %s, nothing published', (_name, reason, text, message) => {
    const { decoder, events } = setup();
    let thrown: unknown;
    try {
      decoder.decode(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toMatch(message);
    expect((thrown as ValidationError).details).toMatchObject({ venue: 'hyperliquid', reason });
    expect(decoder.counters().rejected).toMatchObject({ [reason]: 1 });
    expect(events).toEqual([]);
  });

  it('ignores the connect greeting, subscription acks and pongs, and counts them', () => {
    const { decoder, events } = setup();
    for (const text of ['Websocket connection established.', '{"channel":"subscriptionResponse","data":{"method":"subscribe"}}', '{"channel":"pong"}']) {
      expect(decoder.decode(text)).toBe(0);
    }
    expect(events).toEqual([]);
    expect(decoder.counters()).toMatchObject({ messages: 3, ignored: 3, events: 0 });
  });

  it('fuzz: mutated recorded lines only ever give ValidationErrors or sane events', () => {
    const { decoder, events } = setup();
    const instruments = new Set([BTC]);
    const outcomes = { decoded: 0, rejected: 0 };
    fc.assert(
      fc.property(mutatedLine(LINES), (text) => {
        events.length = 0;
        outcomes[decodeOrReject(() => decoder.decode(text))]++;
        for (const event of events) expectSaneMarketEvent(event, instruments);
      }),
      { numRuns: 3000 },
    );
    // Both paths were exercised, so the property was not vacuous.
    expect(outcomes.decoded).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(500);
  });
});
