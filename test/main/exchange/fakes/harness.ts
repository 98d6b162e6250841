import { LiveClock } from '../../../../src/core/clock.js';
import type { EventOf, OspreyEvent, Topic } from '../../../../src/core/events.js';
import type { OrderIntent } from '../../../../src/core/types.js';
import { EventBus } from '../../../../src/main/bus/bus.js';
import type { AdapterSettings } from '../../../../src/main/exchange/ccxt/adapter-settings.js';
import { DEFAULT_ADAPTER_SETTINGS } from '../../../../src/main/exchange/ccxt/adapter-settings.js';

/** A bus that records every event, for assertions on what an adapter published. */
export function capturingBus(): { bus: EventBus; events: OspreyEvent[]; of: <T extends Topic>(topic: T) => EventOf<T>[]; subscriberErrors: unknown[] } {
  const subscriberErrors: unknown[] = [];
  const bus = new EventBus((error) => subscriberErrors.push(error));
  const events: OspreyEvent[] = [];
  bus.subscribeAll((e) => events.push(e), 'test-capture');
  const of = <T extends Topic>(topic: T) => events.filter((e) => e.type === topic) as unknown as EventOf<T>[];
  return { bus, events, of, subscriberErrors };
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. Bounded in time by design. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const clock = new LiveClock();

/** Resilience settings shrunk to test time: breakers open after 3 failures and probe after 300 ms. */
export function fastSettings(overrides: Partial<AdapterSettings> = {}): Partial<AdapterSettings> {
  const breaker = { threshold: 3, halfOpenAfterMs: 300, maxHalfOpenAfterMs: 600 };
  return {
    rest: { timeoutMs: 2_000, maxRateWaitMs: 500, readRetries: 0 },
    breakers: { venue: { ...breaker, threshold: 50 }, rest: breaker, market: breaker, user: breaker },
    stream: { readyTimeoutMs: 2_000, stableAfterMs: 200, backoffInitialMs: 50, backoffMaxMs: 300 },
    staleGuard: { maxBookAgeMs: 60_000 },
    burst: { threshold: 5, windowMs: 1_000 },
    pollIntervalMs: 100,
    userStream: false,
    fillLookbackMs: DEFAULT_ADAPTER_SETTINGS.fillLookbackMs,
    ...overrides,
  };
}

let intentSeq = 0;
export function intent(instrument: string, fields: Partial<OrderIntent> = {}): OrderIntent {
  intentSeq++;
  return {
    clientOrderId: `osp-${process.pid}-${intentSeq}`,
    strategyId: 'test',
    instrument,
    side: 'buy',
    type: 'limit',
    size: '0.012',
    price: '30000.1',
    timeInForce: 'GTC',
    reduceOnly: false,
    createdAt: Date.now(),
    ...fields,
  };
}
