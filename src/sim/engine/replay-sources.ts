import { ConfigError, InvariantError } from '../../core/errors.js';
import { readCandles, type CandleRow } from '../../data/candles.js';
import { readBinanceFeed, type BinanceFeedRecord } from '../../data/binance-feed.js';
import { readHyperliquidFeed, type HyperliquidFeedRecord } from '../../data/hyperliquid-feed.js';
import { binanceFeedReplay } from './binance-replay.js';
import { CandleBookReplay, type CandleBookShape } from './candle-book.js';
import { hyperliquidFeedReplay, type ReplaySource, type ReplayStep } from './feed-replay.js';
import type { MarketSpec } from './markets.js';

/**
 * Builds each market's replay from its data description, and merges them into one time-ordered stream.
 * Recorded files are read once per process: they never change while it runs, and tests build many venues.
 */

const feeds = new Map<string, HyperliquidFeedRecord[]>();
const candleFiles = new Map<string, CandleRow[]>();
const binanceFeeds = new Map<string, BinanceFeedRecord[]>();

export function replayFor(market: MarketSpec, origin: number, loop: boolean, candleBook: CandleBookShape): ReplaySource {
  const data = market.data;
  switch (data.kind) {
    case 'hyperliquid-feed': {
      let records = feeds.get(data.file);
      if (records === undefined) feeds.set(data.file, (records = readHyperliquidFeed(data.file)));
      return hyperliquidFeedReplay(records, market.coin, origin, loop, data.file);
    }
    case 'binance-feed': {
      let records = binanceFeeds.get(data.file);
      if (records === undefined) binanceFeeds.set(data.file, (records = readBinanceFeed(data.file)));
      return binanceFeedReplay(records, market.coin, origin, loop, data.file);
    }
    case 'candles': {
      let rows = candleFiles.get(data.file);
      if (rows === undefined) candleFiles.set(data.file, (rows = readCandles(data.file)));
      // Candles start on the minute that contains the venue's start, so their minutes are the clock's minutes;
      // the part of that minute already past is replayed at once on the first sync.
      const minuteStart = Math.floor(origin / 60_000) * 60_000;
      return new CandleBookReplay(rows, market.coin, market.szDecimals, data.priceScale, minuteStart, loop, candleBook);
    }
    case 'scripted':
      return new ScriptedReplay(market.coin, data.steps, origin);
    default: {
      const never: never = data;
      throw new InvariantError(`unknown market data kind ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A fixed list of steps whose times are offsets from the venue's start: for tests and tools that need an
 * exact market (a given book at a given moment) rather than a recording.
 */
export class ScriptedReplay implements ReplaySource {
  readonly coin: string;
  readonly #steps: readonly ReplayStep[];
  readonly #origin: number;
  #index = 0;

  constructor(coin: string, steps: readonly ReplayStep[], origin: number) {
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.time < steps[i - 1]!.time) throw new ConfigError([{ path: `markets.${coin}.data.steps[${i}]`, message: 'goes back in time' }]);
    }
    this.coin = coin;
    this.#steps = steps;
    this.#origin = origin;
  }

  peek(): number | undefined {
    const step = this.#steps[this.#index];
    return step === undefined ? undefined : this.#origin + step.time;
  }

  take(): ReplayStep {
    const step = this.#steps[this.#index++];
    if (step === undefined) throw new InvariantError(`${this.coin} script is over`);
    const time = this.#origin + step.time;
    if (step.kind === 'trades') return { ...step, time, trades: step.trades.map((t) => ({ ...t, wire: { ...t.wire, time: this.#origin + t.wire.time } })) };
    if (step.kind === 'candle') return { ...step, time, bar: { ...step.bar, t: this.#origin + step.bar.t } };
    return { ...step, time };
  }
}

/** Several sources as one stream, earliest step first; on a tie the source listed first goes first. */
export class MergedReplay {
  readonly #sources: readonly ReplaySource[];

  constructor(sources: readonly ReplaySource[]) {
    this.#sources = sources;
  }

  peek(): number | undefined {
    return this.#earliest()?.time;
  }

  take(): { coin: string; step: ReplayStep } | undefined {
    const next = this.#earliest();
    return next === undefined ? undefined : { coin: next.source.coin, step: next.source.take() };
  }

  #earliest(): { source: ReplaySource; time: number } | undefined {
    let best: { source: ReplaySource; time: number } | undefined;
    for (const source of this.#sources) {
      const time = source.peek();
      if (time !== undefined && (best === undefined || time < best.time)) best = { source, time };
    }
    return best;
  }
}
