/**
 * What the protocol server asks of a fault injector, one decision per request or message. The engine's
 * seeded FaultInjector (src/sim/engine/faults.ts) has exactly this shape; the server depends only on the
 * interface so tests can script faults one by one, and NO_FAULTS costs nothing.
 */

export type HttpFault = 'none' | 'http429' | 'http5xx' | 'timeout';
export type WsFault = 'none' | 'drop' | 'dup' | 'reorder';

export interface TransportFaults {
  /** Extra delay before a reply or message goes out. */
  latencyMs(): number;
  /** The fate of one HTTP request. */
  httpFault(): HttpFault;
  /** The fate of one outgoing WebSocket message. */
  wsFault(): WsFault;
  /** How long a new WebSocket connection lives before it is cut, or undefined for no forced disconnect. */
  connectionLifetimeMs(): number | undefined;
}

export const NO_FAULTS: TransportFaults = {
  latencyMs: () => 0,
  httpFault: () => 'none',
  wsFault: () => 'none',
  connectionLifetimeMs: () => undefined,
};

/** How long a "timeout" fault holds a request before dropping the connection unanswered (ccxt's default timeout is 10 s). */
export const TIMEOUT_HOLD_MS = 12_000;

/** How long a reordered WebSocket message waits for a successor to overtake it before it is sent anyway. */
export const REORDER_HOLD_MS = 50;
