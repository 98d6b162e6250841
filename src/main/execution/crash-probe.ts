import { LiveClock } from '../../core/clock.js';
import { dec } from '../../core/decimal.js';
import type { OrderIntent } from '../../core/types.js';
import { EventBus } from '../bus/bus.js';
import type { SubmitResult } from '../exchange/adapter.js';
import { createHyperliquidAdapter } from '../exchange/hyperliquid/adapter.js';
import { RiskGate } from '../risk/gate.js';
import { gateLimits } from '../risk/limits.js';
import { MarketPrices } from '../risk/marks.js';
import { StateStore } from '../state/store.js';
import { Executor } from './executor.js';
import type { ExecutionVenue } from './venue-port.js';

/**
 * A child process for the crash tests: the real store, gate, executor and Hyperliquid adapter place one
 * order on a venue at OSPREY_PROBE_REST, and the parent SIGKILLs this process at a chosen moment. Lines
 * on stdout (JSON) say how far it got: "ready", "sending" (the write-ahead is on disk, the send starts)
 * and "sent" (the venue answered). OSPREY_PROBE_HOLD makes it stop and wait to be killed:
 *   before-send  after the write-ahead, without sending;
 *   after-send   after the venue accepted, before the engine records the answer;
 *   none         never (the parent kills it when it sees "sending", mid-request).
 * The key comes in OSPREY_PROBE_KEY and is never printed. Not part of the engine; a test fixture that
 * must be compiled JavaScript so the kill is of a real process running real code.
 */

type Hold = 'before-send' | 'after-send' | 'none';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`crash probe: ${name} is not set`);
  return value;
}

const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const forever = (): Promise<never> => new Promise(() => setInterval(() => undefined, 60_000));

async function main(): Promise<void> {
  const hold = env('OSPREY_PROBE_HOLD') as Hold;
  const instrument = env('OSPREY_PROBE_INSTRUMENT');
  const clock = new LiveClock();
  const bus = new EventBus(() => undefined);
  const adapter = createHyperliquidAdapter({
    config: { walletAddress: env('OSPREY_PROBE_WALLET'), privateKey: env('OSPREY_PROBE_KEY'), restUrl: env('OSPREY_PROBE_REST'), wsUrl: env('OSPREY_PROBE_WS') },
    bus, clock, settings: { userStream: false },
  });
  // Listening before the streams start: the first book is the mark the price band needs.
  const prices = new MarketPrices(bus);
  await adapter.start();
  await adapter.watchMarket([instrument]);
  for (let i = 0; i < 500 && !(adapter.canTrade(instrument).ok && prices.mark(instrument) !== undefined); i++) await new Promise((r) => setTimeout(r, 10));
  const store = await StateStore.open(env('OSPREY_PROBE_DIR'), { clock });
  const limits = gateLimits({ maxOrderSize: 1, maxPositionNotional: 1e9, maxLeverage: 100, priceBandBps: 2000, maxOrdersPerSecond: 100, maxOpenOrders: 100, maxDailyLoss: 1e9, maxDrawdownPct: 99 });
  const gate = new RiskGate({ bus, clock, limits, prices, equity: () => dec(100_000) });
  const venue: ExecutionVenue = {
    venue: adapter.venue,
    instrument: (id) => adapter.instrument(id),
    fetchBook: (id, depth) => adapter.fetchBook(id, depth),
    cancel: (id, oid) => adapter.cancel(id, oid),
    amend: (request) => adapter.amend(request),
    cancelByClientId: (id, cid) => adapter.cancelByClientId(id, cid),
    fetchOrder: (id, ref) => adapter.fetchOrder(id, ref),
    fetchOpenOrders: (id) => adapter.fetchOpenOrders(id),
    fetchFills: (since, id) => adapter.fetchFills(since, id),
    fetchPositions: () => adapter.fetchPositions(),
    fetchBalances: () => adapter.fetchBalances(),
    track: (intent, oid) => adapter.track(intent, oid),
    canTrade: (id) => adapter.canTrade(id),
    submit: async (intent: OrderIntent): Promise<SubmitResult> => {
      say({ t: 'sending', clientOrderId: intent.clientOrderId });
      if (hold === 'before-send') return forever();
      const result = await adapter.submit(intent);
      say({ t: 'sent', clientOrderId: intent.clientOrderId, accepted: result.accepted });
      if (hold === 'after-send') return forever();
      return result;
    },
  };
  const executor = new Executor({ venue, store, gate, bus, clock, prices });
  executor.start();
  say({ t: 'ready' });
  const outcome = await executor.submit({
    intentSeq: Number(env('OSPREY_PROBE_SEQ')), strategyId: 'crash', instrument, side: 'buy', type: 'limit',
    size: env('OSPREY_PROBE_SIZE'), price: env('OSPREY_PROBE_PRICE'), timeInForce: 'GTC', reduceOnly: false,
  });
  say({ t: 'done', outcome });
  await forever();
}

main().catch((error: unknown) => {
  process.stderr.write(`crash probe failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
