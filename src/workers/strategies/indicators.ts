import { BollingerBands, SMA } from 'trading-signals';

/**
 * Indicators a strategy gets from its context, from trading-signals (maintained, no dependencies). They
 * work on doubles (decisions, not money). A snapshot stores an indicator's window (its last `period`
 * inputs) and a restore feeds them back, so a restored strategy decides exactly as before.
 */

export interface WindowIndicator<R> {
  /** Adds a value; returns the result once `period` values are in, else undefined. */
  update(value: number): R | undefined;
  readonly value: R | undefined;
  readonly ready: boolean;
  /** The window, oldest first: what a snapshot stores. */
  window(): number[];
  /** Refills the window from a snapshot (extra values beyond `period` keep the newest). */
  load(values: readonly number[]): void;
}

export interface Bands {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
  /** Population standard deviation of the window. */
  readonly std: number;
}

export interface IndicatorFactory {
  sma(period: number): WindowIndicator<number>;
  bollinger(period: number, deviations: number): WindowIndicator<Bands>;
}

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`indicator period must be a positive integer, got ${period}`);
}

/** Adapts a trading-signals indicator (which returns null until warm) to WindowIndicator. */
class LibraryIndicator<R, L extends { update(price: number, replace: boolean): unknown; readonly prices: number[] }> implements WindowIndicator<R> {
  readonly #make: () => L;
  readonly #convert: (raw: NonNullable<ReturnType<L['update']>>) => R;
  readonly #period: number;
  #library: L;
  #value: R | undefined;

  constructor(period: number, make: () => L, convert: (raw: NonNullable<ReturnType<L['update']>>) => R) {
    checkPeriod(period);
    this.#period = period;
    this.#make = make;
    this.#convert = convert;
    this.#library = make();
  }

  update(value: number): R | undefined {
    if (!Number.isFinite(value)) throw new RangeError(`indicator input must be finite, got ${value}`);
    const raw = this.#library.update(value, false) as ReturnType<L['update']> | null;
    this.#value = raw === null || raw === undefined ? undefined : this.#convert(raw as NonNullable<ReturnType<L['update']>>);
    return this.#value;
  }

  get value(): R | undefined {
    return this.#value;
  }

  get ready(): boolean {
    return this.#value !== undefined;
  }

  window(): number[] {
    return this.#library.prices.slice(-this.#period);
  }

  load(values: readonly number[]): void {
    this.#library = this.#make();
    this.#value = undefined;
    for (const v of values.slice(-this.#period)) this.update(v);
  }
}

export const indicators: IndicatorFactory = {
  sma: (period) => new LibraryIndicator<number, SMA>(period, () => new SMA(period), (mean) => mean),
  bollinger: (period, deviations) =>
    new LibraryIndicator<Bands, BollingerBands>(period, () => new BollingerBands(period, deviations), (b) => ({
      middle: b.middle,
      upper: b.upper,
      lower: b.lower,
      // The library reports the bands, not the deviation; it is their half-width over the multiplier.
      std: deviations === 0 ? 0 : (b.upper - b.middle) / deviations,
    })),
};
