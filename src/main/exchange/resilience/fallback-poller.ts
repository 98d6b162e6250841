import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls over REST while a stream cannot be trusted (its breaker is not closed), so books and order
 * state keep arriving, more slowly, instead of stopping. Each poll goes through the REST guard, so a
 * venue that is down for REST too is not hammered: the REST breaker refuses the polls locally.
 */
export class FallbackPoller {
  readonly #intervalMs: number;
  readonly #poll: (signal: AbortSignal) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #polls = 0;

  /** `poll` gets a signal that aborts when polling stops: a result arriving after that is older than the stream's. */
  constructor(intervalMs: number, poll: (signal: AbortSignal) => Promise<void>, onError: (error: unknown) => void) {
    this.#intervalMs = intervalMs;
    this.#poll = poll;
    this.#onError = onError;
  }

  get running(): boolean {
    return this.#abort !== undefined;
  }

  /** Polls made since construction, for health reports and tests. */
  get polls(): number {
    return this.#polls;
  }

  start(): void {
    if (this.#abort !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#loop = this.#run(abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    this.#abort = undefined;
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.#polls++;
      try {
        await this.#poll(signal);
      } catch (error) {
        if (!signal.aborted) this.#onError(error);
      }
      await sleep(this.#intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
