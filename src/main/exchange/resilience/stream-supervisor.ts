import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { OspreyError, VenueError } from '../../../core/errors.js';
import type { VenueId } from '../../../core/types.js';
import type { VenueBreakers } from './breakers.js';

/** One connection's life, as a stream implementation reports it to its supervisor. */
export interface StreamSession {
  /** Resolves once data flows; rejects (with an OspreyError) if the session fails first. */
  readonly ready: Promise<void>;
  /** Resolves once, when the session ends: with the error that ended it, or undefined if we closed it. */
  readonly ended: Promise<OspreyError | undefined>;
  close(): void;
}

export interface StreamSupervisorSettings {
  /** A new session must deliver data within this. */
  readonly readyTimeoutMs: number;
  /** A session is healthy (breaker success, backoff reset) once it has lived this long. */
  readonly stableAfterMs: number;
  /** Reconnect delays: exponential with decorrelated jitter between these bounds. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

export const DEFAULT_STREAM_SUPERVISOR: StreamSupervisorSettings = { readyTimeoutMs: 10_000, stableAfterMs: 2_000, backoffInitialMs: 250, backoffMaxMs: 30_000 };

export type StreamState = 'up' | 'down';

const STABLE = Symbol('stable');

/**
 * Keeps one stream channel connected: opens a session, and when it ends opens the next after an
 * exponential backoff with jitter. Each connection attempt runs through the channel's circuit breaker,
 * and counts as a success only once the session has stayed up for `stableAfterMs`, so a connection that
 * flaps is a failure, and a half-open probe is a session that proves itself. Opening a new session is
 * what resubscribes and rebuilds the books; the stream implementation does that on connect.
 */
export class StreamSupervisor {
  readonly #venue: VenueId;
  readonly #channel: 'market' | 'user';
  readonly #breakers: VenueBreakers;
  readonly #open: () => StreamSession;
  readonly #settings: StreamSupervisorSettings;
  readonly #onState: (state: StreamState, reason?: string) => void;
  readonly #backoffs: ExponentialBackoff<unknown>;
  #abort = new AbortController();
  #session: StreamSession | undefined;
  #loop: Promise<void> | undefined;
  #up = false;
  #sessions = 0;

  constructor(options: {
    venue: VenueId; channel: 'market' | 'user'; breakers: VenueBreakers; open: () => StreamSession;
    settings?: StreamSupervisorSettings; onState?: (state: StreamState, reason?: string) => void;
  }) {
    this.#venue = options.venue;
    this.#channel = options.channel;
    this.#breakers = options.breakers;
    this.#open = options.open;
    this.#settings = options.settings ?? DEFAULT_STREAM_SUPERVISOR;
    this.#onState = options.onState ?? (() => undefined);
    this.#backoffs = new ExponentialBackoff({ initialDelay: this.#settings.backoffInitialMs, maxDelay: this.#settings.backoffMaxMs });
  }

  get up(): boolean {
    return this.#up;
  }

  /** Sessions opened so far: 1 plus the number of reconnects. */
  get sessions(): number {
    return this.#sessions;
  }

  start(): void {
    if (this.#loop !== undefined) return;
    this.#abort = new AbortController();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#session?.close();
    await this.#loop;
    this.#loop = undefined;
    this.#setState('down', 'stopped');
  }

  /** Ends the current session so the next one starts now: used when subscriptions change. */
  restart(): void {
    this.#session?.close();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let backoff: IBackoff<unknown> = this.#backoffs.next();
    while (!signal.aborted) {
      let session: StreamSession | undefined;
      try {
        await this.#breakers.execute(this.#channel, async () => {
          session = this.#start();
          await this.#probe(session);
        });
        backoff = this.#backoffs.next();
        const reason = await session!.ended;
        if (signal.aborted) break;
        this.#setState('down', reason?.message ?? 'closed');
        if (reason !== undefined && reason.details.trip === true) await this.#breakers.recordFailure(this.#channel, reason);
      } catch (error) {
        session?.close();
        if (signal.aborted) break;
        const local = error instanceof OspreyError && error.details.local === true;
        this.#setState('down', error instanceof Error ? error.message : String(error));
        // Refused by an open breaker: check again soon, the half-open probe is due when it is due.
        const wait = local ? Math.min(backoff.duration, 1_000) : backoff.duration;
        backoff = backoff.next(undefined);
        await sleep(wait, undefined, { signal }).catch(() => undefined);
        continue;
      }
      await sleep(backoff.duration, undefined, { signal }).catch(() => undefined);
    }
    this.#session?.close();
  }

  #start(): StreamSession {
    const session = this.#open();
    session.ready.catch(() => undefined);
    this.#session = session;
    this.#sessions++;
    return session;
  }

  async #probe(session: StreamSession): Promise<void> {
    // A timer per phase, cancelled as soon as the phase is decided so no stray timers outlive it.
    const timers = new AbortController();
    const timerSignal = AbortSignal.any([this.#abort.signal, timers.signal]);
    try {
      const readyTimeout = sleep(this.#settings.readyTimeoutMs, undefined, { signal: timerSignal }).then(() => {
        throw new VenueError('TIMEOUT', `${this.#venue} ${this.#channel} stream sent no data within ${this.#settings.readyTimeoutMs} ms`, { venue: this.#venue, channel: this.#channel });
      });
      readyTimeout.catch(() => undefined);
      await Promise.race([session.ready, readyTimeout, session.ended.then((e) => Promise.reject(this.#endedEarly(e)))]);
      this.#setState('up');
      const stable = sleep(this.#settings.stableAfterMs, STABLE, { signal: timerSignal }).catch(() => STABLE);
      const outcome = await Promise.race([session.ended, stable]);
      if (outcome !== STABLE) throw this.#endedEarly(outcome as OspreyError | undefined);
    } catch (error) {
      this.#breakers.armTrip(this.#channel, error);
      throw error;
    } finally {
      timers.abort();
    }
  }

  #endedEarly(reason: OspreyError | undefined): OspreyError {
    return reason ?? new VenueError('VENUE_UNAVAILABLE', `${this.#venue} ${this.#channel} stream closed while connecting`, { venue: this.#venue, channel: this.#channel });
  }

  #setState(state: StreamState, reason?: string): void {
    if ((state === 'up') === this.#up) return;
    this.#up = state === 'up';
    this.#onState(state, reason);
  }
}
