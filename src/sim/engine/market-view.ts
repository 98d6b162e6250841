import { ZERO } from '../../core/decimal.js';
import type { PerpAssetCtx } from '../venue-api.js';
import type { AccountBook } from './accounts.js';
import type { CandleSeries } from './candles.js';
import type { Exchange } from './exchange.js';
import type { MarketSpec } from './markets.js';
import { wire, wireUsd } from './wire.js';

/**
 * Per-market context (metaAndAssetCtxs[1]) and allMids. Funding is not simulated (always "0.0", premium
 * "0.0"); the oracle price is the mark, since no oracle exists; open interest is the sum of simulated
 * users' long positions, as the recorded crowd's positions are unknown; day volumes come from the coin's
 * candles over the last 24 hours of venue time.
 */
export function marketContexts(markets: readonly MarketSpec[], exchange: Exchange, candles: ReadonlyMap<string, CandleSeries>, accounts: AccountBook, now: number): PerpAssetCtx[] {
  return markets.map((m) => {
    const mark = exchange.mark(m.coin);
    const book = exchange.book(m.coin);
    const bid = book?.best(true);
    const ask = book?.best(false);
    const mid = book?.mid();
    const day = candles.get(m.coin)?.day(now);
    const longs = accounts.all().reduce((s, a) => (a.size(m.coin).gt(0) ? s.plus(a.size(m.coin)) : s), ZERO);
    const markText = mark === undefined ? '0.0' : wire(mark);
    return {
      funding: '0.0',
      openInterest: wire(longs),
      prevDayPx: day?.openPx === undefined ? markText : wire(day.openPx),
      dayNtlVlm: wireUsd(day?.notional ?? ZERO),
      premium: '0.0',
      oraclePx: markText,
      markPx: markText,
      midPx: mid === undefined ? null : wire(mid),
      impactPxs: bid === undefined || ask === undefined ? null : [wire(bid), wire(ask)],
      dayBaseVlm: wire(day?.base ?? ZERO),
    };
  });
}

/** allMids: the visible book's mid for every market that has both sides. */
export function mids(markets: readonly MarketSpec[], exchange: Exchange): Record<string, string> {
  const result: Record<string, string> = {};
  for (const m of markets) {
    const mid = exchange.book(m.coin)?.mid();
    if (mid !== undefined) result[m.coin] = wire(mid);
  }
  return result;
}
