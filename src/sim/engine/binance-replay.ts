import { Decimal } from '../../core/decimal.js';
import { OrderBook } from '../../core/order-book.js';
import { ValidationError } from '../../core/errors.js';
import type { BookLevel } from '../../core/types.js';
import { binanceBookSteps } from '../../data/binance-book.js';
import type { BinanceFeedRecord } from '../../data/binance-feed.js';
import type { LevelInput } from './book.js';
import { RecordedFeedReplay, type RecordedMessage, type RecordedTradeAt } from './feed-replay.js';

/** Levels a side the venue publishes, as Hyperliquid's l2Book does. */
const DEPTH = 20;
const NO_USER = '0x0000000000000000000000000000000000000000';

/**
 * A recorded Binance USDⓈ-M feed as the venue's market: the book rebuilt from the REST snapshot and the
 * depth diffs (src/data/binance-book.ts: the `pu` chain checked, a gap refused), published as its top
 * 20 levels after every diff, and the recorded trades printed at their trade time (`T`). Binance trades
 * carry no hash or users, so those wire fields are derived from the trade id and left empty; `side` is
 * the aggressor's, from `m` (buyer was maker: the aggressor sold).
 */
export function binanceFeedReplay(records: readonly BinanceFeedRecord[], coin: string, origin: number, loop: boolean, file = 'feed'): RecordedFeedReplay {
  const book = new OrderBook();
  const books: { time: number; bids: LevelInput[]; asks: LevelInput[] }[] = [];
  for (const step of binanceBookSteps(records, file)) {
    book.apply(step);
    books.push({ time: step.eventTime, bids: levels(book.topBids(DEPTH)), asks: levels(book.topAsks(DEPTH)) });
  }
  const first = books[0];
  if (first === undefined) throw new ValidationError(`${file}: no depth snapshot to start the replay from`, { file });
  const start = first.time;
  const trades = records
    .flatMap((r) => (r.kind === 'trade' && r.data.T >= start ? [r.data] : []))
    .sort((a, b) => a.T - b.T || a.t - b.t);

  const messages: RecordedMessage[] = [];
  let last = 0;
  let b = 0;
  let t = 0;
  // Merge by venue time; diffs buffered before the snapshot carry earlier times, so time is clamped forward.
  while (b < books.length || t < trades.length) {
    const nextBook = books[b];
    const nextTrade = trades[t];
    if (nextBook !== undefined && (nextTrade === undefined || nextBook.time <= nextTrade.T)) {
      last = Math.max(last, nextBook.time - start);
      messages.push({ kind: 'book', offset: last, bids: nextBook.bids, asks: nextBook.asks });
      b++;
    } else if (nextTrade !== undefined) {
      last = Math.max(last, nextTrade.T - start);
      const trade: RecordedTradeAt = {
        offset: last, side: nextTrade.m ? 'A' : 'B', px: new Decimal(nextTrade.p), sz: new Decimal(nextTrade.q), pxText: nextTrade.p, szText: nextTrade.q,
        tid: nextTrade.t, hash: `0x${nextTrade.t.toString(16).padStart(64, '0')}`, users: [NO_USER, NO_USER],
      };
      messages.push({ kind: 'trades', offset: last, trades: [trade] });
      t++;
    }
  }
  return new RecordedFeedReplay(coin, messages, origin, loop);
}

function levels(side: readonly BookLevel[]): LevelInput[] {
  return side.map((l) => ({ px: new Decimal(String(l.price)), sz: new Decimal(String(l.size)), n: 1 }));
}
