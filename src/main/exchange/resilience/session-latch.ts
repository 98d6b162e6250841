import type { OspreyError } from '../../../core/errors.js';
import type { StreamSession } from './stream-supervisor.js';

/**
 * The two promises of a StreamSession, settled once each from wherever the stream learns it: `ready`
 * on the first good message, `ended` on close or failure. Settling twice is harmless, which lets socket
 * close, error and timeout handlers all report without coordinating.
 */
export class SessionLatch {
  readonly ready: Promise<void>;
  readonly ended: Promise<OspreyError | undefined>;
  #resolveReady!: () => void;
  #rejectReady!: (error: OspreyError) => void;
  #resolveEnded!: (reason: OspreyError | undefined) => void;
  #isReady = false;
  #isEnded = false;

  constructor() {
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => undefined);
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  get isEnded(): boolean {
    return this.#isEnded;
  }

  markReady(): void {
    if (this.#isReady || this.#isEnded) return;
    this.#isReady = true;
    this.#resolveReady();
  }

  /** Ends the session: `reason` is the failure, undefined for a close we asked for. */
  end(reason: OspreyError | undefined): void {
    if (this.#isEnded) return;
    this.#isEnded = true;
    if (!this.#isReady && reason !== undefined) this.#rejectReady(reason);
    this.#resolveEnded(reason);
  }

  session(close: () => void): StreamSession {
    return { ready: this.ready, ended: this.ended, close };
  }
}
