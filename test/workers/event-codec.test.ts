import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import type { OspreyEvent } from '../../src/core/events.js';
import { readFeedLines } from '../../src/data/feed-lines.js';
import { dataPath } from '../../src/data/paths.js';
import { BinanceMarketDecoder } from '../../src/main/exchange/binance/market-decoder.js';
import { decodeBatch, encodeBatch } from '../../src/workers/event-codec.js';
import type { BatchItem } from '../../src/workers/protocol.js';

/** What the worker sees: the batch through structured clone (as the port carries it), decoded. */
function roundTrip(items: readonly BatchItem[]): BatchItem[] {
  const out: BatchItem[] = [];
  decodeBatch(structuredClone(encodeBatch(items)), (to, event) => out.push({ to, event }));
  return out;
}

const header = { id: fc.string({ minLength: 1, maxLength: 20 }), tsEvent: fc.integer({ min: 0, max: 2 ** 45 }), tsRecv: fc.integer({ min: 0, max: 2 ** 45 }), instrument: fc.constantFrom('binance:BTCUSDT-PERP', 'hyperliquid:BTC-PERP', 'sim:ETH-PERP') };
const price = fc.double({ min: 1e-8, max: 1e7, noNaN: true, noDefaultInfinity: true });
const size = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
const sequence = fc.option(fc.integer({ min: 0, max: 2 ** 52 }), { nil: undefined });
const withSequence = <T extends object>(event: T, seq: number | undefined): T => (seq === undefined ? event : { ...event, sequence: seq });
const levels = fc.array(fc.record({ price, size }).map((l) => ({ ...l })), { maxLength: 40 });

const quote = fc.tuple(fc.record({ ...header, bidPrice: price, bidSize: size, askPrice: price, askSize: size }), sequence).map(([e, s]) => withSequence({ type: 'market.quote' as const, ...e }, s));
const trade = fc.record({ ...header, price, size, aggressor: fc.constantFrom('buy' as const, 'sell' as const), tradeId: fc.string({ maxLength: 20 }) }).map((e) => ({ type: 'market.trade' as const, ...e }));
const book = fc.tuple(fc.record({ ...header, bids: levels, asks: levels, snapshot: fc.boolean() }), sequence).map(([e, s]) => withSequence({ type: 'market.book' as const, ...e }, s));
const bar = fc
  .record({ ...header, interval: fc.constantFrom('1m', '5m', '1h'), openTime: fc.integer({ min: 0, max: 2 ** 45 }), open: price, high: price, low: price, close: price, volume: size, closed: fc.boolean() })
  .map((e) => ({ type: 'market.bar' as const, ...e }));
// Events without a columnar form cross as objects.
const orderUpdated = fc.record({ ...header, clientOrderId: fc.string({ minLength: 1, maxLength: 12 }) }).map(({ clientOrderId, instrument, ...h }) => ({
  type: 'order.updated' as const,
  ...h,
  order: { clientOrderId, strategyId: 's', instrument, side: 'buy' as const, type: 'limit' as const, size: '1', price: '2', timeInForce: 'GTC' as const, reduceOnly: false, createdAt: 1, status: 'accepted' as const, filledSize: '0', avgFillPrice: '0', updatedAt: 2 },
}));
const event: fc.Arbitrary<OspreyEvent> = fc.oneof(quote, trade, book, bar, orderUpdated);

describe('worker batch codec', () => {
  it('gives the worker exactly the events the host routed, in order, with their targets (property)', () => {
    const targetLists = [['a'], ['a', 'b'], ['c']];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), event), { maxLength: 60 }), (pairs) => {
        const items = pairs.map(([t, e]) => ({ to: targetLists[t]!, event: e }));
        // toStrictEqual: an absent optional field (sequence) must stay absent, not become undefined.
        expect(roundTrip(items)).toStrictEqual(items);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips the recorded Binance feed as the decoder publishes it (books, quotes, trades)', () => {
    const events: OspreyEvent[] = [];
    const decoder = new BinanceMarketDecoder({ instruments: new Map([['BTCUSDT', 'binance:BTCUSDT-PERP']]), clock: new LiveClock(), sink: { publish: (e) => void events.push(e) } });
    for (const { json } of readFeedLines(dataPath('btcusdt_20240808.gz')).slice(0, 3_000)) {
      if (json.startsWith('{"lastUpdateId"')) decoder.decodeDepthSnapshot('BTCUSDT', json);
      else decoder.decode(json);
    }
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['market.book', 'market.quote', 'market.trade']));
    const to = ['mm'];
    const items = events.map((event) => ({ to, event }));
    // In batches as the slot sends them.
    for (let i = 0; i < items.length; i += 256) expect(roundTrip(items.slice(i, i + 256))).toStrictEqual(items.slice(i, i + 256));
  });

  it('refuses a batch whose layout it does not know, naming the item', () => {
    const batch = { count: 1, nums: [9, 0], strs: [], events: [], targets: [['a']] };
    expect(() => decodeBatch(batch, () => undefined)).toThrow('worker batch: unknown item kind 9 at item 0');
  });
});
