import { readFeedLines } from './feed-lines.js';
import { RecordCheck } from './record-check.js';

/** `[price, qty]` exactly as Binance writes them; qty "0.000" in a diff removes the level. */
export type BinanceLevelText = [price: string, qty: string];

/** `<symbol>@depth` diff. */
export interface BinanceDepthDiff {
  e: 'depthUpdate';
  /** Event time, ms. */
  E: number;
  /** Transaction time, ms. */
  T: number;
  s: string;
  /** First update id in this diff. */
  U: number;
  /** Last update id in this diff. */
  u: number;
  /** `u` of the previous diff. */
  pu: number;
  b: BinanceLevelText[];
  a: BinanceLevelText[];
}

export interface BinanceBookTicker {
  e: 'bookTicker';
  /** Update id of the depth book this best bid/offer was taken from. */
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
  T: number;
  E: number;
}

export interface BinanceTrade {
  e: 'trade';
  E: number;
  T: number;
  s: string;
  t: number;
  p: string;
  q: string;
  X: string;
  /** True when the buyer was the maker, i.e. the aggressor sold. */
  m: boolean;
}

/** REST `GET /fapi/v1/depth` response (the recorded file carries one, unwrapped). */
export interface BinanceDepthSnapshot {
  lastUpdateId: number;
  E: number;
  T: number;
  bids: BinanceLevelText[];
  asks: BinanceLevelText[];
}

interface Framing {
  lineNo: number;
  recvNs: bigint;
}

export type BinanceFeedRecord = Framing &
  (
    | { kind: 'depth'; data: BinanceDepthDiff }
    | { kind: 'bookTicker'; data: BinanceBookTicker }
    | { kind: 'trade'; data: BinanceTrade }
    | { kind: 'snapshot'; data: BinanceDepthSnapshot }
  );

/**
 * Reads a recorded Binance USDⓈ-M combined-stream feed (depth diffs, bookTicker, trades, and the REST
 * depth snapshot the recorder wrote in between) and checks every field. Strings stay exact.
 */
export function readBinanceFeed(path: string): BinanceFeedRecord[] {
  return readFeedLines(path).map(({ lineNo, recvNs, json }) => {
    const check = new RecordCheck(path, lineNo);
    const message = check.object(check.json(json), 'message');
    if ('lastUpdateId' in message) return { lineNo, recvNs, kind: 'snapshot', data: checkSnapshot(check, message) };
    const stream = check.string(message.stream, 'stream');
    const data = check.object(message.data, 'data');
    const event = check.oneOf(data.e, 'data.e', ['depthUpdate', 'bookTicker', 'trade'] as const);
    // Stream names are "<symbol>@<channel>[@<speed>]"; a mismatch means a mislabelled or spliced line.
    const channel = stream.split('@')[1];
    if (channel !== (event === 'depthUpdate' ? 'depth' : event)) check.fail('stream', `stream ${JSON.stringify(stream)} does not carry ${event} events`);
    if (event === 'depthUpdate') return { lineNo, recvNs, kind: 'depth', data: checkDiff(check, data) };
    if (event === 'bookTicker') return { lineNo, recvNs, kind: 'bookTicker', data: checkTicker(check, data) };
    return { lineNo, recvNs, kind: 'trade', data: checkTrade(check, data) };
  });
}

function checkSnapshot(check: RecordCheck, m: Record<string, unknown>): BinanceDepthSnapshot {
  return {
    lastUpdateId: check.integer(m.lastUpdateId, 'lastUpdateId'),
    E: check.integer(m.E, 'E'),
    T: check.integer(m.T, 'T'),
    bids: check.pairs(m.bids, 'bids'),
    asks: check.pairs(m.asks, 'asks'),
  };
}

function checkDiff(check: RecordCheck, d: Record<string, unknown>): BinanceDepthDiff {
  const diff: BinanceDepthDiff = {
    e: 'depthUpdate',
    E: check.integer(d.E, 'data.E'),
    T: check.integer(d.T, 'data.T'),
    s: check.string(d.s, 'data.s'),
    U: check.integer(d.U, 'data.U'),
    u: check.integer(d.u, 'data.u'),
    pu: check.integer(d.pu, 'data.pu'),
    b: check.pairs(d.b, 'data.b'),
    a: check.pairs(d.a, 'data.a'),
  };
  if (diff.U > diff.u) check.fail('data.U', `first update id ${diff.U} is after the last ${diff.u}`);
  return diff;
}

function checkTicker(check: RecordCheck, d: Record<string, unknown>): BinanceBookTicker {
  return {
    e: 'bookTicker',
    u: check.integer(d.u, 'data.u'),
    s: check.string(d.s, 'data.s'),
    b: check.decimal(d.b, 'data.b'),
    B: check.decimal(d.B, 'data.B'),
    a: check.decimal(d.a, 'data.a'),
    A: check.decimal(d.A, 'data.A'),
    T: check.integer(d.T, 'data.T'),
    E: check.integer(d.E, 'data.E'),
  };
}

function checkTrade(check: RecordCheck, d: Record<string, unknown>): BinanceTrade {
  return {
    e: 'trade',
    E: check.integer(d.E, 'data.E'),
    T: check.integer(d.T, 'data.T'),
    s: check.string(d.s, 'data.s'),
    t: check.integer(d.t, 'data.t'),
    p: check.decimal(d.p, 'data.p'),
    q: check.decimal(d.q, 'data.q'),
    X: check.string(d.X, 'data.X'),
    m: check.boolean(d.m, 'data.m'),
  };
}

// The book rebuild lives beside the reader; re-exported so callers find it where the feed is read.
export { binanceBookCheckpoints, binanceBookSteps, type BinanceBookCheckpoint, type BinanceBookStep } from './binance-book.js';
