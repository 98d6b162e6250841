import { DEFAULT_BREAKER, type BreakerScope, type BreakerSettings } from '../resilience/breakers.js';
import { DEFAULT_BURST, type BurstSettings } from '../resilience/malformed-burst.js';
import { DEFAULT_REST_GUARD, type RestGuardSettings } from '../resilience/rest-guard.js';
import { DEFAULT_STALE_GUARD, type StaleGuardSettings } from '../resilience/stale-guard.js';
import { DEFAULT_STREAM_SUPERVISOR, type StreamSupervisorSettings } from '../resilience/stream-supervisor.js';

/** Every resilience knob of one adapter. Defaults suit live venues; tests shrink the times. */
export interface AdapterSettings {
  readonly rest: RestGuardSettings;
  readonly breakers: Partial<Record<BreakerScope, BreakerSettings>>;
  readonly stream: StreamSupervisorSettings;
  readonly staleGuard: StaleGuardSettings;
  readonly burst: BurstSettings;
  /** How often REST polls run while a stream's breaker is open. */
  readonly pollIntervalMs: number;
  /** Connect the user stream (orders and fills); off for market-data-only use. */
  readonly userStream: boolean;
  /** How far back the first order-state poll asks for fills. */
  readonly fillLookbackMs: number;
}

export const DEFAULT_ADAPTER_SETTINGS: AdapterSettings = {
  rest: DEFAULT_REST_GUARD,
  breakers: { rest: DEFAULT_BREAKER, market: DEFAULT_BREAKER, user: DEFAULT_BREAKER },
  stream: DEFAULT_STREAM_SUPERVISOR,
  staleGuard: DEFAULT_STALE_GUARD,
  burst: DEFAULT_BURST,
  pollIntervalMs: 1_000,
  userStream: true,
  fillLookbackMs: 60_000,
};
