import { Decimal } from '../../core/decimal.js';
import { InvariantError, ValidationError } from '../../core/errors.js';
import type { HyperliquidFeedRecord, HyperliquidLevel } from '../../data/hyperliquid-feed.js';
import type { PublicTrade } from '../venue-api.js';
import type { LevelInput } from './book.js';
import type { Bar } from './candles.js';

/**
 * Replay of a recorded Hyperliquid feed (l2Book snapshots and trades) on the venue's clock. Recorded venue
 * times are kept as offsets from the first snapshot and laid from `origin` on, so a recording's 25 seconds
 * take 25 seconds of venue time. When looping, each pass starts one period after the previous one (the
 * recording's span plus its mean gap between messages), so time only moves forward; prices, sizes and
 * hashes repeat exactly as recorded, while trade ids move up by the recording's id span each pass so that
 * a consumer de-duplicating public trades by tid (as any client should) never drops a later pass.
 */

/** A trade from the recording (or a candle's synthetic print), with the wire form the venue publishes. */
export interface ReplayTrade {
  readonly side: 'B' | 'A';
  readonly px: Decimal;
  readonly sz: Decimal;
  readonly wire: PublicTrade;
}

export type ReplayStep =
  | { readonly kind: 'book'; readonly time: number; readonly bids: LevelInput[]; readonly asks: LevelInput[] }
  | { readonly kind: 'trades'; readonly time: number; readonly trades: ReplayTrade[] }
  | { readonly kind: 'candle'; readonly time: number; readonly bar: Bar };

export interface ReplaySource {
  readonly coin: string;
  /** Venue time of the next step, or undefined once a non-looping recording is over. */
  peek(): number | undefined;
  /** The next step; only call after peek() returned a time. */
  take(): ReplayStep;
}

export interface RecordedTradeAt {
  readonly offset: number;
  readonly side: 'B' | 'A';
  readonly px: Decimal;
  readonly sz: Decimal;
  /** The recorded texts, published unchanged. */
  readonly pxText: string;
  readonly szText: string;
  readonly tid: number;
  readonly hash: string;
  readonly users: readonly [string, string];
}

/** One recorded message, its time an offset (ms) from the recording's first book; offsets never decrease. */
export type RecordedMessage =
  | { readonly kind: 'book'; readonly offset: number; readonly bids: LevelInput[]; readonly asks: LevelInput[] }
  | { readonly kind: 'trades'; readonly offset: number; readonly trades: RecordedTradeAt[] };

/**
 * Replays recorded messages on the venue's clock, looping if asked (see the file comment); the recording
 * itself comes from a venue-specific builder (hyperliquidFeedReplay here, binanceFeedReplay beside it).
 */
export class RecordedFeedReplay implements ReplaySource {
  readonly coin: string;
  readonly #messages: readonly RecordedMessage[];
  readonly #origin: number;
  readonly #period: number;
  readonly #loop: boolean;
  readonly #tidSpan: number;
  #index = 0;
  #pass = 0;

  constructor(coin: string, messages: readonly RecordedMessage[], origin: number, loop: boolean) {
    const last = messages.at(-1)?.offset ?? 0;
    this.coin = coin;
    this.#messages = messages;
    this.#origin = origin;
    this.#period = last + Math.max(1, Math.round(last / Math.max(1, messages.length - 1)));
    this.#loop = loop;
    let low = Infinity;
    let high = -Infinity;
    for (const m of messages) {
      if (m.kind !== 'trades') continue;
      for (const t of m.trades) {
        low = Math.min(low, t.tid);
        high = Math.max(high, t.tid);
      }
    }
    this.#tidSpan = high < low ? 0 : high - low + 1;
  }

  /** Length of one pass of the recording in venue ms (its span plus one mean gap). */
  get period(): number {
    return this.#period;
  }

  peek(): number | undefined {
    if (this.#index >= this.#messages.length) {
      if (!this.#loop) return undefined;
      this.#index = 0;
      this.#pass += 1;
    }
    return this.#timeOf(this.#messages[this.#index]!.offset);
  }

  take(): ReplayStep {
    if (this.peek() === undefined) throw new InvariantError(`${this.coin} replay is over`);
    const message = this.#messages[this.#index++]!;
    const time = this.#timeOf(message.offset);
    if (message.kind === 'book') return { kind: 'book', time, bids: message.bids, asks: message.asks };
    const trades = message.trades.map((t): ReplayTrade => {
      const at = this.#timeOf(t.offset);
      return { side: t.side, px: t.px, sz: t.sz, wire: { coin: this.coin, side: t.side, px: t.pxText, sz: t.szText, time: at, hash: t.hash, tid: t.tid + this.#pass * this.#tidSpan, users: t.users } };
    });
    return { kind: 'trades', time, trades };
  }

  #timeOf(offset: number): number {
    return this.#origin + this.#pass * this.#period + offset;
  }
}

/**
 * A recorded Hyperliquid feed (l2Book snapshots and trades). Trades stamped before the first snapshot are
 * dropped: the first `trades` message of a recording is the subscription's backfill of earlier trades,
 * which would fill resting orders at stale prices.
 */
export function hyperliquidFeedReplay(records: readonly HyperliquidFeedRecord[], coin: string, origin: number, loop: boolean, file = 'feed'): RecordedFeedReplay {
  const firstBook = records.find((r) => r.message.channel === 'l2Book');
  if (firstBook === undefined || firstBook.message.channel !== 'l2Book') throw new ValidationError(`${file}: no l2Book snapshot to start the replay from`, { file });
  const start = firstBook.message.data.time;
  const messages: RecordedMessage[] = [];
  let last = 0;
  for (const { message, lineNo } of records) {
    if (message.channel === 'l2Book') {
      if (message.data.coin !== coin) throw new ValidationError(`${file} line ${lineNo}: book for ${message.data.coin}, expected ${coin}`, { file, line: lineNo });
      last = Math.max(last, message.data.time - start);
      messages.push({ kind: 'book', offset: last, bids: levels(message.data.levels[0]), asks: levels(message.data.levels[1]) });
      continue;
    }
    const trades = message.data.filter((t) => t.time >= start);
    if (trades.some((t) => t.coin !== coin)) throw new ValidationError(`${file} line ${lineNo}: trade for another coin than ${coin}`, { file, line: lineNo });
    if (trades.length === 0) continue;
    last = Math.max(last, ...trades.map((t) => t.time - start));
    const recorded = trades.map((t) => ({
      offset: t.time - start, side: t.side, px: new Decimal(t.px), sz: new Decimal(t.sz), pxText: t.px, szText: t.sz, tid: t.tid, hash: t.hash, users: t.users,
    }));
    messages.push({ kind: 'trades', offset: last, trades: recorded });
  }
  return new RecordedFeedReplay(coin, messages, origin, loop);
}

function levels(side: readonly HyperliquidLevel[]): LevelInput[] {
  return side.map((l) => ({ px: new Decimal(l.px), sz: new Decimal(l.sz), n: l.n }));
}
