import type { EventFactory } from '../../core/event-factory.js';
import type { OspreyError } from '../../core/errors.js';
import type { OspreyEvent } from '../../core/events.js';
import type { Instrument } from '../../core/types.js';
import type { StreamSession } from './resilience/stream-supervisor.js';

/** Where a market stream sends decoded events: the bus, behind the adapter's stale-data bookkeeping. */
export interface MarketSink {
  publish(event: OspreyEvent): void;
}

/** What a market stream session is given by its adapter. */
export interface MarketStreamContext {
  /** The instruments to subscribe books and trades for, fixed for the session's life. */
  readonly instruments: readonly Instrument[];
  readonly sink: MarketSink;
  readonly events: EventFactory;
  /**
   * Reports one malformed venue message (already dropped). Returns the error to end the session with
   * when this message completes a burst, undefined while the stream may carry on.
   */
  malformed(error: unknown): OspreyError | undefined;
}

/** Opens one market-data session: connect, subscribe, and publish until closed or broken. */
export type MarketStreamFactory = (context: MarketStreamContext) => StreamSession;
