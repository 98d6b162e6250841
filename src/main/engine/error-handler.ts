import type { Logger } from 'pino';
import { type ErrorPolicy, OspreyError, policyOf } from '../../core/errors.js';
import type { EventFactory } from '../../core/event-factory.js';
import type { EventBus } from '../bus/bus.js';

/**
 * The central error handler: every error that is caught and not handled on the spot ends here, so
 * handling is decided in one place. The policy comes from the error's class: retry and backoff are
 * logged as warnings (the caller already retries), reject as errors, halt and fatal also ask the engine
 * to stop trading or to crash.
 */
export class ErrorHandler {
  readonly #log: Logger;
  readonly #onSevere: (policy: 'halt' | 'fatal', error: unknown, source: string) => void;
  #bus: EventBus | undefined;
  #events: EventFactory | undefined;
  #reporting = false;
  readonly counts: Record<ErrorPolicy, number> = { retry: 0, backoff: 0, reject: 0, halt: 0, fatal: 0 };

  constructor(log: Logger, onSevere: (policy: 'halt' | 'fatal', error: unknown, source: string) => void) {
    this.#log = log;
    this.#onSevere = onSevere;
  }

  /** Errors are also published as `engine.error` once the bus exists. */
  attachBus(bus: EventBus, events: EventFactory): void {
    this.#bus = bus;
    this.#events = events;
  }

  report(source: string, error: unknown, options: { isolated?: boolean } = {}): void {
    const policy = policyOf(error);
    this.counts[policy]++;
    const code = error instanceof OspreyError ? error.code : 'UNCLASSIFIED';
    const message = error instanceof Error ? error.message : String(error);
    const level = policy === 'retry' || policy === 'backoff' ? 'warn' : policy === 'reject' ? 'error' : 'fatal';
    this.#log[level]({ err: error, source, code, policy }, `${source}: ${message}`);
    // A subscriber's own bug is isolated by the bus; it does not bring the engine down, unless it is a
    // broken invariant raised on purpose.
    const severe = policy === 'halt' || (policy === 'fatal' && (error instanceof OspreyError || options.isolated !== true));
    if (this.#bus !== undefined && this.#events !== undefined && !this.#reporting) {
      this.#reporting = true; // an engine.error subscriber that throws must not recurse
      try {
        this.#bus.publish(this.#events.make('engine.error', { source, code, message }));
      } finally {
        this.#reporting = false;
      }
    }
    if (severe) this.#onSevere(policy === 'halt' ? 'halt' : 'fatal', error, source);
  }
}
