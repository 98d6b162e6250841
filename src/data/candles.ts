import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/errors.js';

/** One 1-minute candle as the CSV writes it; prices and volume stay the file's exact text. */
export interface CandleRow {
  /** Candle open time, Unix epoch ms, UTC. */
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

const HEADER = 'timestamp,open,high,low,close,volume';
const DECIMAL_TEXT = /^\d+(?:\.\d+)?$/;
const TIMESTAMP_TEXT = /^\d{1,16}$/;

/**
 * Reads a candle CSV (data/market/SOURCES.md) and checks it: the header, six fields a row, decimal
 * numbers, low <= min(open, close) <= max(open, close) <= high, and strictly increasing timestamps.
 * The first problem throws a ValidationError naming the file, the 1-based line and the field.
 */
export function readCandles(path: string): CandleRow[] {
  const text = readFileSync(path, 'utf8');
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  const fail = (lineNo: number, message: string): never => {
    throw new ValidationError(`${path} line ${lineNo}: ${message}`, { file: path, line: lineNo });
  };
  const header = rows[0]?.replace(/\r$/, '');
  if (header !== HEADER) fail(1, `expected header "${HEADER}", got ${JSON.stringify(header ?? '')}`);

  const candles: CandleRow[] = [];
  let previousTime = -1;
  for (let i = 1; i < rows.length; i++) {
    const lineNo = i + 1;
    const fields = rows[i]!.replace(/\r$/, '').split(',');
    if (fields.length !== 6) fail(lineNo, `expected 6 comma-separated fields, got ${fields.length}`);
    const [timestamp, open, high, low, close, volume] = fields as [string, string, string, string, string, string];
    if (!TIMESTAMP_TEXT.test(timestamp)) fail(lineNo, `timestamp: expected epoch milliseconds, got ${JSON.stringify(timestamp)}`);
    const named = { open, high, low, close, volume };
    for (const [name, value] of Object.entries(named)) {
      if (!DECIMAL_TEXT.test(value)) fail(lineNo, `${name}: expected a non-negative decimal, got ${JSON.stringify(value)}`);
    }
    // Compared as doubles: rounding to the nearest double is monotonic, so a valid row never fails; a
    // violation below a double's resolution (~1e-16 relative) would pass, far finer than any price tick.
    const [o, h, l, c] = [Number(open), Number(high), Number(low), Number(close)];
    if (!(l <= Math.min(o, c))) fail(lineNo, `low ${low} is above min(open ${open}, close ${close})`);
    if (!(Math.max(o, c) <= h)) fail(lineNo, `high ${high} is below max(open ${open}, close ${close})`);
    const openTime = Number(timestamp);
    if (openTime <= previousTime) fail(lineNo, `timestamp ${timestamp} is not after the previous row's ${previousTime}`);
    previousTime = openTime;
    candles.push({ openTime, open, high, low, close, volume });
  }
  return candles;
}
