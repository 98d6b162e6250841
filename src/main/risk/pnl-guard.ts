import { Decimal, ZERO } from '../../core/decimal.js';
import { unrealisedPnl } from '../../core/position.js';
import type { InstrumentId, Position } from '../../core/types.js';

/**
 * Daily loss and drawdown, measured on equity marked to market: a baseline (the venue's account value
 * at start, less the PnL the store already held then) plus realised PnL, less fees, plus unrealised
 * PnL at the latest marks. The day rolls at 00:00 UTC by the injected clock.
 */

export type PnlBreach = { readonly code: 'MAX_DAILY_LOSS' | 'MAX_DRAWDOWN'; readonly reason: string; readonly limit: Decimal; readonly value: Decimal };

const DAY_MS = 86_400_000;

/** Net PnL of positions (realised - fees + unrealised at mark); a position without a mark counts at cost. */
export function netPnl(positions: readonly Position[], markOf: (instrument: InstrumentId) => Decimal | undefined): Decimal {
  let total = ZERO;
  for (const p of positions) {
    total = total.plus(p.realisedPnl).minus(p.fees);
    const mark = markOf(p.instrument);
    if (mark !== undefined && !new Decimal(p.size).isZero()) total = total.plus(unrealisedPnl(p, mark));
  }
  return total;
}

export class PnlGuard {
  #maxDailyLoss: Decimal;
  #maxDrawdownPct: Decimal;
  #day = -1;
  #dayStart: Decimal = ZERO;
  #peak: Decimal = ZERO;

  constructor(limits: { maxDailyLoss: Decimal; maxDrawdownPct: Decimal }) {
    this.#maxDailyLoss = limits.maxDailyLoss;
    this.#maxDrawdownPct = limits.maxDrawdownPct;
  }

  /** New limits keep the day's start and the peak: changing a limit must not forget a loss. */
  setLimits(limits: { maxDailyLoss: Decimal; maxDrawdownPct: Decimal }): void {
    this.#maxDailyLoss = limits.maxDailyLoss;
    this.#maxDrawdownPct = limits.maxDrawdownPct;
  }

  /** Feeds the current equity; returns the first limit it breaches. */
  observe(equity: Decimal, now: number): PnlBreach | undefined {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayStart = equity;
    }
    if (equity.gt(this.#peak)) this.#peak = equity;
    const loss = this.#dayStart.minus(equity);
    if (loss.gte(this.#maxDailyLoss)) {
      return { code: 'MAX_DAILY_LOSS', reason: `daily loss ${loss.toFixed()} reached the limit ${this.#maxDailyLoss.toFixed()}`, limit: this.#maxDailyLoss, value: loss };
    }
    if (this.#peak.gt(0)) {
      const drawdown = this.#peak.minus(equity).div(this.#peak).times(100);
      if (drawdown.gte(this.#maxDrawdownPct)) {
        return { code: 'MAX_DRAWDOWN', reason: `drawdown ${drawdown.toDecimalPlaces(4).toFixed()}% reached the limit ${this.#maxDrawdownPct.toFixed()}%`, limit: this.#maxDrawdownPct, value: drawdown.toDecimalPlaces(6) };
      }
    }
    return undefined;
  }

  snapshot(): { dayStart: string; peak: string } {
    return { dayStart: this.#dayStart.toFixed(), peak: this.#peak.toFixed() };
  }
}
