import type { Clock } from '../../../core/clock.js';
import { ValidationError } from '../../../core/errors.js';
import type { EventOf, OspreyEvent } from '../../../core/events.js';
import { createIdGenerator } from '../../../core/ids.js';
import type { BookLevel, InstrumentId } from '../../../core/types.js';
import { DepthSequencer } from '../../../data/depth-sequence.js';
import { parseDecimalText } from '../../../data/decimal-text.js';
import { describeValue } from '../../../data/record-check.js';

/** Why a message was rejected; each has its own counter. */
export type BinanceRejectReason = 'malformed_json' | 'bad_shape' | 'unknown_symbol' | 'bad_number' | 'bad_time' | 'bad_update_id' | 'unordered_levels';

export interface BinanceDecoderCounters {
  messages: number;
  /** Events published. */
  events: number;
  /** Well-formed messages that carry no event: subscription replies and event kinds not mapped. */
  ignored: number;
  /** Diffs already covered by the book (before the snapshot, or repeated). */
  stale: number;
  /** Diffs held while waiting for a depth snapshot. */
  buffered: number;
  /** Breaks in the `pu` chain; each one needs a fresh snapshot. */
  gaps: number;
  rejected: Record<BinanceRejectReason, number>;
}

export interface MarketEventSink {
  publish(event: OspreyEvent): void;
}

export interface BinanceDecoderOptions {
  /** Venue symbol ("BTCUSDT") to our instrument id ("binance:BTCUSDT-PERP"); any other symbol is rejected. */
  instruments: ReadonlyMap<string, InstrumentId>;
  clock: Clock;
  sink: MarketEventSink;
  /** Called when a symbol's book broke; fetch `GET /fapi/v1/depth` and pass it to decodeDepthSnapshot. */
  onGap?: (venueSymbol: string, instrument: InstrumentId) => void;
  /** Diffs kept per symbol while no snapshot is applied; the oldest go first. Default 1000. */
  maxBufferedDiffs?: number;
}

interface PendingDiff {
  readonly event: EventOf<'market.book'>;
  readonly first: number;
  readonly last: number;
  readonly previousLast: number;
}

interface SymbolBook {
  readonly venueSymbol: string;
  readonly instrument: InstrumentId;
  readonly sequencer: DepthSequencer;
  waiting: PendingDiff[];
}

/**
 * Decodes Binance USDⓈ-M WebSocket text (combined `{stream, data}` or raw) into `market.book` and
 * `market.trade` events, and keeps each symbol's depth diffs in sequence (src/data/depth-sequence.ts):
 * diffs are buffered until a REST snapshot arrives, then published only while the `pu` chain holds. A
 * gap stops publishing diffs for that symbol and calls `onGap`. Validation is inline (hot path); a bad
 * message throws a ValidationError naming the field and value, is counted, and publishes nothing.
 */
export class BinanceMarketDecoder {
  readonly #books = new Map<string, SymbolBook>();
  readonly #clock: Clock;
  readonly #sink: MarketEventSink;
  readonly #onGap: ((venueSymbol: string, instrument: InstrumentId) => void) | undefined;
  readonly #maxBuffered: number;
  readonly #nextId = createIdGenerator('bn');
  readonly #counters: BinanceDecoderCounters = {
    messages: 0, events: 0, ignored: 0, stale: 0, buffered: 0, gaps: 0,
    rejected: { malformed_json: 0, bad_shape: 0, unknown_symbol: 0, bad_number: 0, bad_time: 0, bad_update_id: 0, unordered_levels: 0 },
  };

  constructor(options: BinanceDecoderOptions) {
    for (const [venueSymbol, instrument] of options.instruments) {
      this.#books.set(venueSymbol, { venueSymbol, instrument, sequencer: new DepthSequencer(), waiting: [] });
    }
    this.#clock = options.clock;
    this.#sink = options.sink;
    this.#onGap = options.onGap;
    this.#maxBuffered = options.maxBufferedDiffs ?? 1000;
  }

  /** Decodes one stream message and publishes its events; returns how many. Throws ValidationError on bad input. */
  decode(text: string): number {
    this.#counters.messages++;
    const message = this.#parse(text);
    const data = message.stream === undefined ? message : message.data;
    if (typeof data !== 'object' || data === null) throw this.#reject('bad_shape', 'data', data);
    const event = (data as { e?: unknown }).e;
    if (event === 'depthUpdate') return this.#depth(data as Record<string, unknown>);
    if (event === 'trade') return this.#trade(data as Record<string, unknown>);
    if (event === 'bookTicker') return this.#bookTicker(data as Record<string, unknown>);
    // Subscription replies ({"result":null,"id":1}) and event kinds this decoder does not map.
    if (typeof event === 'string' || (event === undefined && 'id' in message)) return this.#ignore();
    throw this.#reject('bad_shape', 'e', event, 'expected an event type');
  }

  /**
   * Applies a REST depth snapshot (`{"lastUpdateId","E","T","bids","asks"}`, which names no symbol):
   * publishes it as a `market.book` snapshot, then the buffered diffs that continue it.
   */
  decodeDepthSnapshot(venueSymbol: string, text: string): number {
    this.#counters.messages++;
    const book = this.#book(venueSymbol, 'symbol');
    const snapshot = this.#parse(text);
    const lastUpdateId = this.#updateId(snapshot.lastUpdateId, 'lastUpdateId');
    const tsRecv = this.#clock.now();
    const tsEvent = snapshot.E === undefined ? tsRecv : this.#time(snapshot.E, 'E');
    const bids = this.#snapshotSide(snapshot.bids, 'bids', true);
    const asks = this.#snapshotSide(snapshot.asks, 'asks', false);
    book.sequencer.startFromSnapshot(lastUpdateId);
    this.#publish({ id: this.#nextId(), type: 'market.book', tsEvent, tsRecv, instrument: book.instrument, bids, asks, snapshot: true, sequence: lastUpdateId });
    let published = 1;
    for (const pending of book.waiting.splice(0)) published += this.#sequence(book, pending);
    return published;
  }

  /** Forget a symbol's book (after a reconnect): diffs are buffered until the next snapshot. */
  resync(venueSymbol: string): void {
    const book = this.#book(venueSymbol, 'symbol');
    book.sequencer.reset();
    book.waiting = [];
  }

  isSynced(venueSymbol: string): boolean {
    return this.#books.get(venueSymbol)?.sequencer.synced ?? false;
  }

  counters(): BinanceDecoderCounters {
    return { ...this.#counters, rejected: { ...this.#counters.rejected } };
  }

  #depth(data: Record<string, unknown>): number {
    const book = this.#book(data.s, 'data.s');
    const tsEvent = this.#time(data.E, 'data.E');
    const first = this.#updateId(data.U, 'data.U');
    const last = this.#updateId(data.u, 'data.u');
    const previousLast = this.#updateId(data.pu, 'data.pu');
    if (first > last) throw this.#reject('bad_update_id', 'data.U', first, `first update id after the last (${last})`);
    const bids = this.#diffSide(data.b, 'data.b');
    const asks = this.#diffSide(data.a, 'data.a');
    const event: EventOf<'market.book'> = { id: this.#nextId(), type: 'market.book', tsEvent, tsRecv: this.#clock.now(), instrument: book.instrument, bids, asks, snapshot: false, sequence: last };
    return this.#sequence(book, { event, first, last, previousLast });
  }

  #sequence(book: SymbolBook, pending: PendingDiff): number {
    const verdict = book.sequencer.check(pending.first, pending.last, pending.previousLast);
    if (verdict === 'apply') return this.#publish(pending.event);
    if (verdict === 'stale') {
      this.#counters.stale++;
    } else if (verdict === 'unsynced') {
      this.#counters.buffered++;
      if (book.waiting.push(pending) > this.#maxBuffered) book.waiting.shift();
    } else {
      // The book is wrong from here on: stop publishing diffs and keep this one, which may bridge the
      // next snapshot.
      this.#counters.gaps++;
      book.sequencer.reset();
      book.waiting = [pending];
      this.#onGap?.(book.venueSymbol, book.instrument);
    }
    return 0;
  }

  #trade(data: Record<string, unknown>): number {
    const book = this.#book(data.s, 'data.s');
    const tsEvent = this.#time(data.T, 'data.T');
    const tradeId = this.#updateId(data.t, 'data.t');
    const price = this.#number(data.p, 'data.p', false);
    const size = this.#number(data.q, 'data.q', false);
    if (typeof data.m !== 'boolean') throw this.#reject('bad_shape', 'data.m', data.m, 'expected a boolean');
    // m: the buyer was the maker, so the aggressor sold.
    return this.#publish({ id: this.#nextId(), type: 'market.trade', tsEvent, tsRecv: this.#clock.now(), instrument: book.instrument, price, size, aggressor: data.m ? 'sell' : 'buy', tradeId: String(tradeId) });
  }

  #bookTicker(data: Record<string, unknown>): number {
    const book = this.#book(data.s, 'data.s');
    const sequence = this.#updateId(data.u, 'data.u');
    const tsEvent = this.#time(data.E, 'data.E');
    const bidPrice = this.#number(data.b, 'data.b', false);
    const bidSize = this.#number(data.B, 'data.B', true);
    const askPrice = this.#number(data.a, 'data.a', false);
    const askSize = this.#number(data.A, 'data.A', true);
    return this.#publish({ id: this.#nextId(), type: 'market.quote', tsEvent, tsRecv: this.#clock.now(), instrument: book.instrument, bidPrice, bidSize, askPrice, askSize, sequence });
  }

  /** Diff levels: any order, size 0 removes. */
  #diffSide(raw: unknown, field: string): BookLevel[] {
    if (!Array.isArray(raw)) throw this.#reject('bad_shape', field, raw);
    const out: BookLevel[] = [];
    for (let i = 0; i < raw.length; i++) {
      const row: unknown = raw[i];
      if (!Array.isArray(row) || row.length < 2) throw this.#reject('bad_shape', `${field}[${i}]`, row, 'expected [price, qty]');
      const price = decimalOrNaN(row[0]);
      const size = decimalOrNaN(row[1]);
      // One combined test per level; the field path is only built to report a failure.
      if (!(price > 0 && price < Infinity && size >= 0 && size < Infinity)) {
        this.#number(row[0], `${field}[${i}][0]`, false);
        this.#number(row[1], `${field}[${i}][1]`, true);
      }
      out.push({ price, size });
    }
    return out;
  }

  /** Snapshot levels: best first, strictly ordered, no zero sizes. */
  #snapshotSide(raw: unknown, field: string, descending: boolean): BookLevel[] {
    const levels = this.#diffSide(raw, field);
    for (let i = 0; i < levels.length; i++) {
      const { price, size } = levels[i]!;
      if (size === 0) throw this.#reject('bad_number', `${field}[${i}][1]`, size, 'a snapshot level needs a positive size');
      const previous = levels[i - 1]?.price;
      if (previous !== undefined && (descending ? price >= previous : price <= previous)) {
        throw this.#reject('unordered_levels', `${field}[${i}][0]`, price, descending ? 'bids must be strictly descending' : 'asks must be strictly ascending');
      }
    }
    return levels;
  }

  #parse(text: string): Record<string, unknown> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      throw this.#reject('malformed_json', 'message', text);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw this.#reject('bad_shape', 'message', message, 'expected an object');
    return message as Record<string, unknown>;
  }

  #book(symbol: unknown, field: string): SymbolBook {
    if (typeof symbol !== 'string') throw this.#reject('bad_shape', field, symbol, 'expected a symbol');
    const book = this.#books.get(symbol);
    if (book === undefined) throw this.#reject('unknown_symbol', field, symbol, 'no instrument is configured for this symbol');
    return book;
  }

  #time(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw this.#reject('bad_time', field, value, 'expected epoch milliseconds');
    return value;
  }

  #updateId(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw this.#reject('bad_update_id', field, value, 'expected a non-negative integer id');
    return value;
  }

  /** Plain decimal text (no sign, exponent or blanks), finite, above zero or, where `zeroAllowed` (a diff's removal), zero. */
  #number(text: unknown, field: string, zeroAllowed: boolean): number {
    if (typeof text !== 'string') throw this.#reject('bad_shape', field, text, 'expected a decimal string');
    const value = parseDecimalText(text);    if (!((zeroAllowed ? value >= 0 : value > 0) && value < Infinity)) {
      throw this.#reject('bad_number', field, text, zeroAllowed ? 'expected a non-negative finite decimal' : 'expected a positive finite decimal');
    }
    return value;
  }

  #publish(event: OspreyEvent): number {
    this.#sink.publish(event);
    this.#counters.events++;
    return 1;
  }

  #ignore(): number {
    this.#counters.ignored++;
    return 0;
  }

  #reject(reason: BinanceRejectReason, field: string, value: unknown, expected?: string): ValidationError {
    this.#counters.rejected[reason]++;
    const message = `binance market message rejected (${reason}): ${field}${expected === undefined ? '' : `: ${expected}`}, got ${describeValue(value)}`;
    return new ValidationError(message, { venue: 'binance', reason, field });
  }
}

function decimalOrNaN(value: unknown): number {
  return typeof value === 'string' ? parseDecimalText(value) : Number.NaN;
}
