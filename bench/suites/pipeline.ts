import { LiveClock } from '../../src/core/clock.js';
import type { OspreyEvent } from '../../src/core/events.js';
import { readFeedLines } from '../../src/data/feed-lines.js';
import { dataPath } from '../../src/data/paths.js';
import { EventBus } from '../../src/main/bus/bus.js';
import { BinanceMarketDecoder } from '../../src/main/exchange/binance/market-decoder.js';
import { HyperliquidMarketDecoder } from '../../src/main/exchange/hyperliquid/market-decoder.js';
import { round, type BenchLine, type Suite } from '../harness.js';
import { pipelineFullCase } from './pipeline-full.js';

/**
 * Market-data decoding from raw WebSocket text to the event bus, against the floor of a bare
 * JSON.parse of the same lines measured in the same run. Timed blocks of the two alternate (and swap
 * order every round) so drift in CPU frequency or GC pressure hits both sides alike; the ratio is the
 * median of the per-round ratios.
 */
interface Feed {
  readonly prefix: 'hl' | 'binance';
  readonly lines: readonly string[];
  readonly bytes: number;
  /** Whole passes over the file per timed block, sized so a block lasts roughly 0.1-0.3 s. */
  readonly passesPerBlock: number;
  /** Decodes the whole file once, through a real bus; returns the events delivered. */
  readonly decodePass: () => number;
}

function hyperliquidFeed(quick: boolean): Feed {
  const lines = readFeedLines(dataPath('btcusd_20250126.gz')).map((l) => l.json);
  const { bus, delivered } = busWithOneSubscriber();
  const decoder = new HyperliquidMarketDecoder({ instruments: new Map([['BTC', 'hyperliquid:BTC-PERP']]), clock: new LiveClock(), sink: bus });
  return {
    prefix: 'hl', lines, bytes: byteCount(lines), passesPerBlock: quick ? 300 : 600,
    decodePass: () => {
      const before = delivered();
      for (let i = 0; i < lines.length; i++) decoder.decode(lines[i]!);
      return delivered() - before;
    },
  };
}

function binanceFeed(quick: boolean): Feed {
  const lines = readFeedLines(dataPath('btcusdt_20240808.gz')).map((l) => l.json);
  // The recorder wrote the REST depth snapshot into the stream file; it goes to its own entry point.
  const isSnapshot = lines.map((l) => l.startsWith('{"lastUpdateId"'));
  const { bus, delivered } = busWithOneSubscriber();
  const decoder = new BinanceMarketDecoder({ instruments: new Map([['BTCUSDT', 'binance:BTCUSDT-PERP']]), clock: new LiveClock(), sink: bus });
  return {
    prefix: 'binance', lines, bytes: byteCount(lines), passesPerBlock: quick ? 1 : 2,
    decodePass: () => {
      const before = delivered();
      // Each pass replays the file from its start, which breaks the update-id chain; start over as an
      // adapter does after a reconnect: diffs buffer until the snapshot line, then the chain resumes.
      decoder.resync('BTCUSDT');
      for (let i = 0; i < lines.length; i++) {
        if (isSnapshot[i]) decoder.decodeDepthSnapshot('BTCUSDT', lines[i]!);
        else decoder.decode(lines[i]!);
      }
      if (decoder.counters().gaps > 0) throw new Error('binance feed replay hit a depth gap; the bench would measure the wrong path');
      return delivered() - before;
    },
  };
}

function busWithOneSubscriber(): { bus: EventBus; delivered: () => number } {
  const bus = new EventBus((error) => {
    throw error;
  });
  let count = 0;
  let checksum = 0;
  // One subscriber on every market topic; it reads a field so the delivery cannot be optimised away.
  const subscriber = (event: OspreyEvent) => {
    count++;
    checksum += event.tsEvent;
  };
  bus.subscribe('market.book', subscriber, 'bench');
  bus.subscribe('market.trade', subscriber, 'bench');
  bus.subscribe('market.quote', subscriber, 'bench');
  return { bus, delivered: () => (checksum > 0 ? count : 0) };
}

function byteCount(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
}

let parsedSink: unknown;

function parsePass(lines: readonly string[]): void {
  for (let i = 0; i < lines.length; i++) parsedSink = JSON.parse(lines[i]!);
}

function timeBlock(passes: number, pass: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) pass();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function measure(feed: Feed, rounds: number, progress: (m: string) => void): BenchLine[] {
  const { lines, passesPerBlock: passes } = feed;
  const eventsPerPass = feed.decodePass();
  if (eventsPerPass === 0) throw new Error(`${feed.prefix}: the decoder published nothing`);
  // Warm-up: let both paths reach optimised code before any block is timed.
  timeBlock(passes * 2, () => parsePass(lines));
  timeBlock(passes * 2, feed.decodePass);

  const parseRates: number[] = [];
  const decodeRates: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const timeParse = () => timeBlock(passes, () => parsePass(lines));
    const timeDecode = () => timeBlock(passes, feed.decodePass);
    let parseS: number;
    let decodeS: number;
    if (r % 2 === 0) {
      parseS = timeParse();
      decodeS = timeDecode();
    } else {
      decodeS = timeDecode();
      parseS = timeParse();
    }
    parseRates.push((lines.length * passes) / parseS);
    decodeRates.push((lines.length * passes) / decodeS);
    ratios.push(parseS / decodeS);
  }
  if (parsedSink === undefined) throw new Error('JSON.parse produced nothing');

  const parse = median(parseRates);
  const decode = median(decodeRates);
  const ratio = median(ratios);
  const mbPerMsg = feed.bytes / lines.length / 1e6;
  progress(`${feed.prefix}: parse-to-bus ${Math.round(decode).toLocaleString()} msgs/s, JSON.parse ${Math.round(parse).toLocaleString()} msgs/s, ratio ${round(ratio)}`);
  const context = { lines: lines.length, bytes: feed.bytes, events_per_pass: eventsPerPass, rounds, passes_per_round: passes };
  const line = (name: string, metric: string, value: number, unit: string): BenchLine => ({ suite: 'pipeline', case: `${feed.prefix}-${name}`, metric, value, unit, ...context });
  return [
    line('parse-to-bus', 'msgs_per_s', Math.round(decode), 'msgs/s'),
    line('parse-to-bus', 'mb_per_s', round(decode * mbPerMsg, 1), 'MB/s'),
    line('parse-to-bus', 'ratio_to_json_parse', round(ratio), 'ratio'),
    line('json-parse', 'msgs_per_s', Math.round(parse), 'msgs/s'),
    line('json-parse', 'mb_per_s', round(parse * mbPerMsg, 1), 'MB/s'),
  ];
}

export const pipelineSuite: Suite = async ({ quick, progress }) => {
  const rounds = quick ? 7 : 21;
  const lines: BenchLine[] = [];
  for (const load of [hyperliquidFeed, binanceFeed]) {
    const feed = load(quick);
    progress(`${feed.prefix}: ${feed.lines.length} lines, ${(feed.bytes / 1e6).toFixed(1)} MB, ${rounds} rounds`);
    lines.push(...measure(feed, rounds, progress));
  }
  lines.push(...(await pipelineFullCase({ quick, progress })));
  return lines;
};
