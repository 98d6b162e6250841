import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../src/core/clock.js';
import { type Decimal, dec } from '../../../src/core/decimal.js';
import type { EventOf, OspreyEvent, Topic } from '../../../src/core/events.js';
import { EventBus } from '../../../src/main/bus/bus.js';
import { Executor } from '../../../src/main/execution/executor.js';
import type { RetrySettings } from '../../../src/main/execution/sender.js';
import type { ExecutionVenue } from '../../../src/main/execution/venue-port.js';
import { RiskGate } from '../../../src/main/risk/gate.js';
import type { GateLimits } from '../../../src/main/risk/limits.js';
import { MarketPrices } from '../../../src/main/risk/marks.js';
import { StateStore } from '../../../src/main/state/store.js';

/** Store, bus, gate and executor wired as the engine wires them, around any ExecutionVenue. */
export interface ExecutionKit {
  readonly dir: string;
  readonly bus: EventBus;
  readonly events: OspreyEvent[];
  readonly errors: unknown[];
  readonly store: StateStore;
  readonly prices: MarketPrices;
  readonly gate: RiskGate;
  readonly executor: Executor;
  of<T extends Topic>(topic: T): EventOf<T>[];
  /** Stops the executor and closes the store; `keepDir` leaves the data for a restart. */
  close(keepDir?: boolean): Promise<void>;
}

export const FAST_RETRY: RetrySettings = { maxAttempts: 3, backoffInitialMs: 1, backoffMaxMs: 5 };
export const NO_THROTTLE = { perSecond: 1_000_000, burst: 1_000_000, maxWaitMs: 10 };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'osprey-exec-'));
}

export async function executionKit(options: {
  clock: Clock; limits: GateLimits; venue: (bus: EventBus) => ExecutionVenue; dir?: string; equity?: () => Decimal | undefined;
  marks?: Record<string, string>; retry?: RetrySettings; bus?: EventBus;
}): Promise<ExecutionKit> {
  const dir = options.dir ?? tempDir();
  const errors: unknown[] = [];
  const bus = options.bus ?? new EventBus((error) => errors.push(error));
  const events: OspreyEvent[] = [];
  bus.subscribeAll((e) => events.push(e), 'kit');
  const store = await StateStore.open(dir, { clock: options.clock });
  const prices = new MarketPrices(bus);
  for (const [instrument, mark] of Object.entries(options.marks ?? {})) prices.setMark(instrument, mark);
  const fixed = dec('1000000');
  const gate = new RiskGate({ bus, clock: options.clock, limits: options.limits, prices, equity: options.equity ?? (() => fixed) });
  const venue = options.venue(bus);
  const executor = new Executor({
    venue, store, gate, bus, clock: options.clock, prices, throttle: NO_THROTTLE, retry: options.retry ?? FAST_RETRY, onError: (e) => errors.push(e),
  });
  executor.start();
  return {
    dir, bus, events, errors, store, prices, gate, executor,
    of: <T extends Topic>(topic: T) => events.filter((e) => e.type === topic) as unknown as EventOf<T>[],
    close: async (keepDir = false) => {
      await executor.stop();
      prices.close();
      await store.close();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
