import { Decimal } from '../../core/decimal.js';
import { ConfigError, InvariantError, ValidationError } from '../../core/errors.js';
import { hyperliquidPrice } from '../../core/rounding.js';
import type { CandleRow } from '../../data/candles.js';
import type { LevelInput } from './book.js';
import type { Bar } from './candles.js';
import type { ReplaySource, ReplayStep, ReplayTrade } from './feed-replay.js';
import { tickAt, validPrice } from './markets.js';
import { REPLAY_COUNTERPARTY } from './settlement.js';

/**
 * A synthetic market for coins that have only 1-minute candles. Only the prices it walks through are
 * recorded (times `priceScale` for a proxy series); the book's spread, depth and sizes are invented here,
 * exactly as follows:
 * - Path: within each candle's minute the price moves in straight lines open -> first extreme -> second
 *   extreme -> close, reaching them at 0 s, 15 s, 30 s and 45 s, and stays at the close for the last 15 s.
 *   The low comes first when close >= open (a rising candle dips first), else the high.
 * - Book: every `stepMs` a snapshot around the path price p: best bid = p - p x spreadBps/2/10^4 rounded
 *   down to a valid price, best ask likewise up; then `levels` levels a side, each further out by
 *   max(one tick, p x levelStepBps/10^4); every level holds levelNotional / p of size, cut to the lot (at
 *   least one lot).
 * - Prints: at each of the four waypoints one synthetic trade at exactly that price, a quarter of the
 *   candle's volume (at least one lot), aggressor "B" when the price got there by rising. These let resting
 *   orders at the candle's high and low fill, as the recorded high and low say trades happened there.
 * - Candle: the recorded (scaled) candle itself is published when its minute ends, with n = 0 (trade
 *   counts are not recorded).
 */

export interface CandleBookShape {
  /** Milliseconds between snapshots; must divide 15,000 so a snapshot lands on every waypoint. */
  readonly stepMs: number;
  readonly levels: number;
  readonly spreadBps: number;
  readonly levelStepBps: number;
  readonly levelNotional: Decimal;
}

export const DEFAULT_CANDLE_BOOK: CandleBookShape = { stepMs: 1000, levels: 10, spreadBps: 1, levelStepBps: 1, levelNotional: new Decimal(25_000) };

const MINUTE = 60_000;
const LEG = 15_000;

export class CandleBookReplay implements ReplaySource {
  readonly coin: string;
  readonly #rows: readonly CandleRow[];
  readonly #scale: Decimal;
  readonly #szDecimals: number;
  /** The smallest size step, 10^-szDecimals. */
  readonly #lot: Decimal;
  readonly #shape: CandleBookShape;
  readonly #origin: number;
  readonly #period: number;
  readonly #loop: boolean;
  readonly #queue: ReplayStep[] = [];
  #row = 0;
  #pass = 0;
  #lastClose: Decimal | undefined;

  constructor(rows: readonly CandleRow[], coin: string, szDecimals: number, priceScale: string, origin: number, loop: boolean, shape = DEFAULT_CANDLE_BOOK) {
    if (rows.length === 0) throw new ValidationError(`${coin}: the candle file has no rows`);
    if (!Number.isInteger(shape.stepMs) || shape.stepMs <= 0 || LEG % shape.stepMs !== 0) throw new ConfigError([{ path: 'candleBook.stepMs', message: `must be a whole number of ms dividing 15000, got ${shape.stepMs}` }]);
    if (!Number.isInteger(shape.levels) || shape.levels < 1) throw new ConfigError([{ path: 'candleBook.levels', message: `must be a positive integer, got ${shape.levels}` }]);
    this.#scale = new Decimal(priceScale);
    if (this.#scale.lte(0)) throw new ConfigError([{ path: `markets.${coin}.data.priceScale`, message: `must be positive, got ${priceScale}` }]);
    this.coin = coin;
    this.#rows = rows;
    this.#szDecimals = szDecimals;
    this.#lot = new Decimal(10).pow(-szDecimals);
    this.#shape = shape;
    this.#origin = origin;
    this.#period = rows.at(-1)!.openTime - rows[0]!.openTime + MINUTE;
    this.#loop = loop;
  }

  peek(): number | undefined {
    if (this.#queue.length === 0) this.#refill();
    return this.#queue[0]?.time;
  }

  take(): ReplayStep {
    if (this.peek() === undefined) throw new InvariantError(`${this.coin} replay is over`);
    return this.#queue.shift()!;
  }

  /** Queues every step of the next candle. */
  #refill(): void {
    if (this.#row >= this.#rows.length) {
      if (!this.#loop) return;
      this.#row = 0;
      this.#pass += 1;
    }
    const row = this.#rows[this.#row++]!;
    const start = this.#origin + this.#pass * this.#period + (row.openTime - this.#rows[0]!.openTime);
    const [o, h, l, c] = [row.open, row.high, row.low, row.close].map((x) => this.#price(x)) as [Decimal, Decimal, Decimal, Decimal];
    const volume = new Decimal(row.volume).div(this.#scale).toDecimalPlaces(8, Decimal.ROUND_HALF_UP);
    const waypoints = c.gte(o) ? [o, l, h, c] : [o, h, l, c];
    const printSize = Decimal.max(this.#lot, volume.div(4).toDecimalPlaces(this.#szDecimals, Decimal.ROUND_DOWN));
    for (let at = 0; at < MINUTE; at += this.#shape.stepMs) {
      const p = pathPrice(waypoints, at);
      const { bids, asks } = this.#snapshot(p);
      this.#queue.push({ kind: 'book', time: start + at, bids, asks });
      const leg = at / LEG;
      if (Number.isInteger(leg) && leg < 4 && volume.gt(0)) {
        const previous = leg === 0 ? this.#lastClose : waypoints[leg - 1];
        const rose = previous === undefined || waypoints[leg]!.gte(previous);
        const tid = Math.floor(start / 1000) * 4 + leg;
        this.#queue.push({ kind: 'trades', time: start + at, trades: [this.#print(waypoints[leg]!, printSize, rose, start + at, tid)] });
      }
    }
    this.#lastClose = c;
    const bar: Bar = { t: start, o, h, l, c, v: volume, notional: volume.times(c), n: 0 };
    this.#queue.push({ kind: 'candle', time: start + MINUTE - 1, bar });
  }

  /** A recorded price, scaled, as the nearest valid price (a scaled price may carry too many figures). */
  #price(text: string): Decimal {
    return hyperliquidPrice(new Decimal(text).times(this.#scale), this.#szDecimals, 'perp');
  }

  #snapshot(p: Decimal): { bids: LevelInput[]; asks: LevelInput[] } {
    const half = p.times(this.#shape.spreadBps).div(20_000);
    let bid = validPrice(p.minus(half), this.#szDecimals, 'down');
    let ask = validPrice(p.plus(half), this.#szDecimals, 'up');
    if (ask.lte(bid)) ask = validPrice(bid.plus(tickAt(bid, this.#szDecimals)), this.#szDecimals, 'up');
    const gap = p.times(this.#shape.levelStepBps).div(10_000);
    const size = Decimal.max(this.#lot, this.#shape.levelNotional.div(p).toDecimalPlaces(this.#szDecimals, Decimal.ROUND_DOWN));
    const bids: LevelInput[] = [];
    const asks: LevelInput[] = [];
    for (let i = 0; i < this.#shape.levels; i++) {
      bids.push({ px: bid, sz: size, n: 1 });
      asks.push({ px: ask, sz: size, n: 1 });
      bid = validPrice(bid.minus(Decimal.max(gap, tickAt(bid, this.#szDecimals))), this.#szDecimals, 'down');
      ask = validPrice(ask.plus(Decimal.max(gap, tickAt(ask, this.#szDecimals))), this.#szDecimals, 'up');
    }
    return { bids: bids.filter((b) => b.px.gt(0)), asks };
  }

  /** Synthetic prints carry a zero hash, no users, and a tid derived from the time and waypoint (unique per coin). */
  #print(px: Decimal, sz: Decimal, rose: boolean, time: number, tid: number): ReplayTrade {
    const side = rose ? 'B' : 'A';
    const hash = `0x${'0'.repeat(64)}`;
    return { side, px, sz, wire: { coin: this.coin, side, px: px.toFixed(), sz: sz.toFixed(), time, hash, tid, users: [REPLAY_COUNTERPARTY, REPLAY_COUNTERPARTY] } };
  }
}

/** The path price `at` ms into the minute: linear between waypoints 15 s apart, flat at the close after 45 s. */
export function pathPrice(waypoints: readonly Decimal[], at: number): Decimal {
  const leg = Math.floor(at / LEG);
  if (leg >= waypoints.length - 1) return waypoints.at(-1)!;
  const from = waypoints[leg]!;
  const to = waypoints[leg + 1]!;
  return from.plus(to.minus(from).times(at - leg * LEG).div(LEG));
}
