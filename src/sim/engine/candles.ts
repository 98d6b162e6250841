import { Decimal, ZERO } from '../../core/decimal.js';
import { InvariantError, ValidationError } from '../../core/errors.js';
import type { Candle } from '../venue-api.js';
import { wire } from './wire.js';

/**
 * One coin's candles. The venue keeps 1-minute bars and aggregates them for every other interval on
 * request. Bars come either from trades printed on the simulated venue (recorded trades and users' fills)
 * or, for candle-replayed coins, from the recorded candle rows themselves.
 */

const MINUTE = 60_000;
/** ccxt's timeframes that Hyperliquid serves, except 1M (months are not a fixed length). */
export const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '8h': 480 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': 1440 * MINUTE,
  '3d': 3 * 1440 * MINUTE,
  '1w': 7 * 1440 * MINUTE,
};
/** Hyperliquid's candleSnapshot answers at most 5,000 candles. */
const SNAPSHOT_LIMIT = 5000;
const DAY = 1440 * MINUTE;

export interface Bar {
  readonly t: number;
  o: Decimal;
  h: Decimal;
  l: Decimal;
  c: Decimal;
  /** Base volume. */
  v: Decimal;
  /** Quote volume: exact for traded bars, volume x close for recorded candle rows (which carry no notional). */
  notional: Decimal;
  /** Trade count; 0 for recorded candle rows, which do not carry one. */
  n: number;
}

/** What one trade or one recorded minute adds to a candle. */
type Increment = Pick<Bar, 'o' | 'h' | 'l' | 'c' | 'v' | 'n'>;

export class CandleSeries {
  readonly coin: string;
  readonly #bars: Bar[] = [];
  /** The current candle of every interval, kept up to date per trade so events cost O(intervals), not O(bars). */
  readonly #current = new Map<string, Bar>();

  constructor(coin: string) {
    this.coin = coin;
  }

  /** Adds a trade to its minute and returns the touched candle at every interval, for the `candle` event. */
  addTrade(px: Decimal, sz: Decimal, time: number): Candle[] {
    const t = Math.floor(time / MINUTE) * MINUTE;
    const last = this.#bars.at(-1);
    if (last !== undefined && last.t === t) {
      last.h = Decimal.max(last.h, px);
      last.l = Decimal.min(last.l, px);
      last.c = px;
      last.v = last.v.plus(sz);
      last.notional = last.notional.plus(px.times(sz));
      last.n += 1;
    } else if (last === undefined || t > last.t) {
      this.#bars.push({ t, o: px, h: px, l: px, c: px, v: sz, notional: px.times(sz), n: 1 });
    } else {
      return []; // A late trade for a closed minute: the venue's candles only move forward.
    }
    return this.#touched(time, { o: px, h: px, l: px, c: px, v: sz, n: 1 });
  }

  /** Adds a whole recorded 1-minute candle and returns it at every interval. */
  addBar(bar: Bar): Candle[] {
    const last = this.#bars.at(-1);
    if (last !== undefined && bar.t <= last.t) throw new InvariantError(`${this.coin}: candle at ${bar.t} is not after ${last.t}`);
    this.#bars.push(bar);
    return this.#touched(bar.t, bar);
  }

  /** Candles of `interval` whose open time lies in [startTime, endTime], oldest first (Hyperliquid candleSnapshot). */
  query(interval: string, startTime: number, endTime: number): Candle[] {
    const ms = INTERVAL_MS[interval];
    if (ms === undefined) throw new ValidationError(`unsupported candle interval ${JSON.stringify(interval)}; use one of ${Object.keys(INTERVAL_MS).join(', ')}`);
    const buckets = new Map<number, Bar[]>();
    for (const bar of this.#bars) {
      const t = Math.floor(bar.t / ms) * ms;
      if (t < startTime || t > endTime) continue;
      const list = buckets.get(t);
      if (list === undefined) buckets.set(t, [bar]);
      else list.push(bar);
    }
    return [...buckets.entries()].slice(-SNAPSHOT_LIMIT).map(([t, bars]) => this.#candle(t, ms, interval, bars));
  }

  /** The last 24 hours before `now`: opening price and volumes, for the market context. */
  day(now: number): { openPx: Decimal | undefined; notional: Decimal; base: Decimal } {
    const bars = this.#barsFrom(now - DAY + 1).filter((b) => b.t <= now);
    return {
      openPx: bars[0]?.o,
      notional: bars.reduce((s, b) => s.plus(b.notional), ZERO),
      base: bars.reduce((s, b) => s.plus(b.v), ZERO),
    };
  }

  #touched(time: number, add: Increment): Candle[] {
    return Object.entries(INTERVAL_MS).map(([interval, ms]) => {
      const t = Math.floor(time / ms) * ms;
      let candle = this.#current.get(interval);
      if (candle === undefined || candle.t !== t) {
        candle = { t, o: add.o, h: add.h, l: add.l, c: add.c, v: add.v, notional: ZERO, n: add.n };
        this.#current.set(interval, candle);
      } else {
        candle.h = Decimal.max(candle.h, add.h);
        candle.l = Decimal.min(candle.l, add.l);
        candle.c = add.c;
        candle.v = candle.v.plus(add.v);
        candle.n += add.n;
      }
      return this.#candle(t, ms, interval, [candle]);
    });
  }

  /** Bars opening at or after `t`, found from the end: the newest bars are the ones events touch. */
  #barsFrom(t: number): Bar[] {
    let i = this.#bars.length;
    while (i > 0 && this.#bars[i - 1]!.t >= t) i--;
    return this.#bars.slice(i);
  }

  #candle(t: number, ms: number, interval: string, bars: readonly Bar[]): Candle {
    const first = bars[0]!;
    const last = bars.at(-1)!;
    return {
      t,
      T: t + ms - 1,
      s: this.coin,
      i: interval,
      o: wire(first.o),
      c: wire(last.c),
      h: wire(bars.reduce((m, b) => Decimal.max(m, b.h), first.h)),
      l: wire(bars.reduce((m, b) => Decimal.min(m, b.l), first.l)),
      v: wire(bars.reduce((s, b) => s.plus(b.v), ZERO)),
      n: bars.reduce((s, b) => s + b.n, 0),
    };
  }
}
