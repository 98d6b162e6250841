import type { EventOf, OspreyEvent } from '../core/events.js';
import type { BookLevel } from '../core/types.js';
import type { BatchItem, WireBatch } from './protocol.js';

/*
 * Market events to a worker in columns. The structured clone of an event object writes every key and
 * value separately and cost ~1.7 µs an event on the main thread at 100,000 events/s (bench `pipeline`,
 * `full`), the largest cost after JSON.parse; the numbers in one array and the strings in another cost
 * a fraction of that, and decoding moves the object building to the worker, which has the time. (A
 * plain array of doubles measured cheaper than a Float64Array, whose buffer costs an allocation on each
 * side, which the one-event batches of the latency path feel.) Market events (quote, trade, book, bar) have a columnar form; any other event crosses as the
 * object itself. Doubles round-trip exactly; an absent optional number is written as NaN, which no
 * valid field holds (decoders reject NaN).
 *
 * Layout per item, in order: nums gets [kind, target index, ...fields], strs gets [id, instrument,
 * ...string fields]; kind OTHER takes the next entry of `events` instead.
 */

const QUOTE = 0;
const TRADE = 1;
const BOOK = 2;
const BAR = 3;
const OTHER = 4;

const optional = (value: number | undefined): number => (value === undefined ? Number.NaN : value);

function pushLevels(nums: number[], levels: readonly BookLevel[]): void {
  nums.push(levels.length);
  for (const level of levels) {
    nums.push(level.price, level.size);
  }
}

/** The hot port's form of `items`: what WorkerSlot sends and decodeBatch reads back. */
export function encodeBatch(items: readonly BatchItem[]): WireBatch {
  const nums: number[] = [];
  const strs: string[] = [];
  const events: OspreyEvent[] = [];
  const targets: (readonly string[])[] = [];
  for (const { to, event: e } of items) {
    // Routes hand out one array per instrument and slot, so identity finds repeats.
    let target = targets.indexOf(to);
    if (target < 0) target = targets.push(to) - 1;
    switch (e.type) {
      case 'market.quote':
        nums.push(QUOTE, target, e.tsEvent, e.tsRecv, e.bidPrice, e.bidSize, e.askPrice, e.askSize, optional(e.sequence));
        strs.push(e.id, e.instrument);
        break;
      case 'market.trade':
        nums.push(TRADE, target, e.tsEvent, e.tsRecv, e.price, e.size, e.aggressor === 'buy' ? 0 : 1);
        strs.push(e.id, e.instrument, e.tradeId);
        break;
      case 'market.book':
        nums.push(BOOK, target, e.tsEvent, e.tsRecv, e.snapshot ? 1 : 0, optional(e.sequence));
        pushLevels(nums, e.bids);
        pushLevels(nums, e.asks);
        strs.push(e.id, e.instrument);
        break;
      case 'market.bar':
        nums.push(BAR, target, e.tsEvent, e.tsRecv, e.openTime, e.open, e.high, e.low, e.close, e.volume, e.closed ? 1 : 0);
        strs.push(e.id, e.instrument, e.interval);
        break;
      default:
        nums.push(OTHER, target);
        events.push(e);
    }
  }
  return { count: items.length, nums, strs, events, targets };
}

/** Calls `each` with every item of the batch, in order, as the event the host routed. */
export function decodeBatch(batch: WireBatch, each: (to: readonly string[], event: OspreyEvent) => void): void {
  const { nums, strs, events, targets } = batch;
  let n = 0;
  let s = 0;
  let o = 0;
  const levels = (): BookLevel[] => {
    const count = nums[n++]!;
    const out: BookLevel[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = { price: nums[n++]!, size: nums[n++]! };
    return out;
  };
  // Literals with every field written out (no spreads): V8 builds those on its fast path.
  for (let item = 0; item < batch.count; item++) {
    const kind = nums[n++]!;
    const to = targets[nums[n++]!]!;
    if (kind === OTHER) {
      each(to, events[o++]!);
      continue;
    }
    const id = strs[s++]!;
    const instrument = strs[s++]!;
    const tsEvent = nums[n++]!;
    const tsRecv = nums[n++]!;
    switch (kind) {
      case QUOTE: {
        const event: { -readonly [K in keyof EventOf<'market.quote'>]: EventOf<'market.quote'>[K] } = {
          type: 'market.quote', id, tsEvent, tsRecv, instrument, bidPrice: nums[n++]!, bidSize: nums[n++]!, askPrice: nums[n++]!, askSize: nums[n++]!,
        };
        const sequence = nums[n++]!;
        if (!Number.isNaN(sequence)) event.sequence = sequence;
        each(to, event);
        break;
      }
      case TRADE: {
        const event: EventOf<'market.trade'> = { type: 'market.trade', id, tsEvent, tsRecv, instrument, price: nums[n++]!, size: nums[n++]!, aggressor: nums[n++] === 0 ? 'buy' : 'sell', tradeId: strs[s++]! };
        each(to, event);
        break;
      }
      case BOOK: {
        const snapshot = nums[n++] === 1;
        const sequence = nums[n++]!;
        const bids = levels();
        const asks = levels();
        const event: { -readonly [K in keyof EventOf<'market.book'>]: EventOf<'market.book'>[K] } = { type: 'market.book', id, tsEvent, tsRecv, instrument, bids, asks, snapshot };
        if (!Number.isNaN(sequence)) event.sequence = sequence;
        each(to, event);
        break;
      }
      case BAR: {
        const event: EventOf<'market.bar'> = {
          type: 'market.bar', id, tsEvent, tsRecv, instrument, openTime: nums[n++]!, open: nums[n++]!, high: nums[n++]!, low: nums[n++]!, close: nums[n++]!, volume: nums[n++]!, closed: nums[n++] === 1, interval: strs[s++]!,
        };
        each(to, event);
        break;
      }
      default:
        throw new Error(`worker batch: unknown item kind ${kind} at item ${item}`);
    }
  }
}
