import { ValidationError } from '../core/errors.js';
import { OrderBook, type BookUpdate } from '../core/order-book.js';
import type { BookLevel } from '../core/types.js';
import type { BinanceBookTicker, BinanceDepthDiff, BinanceFeedRecord, BinanceLevelText } from './binance-feed.js';
import { DepthSequencer } from './depth-sequence.js';

/** One change to the rebuilt book, in the order it must be applied. */
export interface BinanceBookStep extends BookUpdate {
  /** Line of the snapshot or diff in the feed file. */
  lineNo: number;
  /** Book update id after this step: the snapshot's `lastUpdateId` or the diff's `u`. */
  updateId: number;
  /** Venue event time, ms (`E`). */
  eventTime: number;
  bids: BookLevel[];
  asks: BookLevel[];
}

/** The rebuilt book at an update id that a bookTicker message also reports. */
export interface BinanceBookCheckpoint {
  updateId: number;
  diffLineNo: number;
  tickerLineNo: number;
  ticker: BinanceBookTicker;
  /** The live book being rebuilt: read it before advancing the iterator. */
  book: OrderBook;
}

/**
 * Orders a recorded feed's depth data into the steps that rebuild the book (data/market/SOURCES.md):
 * diffs before the snapshot are buffered, because the diff that bridges the snapshot arrives first; the
 * snapshot is applied where it appears, then the buffered diffs that reach past it, then every later
 * diff in file order. A break in the `pu` chain throws a ValidationError naming the line and the ids.
 */
export function* binanceBookSteps(records: readonly BinanceFeedRecord[], file = 'binance feed'): Generator<BinanceBookStep> {
  const sequencer = new DepthSequencer();
  const waiting: { lineNo: number; diff: BinanceDepthDiff }[] = [];
  let sawSnapshot = false;

  function* sequence(lineNo: number, diff: BinanceDepthDiff): Generator<BinanceBookStep> {
    const verdict = sequencer.check(diff.U, diff.u, diff.pu);
    if (verdict === 'unsynced') waiting.push({ lineNo, diff });
    if (verdict === 'gap') {
      throw new ValidationError(`${file} line ${lineNo}: depth gap: diff U=${diff.U} u=${diff.u} pu=${diff.pu} does not follow update id ${sequencer.lastUpdateId}`, {
        file, line: lineNo, U: diff.U, u: diff.u, pu: diff.pu, bookUpdateId: sequencer.lastUpdateId,
      });
    }
    if (verdict === 'apply') yield { lineNo, updateId: diff.u, eventTime: diff.E, snapshot: false, bids: toLevels(diff.b), asks: toLevels(diff.a) };
  }

  for (const record of records) {
    if (record.kind === 'snapshot') {
      sawSnapshot = true;
      const { lastUpdateId, E, bids, asks } = record.data;
      sequencer.startFromSnapshot(lastUpdateId);
      yield { lineNo: record.lineNo, updateId: lastUpdateId, eventTime: E, snapshot: true, bids: toLevels(bids), asks: toLevels(asks) };
      for (const { lineNo, diff } of waiting.splice(0)) yield* sequence(lineNo, diff);
    } else if (record.kind === 'depth') {
      yield* sequence(record.lineNo, record.data);
    }
  }
  if (!sawSnapshot) throw new ValidationError(`${file}: no REST depth snapshot, so the book cannot be rebuilt`, { file });
}

/**
 * Rebuilds the book and yields it at every update id that a bookTicker also reports (the ticker may
 * come before or after its diff in the file: they are different streams), for comparing the two.
 */
export function* binanceBookCheckpoints(records: readonly BinanceFeedRecord[], file?: string): Generator<BinanceBookCheckpoint> {
  const tickers = new Map<number, { lineNo: number; ticker: BinanceBookTicker }>();
  for (const record of records) if (record.kind === 'bookTicker') tickers.set(record.data.u, { lineNo: record.lineNo, ticker: record.data });
  const book = new OrderBook();
  for (const step of binanceBookSteps(records, file)) {
    book.apply(step);
    const match = step.snapshot ? undefined : tickers.get(step.updateId);
    if (match !== undefined) yield { updateId: step.updateId, diffLineNo: step.lineNo, tickerLineNo: match.lineNo, ticker: match.ticker, book };
  }
}

function toLevels(rows: readonly BinanceLevelText[]): BookLevel[] {
  return rows.map(([price, qty]) => ({ price: Number(price), size: Number(qty) }));
}
