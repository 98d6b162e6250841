import { Decimal, ZERO } from '../../core/decimal.js';
import type { AssetPosition, ClearinghouseState, MarginSummary } from '../venue-api.js';
import type { MarginAccount } from './accounts.js';
import {
  accountValue,
  liquidationPrice,
  maintenanceMargin,
  type MarginContext,
  positionMargin,
  positionValue,
  totalPositionMargin,
  unrealisedPnl,
  withdrawable,
} from './margin.js';
import { wire, wireAverage, wireUsd } from './wire.js';

/**
 * Hyperliquid's clearinghouseState for one account, every field filled. All positions are cross margin, so
 * crossMarginSummary equals marginSummary; funding is not simulated, so cumFunding is zero.
 * totalRawUsd is what Hyperliquid calls raw USD: account value minus the signed notional of positions.
 */
export function clearinghouseState(account: MarginAccount | undefined, ctx: MarginContext, time: number): ClearinghouseState {
  if (account === undefined) {
    const empty: MarginSummary = { accountValue: '0.0', totalNtlPos: '0.0', totalRawUsd: '0.0', totalMarginUsed: '0.0' };
    return { marginSummary: empty, crossMarginSummary: empty, crossMaintenanceMarginUsed: '0.0', withdrawable: '0.0', assetPositions: [], time };
  }
  const coins = account.openCoins();
  const value = accountValue(account, ctx);
  const signedNotional = coins.reduce((s, coin) => s.plus(account.size(coin).times(ctx.mark(coin))), ZERO);
  const summary: MarginSummary = {
    accountValue: wireUsd(value),
    totalNtlPos: wireUsd(coins.reduce((s, coin) => s.plus(positionValue(account, coin, ctx)), ZERO)),
    totalRawUsd: wireUsd(value.minus(signedNotional)),
    totalMarginUsed: wireUsd(totalPositionMargin(account, ctx)),
  };
  return {
    marginSummary: summary,
    crossMarginSummary: summary,
    crossMaintenanceMarginUsed: wireUsd(coins.reduce((s, coin) => s.plus(maintenanceMargin(account, coin, ctx)), ZERO)),
    withdrawable: wireUsd(withdrawable(account, ctx)),
    assetPositions: coins.map((coin) => assetPosition(account, coin, ctx)),
    time,
  };
}

function assetPosition(account: MarginAccount, coin: string, ctx: MarginContext): AssetPosition {
  const size = account.size(coin);
  const leverage = ctx.leverage(account, coin);
  const pnl = unrealisedPnl(account, coin, ctx);
  // Return on equity is measured against the margin the entry required: |entry notional| / leverage.
  const entryMargin = account.cost(coin).abs().div(leverage);
  const liquidation = liquidationPrice(account, coin, ctx);
  return {
    type: 'oneWay',
    position: {
      coin,
      szi: wire(size),
      leverage: { type: 'cross', value: leverage },
      entryPx: wireAverage(account.cost(coin).div(size)),
      positionValue: wireUsd(positionValue(account, coin, ctx)),
      unrealizedPnl: wireUsd(pnl),
      returnOnEquity: wire(entryMargin.isZero() ? ZERO : pnl.div(entryMargin).toDecimalPlaces(10, Decimal.ROUND_HALF_UP)),
      liquidationPx: liquidation === undefined ? null : wireAverage(liquidation),
      marginUsed: wireUsd(positionMargin(account, coin, ctx)),
      maxLeverage: ctx.market(coin).maxLeverage,
      cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
    },
  };
}
