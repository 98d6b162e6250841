import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { readCandles } from '../../src/data/candles.js';
import { dataPath } from '../../src/data/paths.js';

const MINUTE = 60_000;
const utc = (text: string) => Date.parse(`${text}:00Z`);

describe('recorded candle files', () => {
  it.each([
    ['BTC_USDT_USDT-1m-futures.csv', 43_199, '2023-07-18T11:13', '2023-08-17T11:11'],
    ['BTC_USDC_USDC-1m-futures.csv', 6_808, '2025-07-21T11:28', '2025-07-26T04:55'],
  ])('%s: %i one-minute rows, the span SOURCES.md gives, no gaps', (file, rows, first, last) => {
    const candles = readCandles(dataPath(file));
    expect(candles).toHaveLength(rows);
    expect(candles[0]!.openTime).toBe(utc(first));
    expect(candles.at(-1)!.openTime).toBe(utc(last));
    expect(candles.every((c, i) => i === 0 || c.openTime - candles[i - 1]!.openTime === MINUTE)).toBe(true);
  });

  it('keeps the file text of prices and volume', () => {
    expect(readCandles(dataPath('BTC_USDC_USDC-1m-futures.csv'))[0]).toEqual({
      openTime: 1753097280000, open: '118712.0', high: '118727.0', low: '118654.0', close: '118675.0', volume: '2.63688',
    });
  });
});

describe('readCandles on malformed files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'osprey-candles-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const header = 'timestamp,open,high,low,close,volume';
  const good = ['1000,10,12,9,11,5', '61000,11,11.5,10.5,11,0.0'];

  it.each([
    ['wrong header', ['time,open,high,low,close,volume', ...good], 1, /expected header "timestamp,open,high,low,close,volume"/],
    ['empty file', [], 1, /expected header/],
    ['missing field', [header, good[0]!, '121000,11,12,10,11'], 3, /expected 6 comma-separated fields, got 5/],
    ['non-numeric price', [header, good[0]!, '121000,11,abc,10,11,1'], 3, /high: expected a non-negative decimal, got "abc"/],
    ['negative volume', [header, '1000,10,12,9,11,-5'], 2, /volume: expected a non-negative decimal, got "-5"/],
    ['exponent', [header, '1000,10,12,9,1.1e1,5'], 2, /close: expected a non-negative decimal/],
    ['bad timestamp', [header, '2023-07-18,10,12,9,11,5'], 2, /timestamp: expected epoch milliseconds/],
    ['low above open', [header, '1000,10,12,10.5,11,5'], 2, /low 10\.5 is above min\(open 10, close 11\)/],
    ['high below close', [header, '1000,10,10.9,9,11,5'], 2, /high 10\.9 is below max\(open 10, close 11\)/],
    ['repeated timestamp', [header, ...good, '61000,11,12,10,11,1'], 4, /timestamp 61000 is not after the previous row's 61000/],
    ['time going back', [header, ...good, '1000,11,12,10,11,1'], 4, /timestamp 1000 is not after the previous row's 61000/],
  ])('%s: ValidationError naming the file and line', (name, lines, lineNo, message) => {
    const path = join(tmp, `${name.replace(/\W/g, '-')}.csv`);
    writeFileSync(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    let thrown: unknown;
    try {
      readCandles(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toContain(`${path} line ${lineNo}: `);
    expect((thrown as Error).message).toMatch(message);
  });

  it('reads a valid file, with or without CRLF line ends', () => {
    const path = join(tmp, 'ok.csv');
    writeFileSync(path, `${[header, ...good].join('\r\n')}\r\n`);
    expect(readCandles(path)).toEqual([
      { openTime: 1000, open: '10', high: '12', low: '9', close: '11', volume: '5' },
      { openTime: 61000, open: '11', high: '11.5', low: '10.5', close: '11', volume: '0.0' },
    ]);
  });
});
