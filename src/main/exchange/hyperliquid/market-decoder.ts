import type { Clock } from '../../../core/clock.js';
import { ValidationError } from '../../../core/errors.js';
import type { EventOf, OspreyEvent } from '../../../core/events.js';
import { createIdGenerator } from '../../../core/ids.js';
import type { BookLevel, InstrumentId } from '../../../core/types.js';
import { parseDecimalText } from '../../../data/decimal-text.js';
import { describeValue } from '../../../data/record-check.js';

/** Why a message was rejected; each has its own counter. */
export type HyperliquidRejectReason = 'malformed_json' | 'bad_shape' | 'unknown_coin' | 'bad_number' | 'bad_time' | 'unordered_levels';

export interface HyperliquidDecoderCounters {
  messages: number;
  /** Events published. */
  events: number;
  /** Well-formed messages of channels this decoder does not turn into events (acks, pong, ...). */
  ignored: number;
  rejected: Record<HyperliquidRejectReason, number>;
}

export interface MarketEventSink {
  publish(event: OspreyEvent): void;
}

export interface HyperliquidDecoderOptions {
  /** Venue coin ("BTC") to our instrument id ("hyperliquid:BTC-PERP"); any other coin is rejected. */
  instruments: ReadonlyMap<string, InstrumentId>;
  /** Supplies each event's receive time. */
  clock: Clock;
  /** Usually the EventBus. */
  sink: MarketEventSink;
}

/** What live Hyperliquid sends on connect; not JSON and not an error. */
const GREETING = 'Websocket connection established.';

/**
 * Decodes Hyperliquid WebSocket text (`l2Book`, `trades`) straight into `market.book` (always a full
 * snapshot) and `market.trade` events. This is the market-data hot path, so validation is inline typeof
 * and comparison checks rather than a schema library. A bad message throws a ValidationError naming
 * the field and value, is counted by reason, and publishes nothing, not even its valid parts.
 */
export class HyperliquidMarketDecoder {
  readonly #instruments: ReadonlyMap<string, InstrumentId>;
  readonly #clock: Clock;
  readonly #sink: MarketEventSink;
  readonly #nextId = createIdGenerator('hl');
  readonly #counters: HyperliquidDecoderCounters = {
    messages: 0, events: 0, ignored: 0,
    rejected: { malformed_json: 0, bad_shape: 0, unknown_coin: 0, bad_number: 0, bad_time: 0, unordered_levels: 0 },
  };

  constructor(options: HyperliquidDecoderOptions) {
    this.#instruments = options.instruments;
    this.#clock = options.clock;
    this.#sink = options.sink;
  }

  /** Decodes one message and publishes its events; returns how many. Throws ValidationError on bad input. */
  decode(text: string): number {
    this.#counters.messages++;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      if (text === GREETING) return this.#ignore();
      throw this.#reject('malformed_json', 'message', text);
    }
    if (typeof message !== 'object' || message === null) throw this.#reject('bad_shape', 'message', message);
    const { channel, data } = message as { channel?: unknown; data?: unknown };
    if (channel === 'l2Book') return this.#book(data);
    if (channel === 'trades') return this.#trades(data);
    if (typeof channel !== 'string') throw this.#reject('bad_shape', 'channel', channel);
    return this.#ignore();
  }

  counters(): HyperliquidDecoderCounters {
    return { ...this.#counters, rejected: { ...this.#counters.rejected } };
  }

  #book(data: unknown): number {
    if (typeof data !== 'object' || data === null) throw this.#reject('bad_shape', 'data', data);
    const { coin, time, levels } = data as { coin?: unknown; time?: unknown; levels?: unknown };
    const instrument = this.#instrument(coin, 'data.coin');
    const tsEvent = this.#time(time, 'data.time');
    if (!Array.isArray(levels) || levels.length !== 2) throw this.#reject('bad_shape', 'data.levels', levels);
    const bids = this.#levels(levels[0], 0);
    const asks = this.#levels(levels[1], 1);
    const event: EventOf<'market.book'> = { id: this.#nextId(), type: 'market.book', tsEvent, tsRecv: this.#clock.now(), instrument, bids, asks, snapshot: true };
    this.#sink.publish(event);
    this.#counters.events++;
    return 1;
  }

  /** One side of a snapshot: bids strictly descending (side 0), asks strictly ascending (side 1). */
  #levels(raw: unknown, side: 0 | 1): BookLevel[] {
    if (!Array.isArray(raw)) throw this.#reject('bad_shape', `data.levels[${side}]`, raw);
    const out: BookLevel[] = [];
    let previous = side === 0 ? Infinity : 0;
    for (let i = 0; i < raw.length; i++) {
      const level: unknown = raw[i];
      if (typeof level !== 'object' || level === null) throw this.#reject('bad_shape', `data.levels[${side}][${i}]`, level);
      const { px, sz } = level as { px?: unknown; sz?: unknown };
      const price = decimalOrNaN(px);
      const size = decimalOrNaN(sz);
      // One combined test per level; the field path is only built to report a failure.
      if (!(price > 0 && price < Infinity && size > 0 && size < Infinity)) {
        this.#positive(px, `data.levels[${side}][${i}].px`);
        this.#positive(sz, `data.levels[${side}][${i}].sz`);
      }
      if (side === 0 ? price >= previous : price <= previous) {
        throw this.#reject('unordered_levels', `data.levels[${side}][${i}].px`, px, side === 0 ? 'bids must be strictly descending' : 'asks must be strictly ascending');
      }
      previous = price;
      out.push({ price, size });
    }
    return out;
  }

  #trades(data: unknown): number {
    if (!Array.isArray(data)) throw this.#reject('bad_shape', 'data', data);
    const tsRecv = this.#clock.now();
    // Every trade is checked before any is published: a message is accepted or dropped whole.
    const events: EventOf<'market.trade'>[] = [];
    for (let i = 0; i < data.length; i++) {
      const trade: unknown = data[i];
      if (typeof trade !== 'object' || trade === null) throw this.#reject('bad_shape', `data[${i}]`, trade);
      const { coin, side, px, sz, time, tid } = trade as Record<string, unknown>;
      const instrument = typeof coin === 'string' ? this.#instruments.get(coin) : undefined;
      const price = decimalOrNaN(px);
      const size = decimalOrNaN(sz);
      const valid = instrument !== undefined && (side === 'B' || side === 'A') && price > 0 && price < Infinity && size > 0 && size < Infinity && isEpochMs(time) && isId(tid);
      // The field path is only built to report a failure: each check below throws on the first bad field.
      if (!valid) {
        this.#instrument(coin, `data[${i}].coin`);
        if (side !== 'B' && side !== 'A') throw this.#reject('bad_shape', `data[${i}].side`, side, 'expected "B" or "A"');
        this.#positive(px, `data[${i}].px`);
        this.#positive(sz, `data[${i}].sz`);
        this.#time(time, `data[${i}].time`);
        throw this.#reject('bad_shape', `data[${i}].tid`, tid, 'expected a trade id');
      }
      events.push({ id: this.#nextId(), type: 'market.trade', tsEvent: time as number, tsRecv, instrument, price, size, aggressor: side === 'B' ? 'buy' : 'sell', tradeId: String(tid as number) });
    }
    for (let i = 0; i < events.length; i++) this.#sink.publish(events[i]!);
    this.#counters.events += events.length;
    return events.length;
  }

  #instrument(coin: unknown, field: string): InstrumentId {
    if (typeof coin !== 'string') throw this.#reject('bad_shape', field, coin);
    const instrument = this.#instruments.get(coin);
    if (instrument === undefined) throw this.#reject('unknown_coin', field, coin, 'no instrument is configured for this coin');
    return instrument;
  }

  #time(value: unknown, field: string): number {
    if (!isEpochMs(value)) throw this.#reject('bad_time', field, value, 'expected epoch milliseconds');
    return value;
  }

  /** A price or size: plain decimal text (no sign, exponent or blanks), finite and above zero. */
  #positive(text: unknown, field: string): number {
    if (typeof text !== 'string') throw this.#reject('bad_shape', field, text, 'expected a decimal string');
    const value = parseDecimalText(text);
    if (!(value > 0 && value < Infinity)) throw this.#reject('bad_number', field, text, 'expected a positive finite decimal');
    return value;
  }

  #ignore(): number {
    this.#counters.ignored++;
    return 0;
  }

  #reject(reason: HyperliquidRejectReason, field: string, value: unknown, expected?: string): ValidationError {
    this.#counters.rejected[reason]++;
    const message = `hyperliquid market message rejected (${reason}): ${field}${expected === undefined ? '' : `: ${expected}`}, got ${describeValue(value)}`;
    return new ValidationError(message, { venue: 'hyperliquid', reason, field });
  }
}

function decimalOrNaN(value: unknown): number {
  return typeof value === 'string' ? parseDecimalText(value) : Number.NaN;
}

function isEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
