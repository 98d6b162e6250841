import { Decimal } from '../../../src/core/decimal.js';
import { Reconciler } from '../../../src/main/reconcile/reconciler.js';
import { gateLimits } from '../../../src/main/risk/limits.js';
import { BTC, type Engine, type SimServer, WALLET, connectEngine } from '../execution/sim-stack.js';

/** Wide limits: reconciliation tests are about state, not risk. */
export const LIMITS = gateLimits({
  maxOrderSize: 1, maxPositionNotional: 1e9, maxLeverage: 100, priceBandBps: 2000, maxOrdersPerSecond: 100, maxOpenOrders: 100, maxDailyLoss: 1e9, maxDrawdownPct: 99,
});

export interface ReconcilingEngine extends Engine {
  readonly reconciler: Reconciler;
}

export async function startEngine(sim: SimServer, dir?: string, policy: 'adopt' | 'cancel' = 'adopt'): Promise<ReconcilingEngine> {
  const engine = await connectEngine(sim, LIMITS, dir);
  const reconciler = new Reconciler({ venue: engine.adapter, executor: engine.kit.executor, gate: engine.kit.gate, clock: { now: () => Date.now(), monotonicNs: () => process.hrtime.bigint() }, unknownOrders: policy });
  return {
    ...engine, reconciler,
    close: async (keepDir = false) => {
      await reconciler.stop();
      await engine.close(keepDir);
    },
  };
}

/** The venue's own record of our account: open orders by cloid, fills, exact positions. */
export function venueTruth(sim: SimServer) {
  const inspected = sim.venue.inspect(WALLET);
  return {
    openCloids: sim.venue.openOrders(WALLET).map((o) => o.cloid).sort(),
    fills: sim.venue.userFills(WALLET).map((f) => ({ oid: String(f.oid), px: new Decimal(f.px).toFixed(), sz: new Decimal(f.sz).toFixed(), side: f.side === 'B' ? 'buy' : 'sell' }))
      .sort((a, b) => a.oid.localeCompare(b.oid) || a.sz.localeCompare(b.sz)),
    position: new Decimal(inspected?.positions.find((p) => p.coin === 'BTC')?.size ?? '0').toFixed(),
  };
}

export const btcOrder = (intentSeq: number, side: 'buy' | 'sell', size: string, price: string, type: 'limit' | 'market' = 'limit') => ({
  intentSeq, strategyId: 'restart', instrument: BTC, side, type, size, price, timeInForce: type === 'market' ? 'IOC' as const : 'GTC' as const, reduceOnly: false,
});
