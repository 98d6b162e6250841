import { WebSocket } from 'ws';

/**
 * A raw WebSocket client for protocol tests: records every frame (JSON parsed when it is JSON) and
 * waits, with a deadline, for the next one matching a predicate.
 */
export class RawWsClient {
  readonly frames: unknown[] = [];
  readonly #socket: WebSocket;
  readonly #waiters: { match: (frame: unknown) => boolean; resolve: (frame: unknown) => void }[] = [];
  closed: Promise<void>;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('message', (data) => {
      const text = data.toString();
      let frame: unknown = text;
      try {
        frame = JSON.parse(text);
      } catch {
        // Non-JSON frames (the greeting) are kept as text.
      }
      this.frames.push(frame);
      for (const waiter of [...this.#waiters]) {
        if (!waiter.match(frame)) continue;
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
  }

  static async connect(url: string): Promise<RawWsClient> {
    const socket = new WebSocket(url);
    const client = new RawWsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.#socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first frame already received, or arriving within `ms`, that matches. */
  next<T = Record<string, unknown>>(match: (frame: Record<string, unknown>) => boolean, ms = 3_000): Promise<T> {
    const test = (frame: unknown) => typeof frame === 'object' && frame !== null && match(frame as Record<string, unknown>);
    const seen = this.frames.find(test);
    if (seen !== undefined) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen as T);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        match: test,
        resolve: (frame: unknown) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(frame), 1);
          resolve(frame as T);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`));
      }, ms);
      this.#waiters.push(waiter);
    });
  }

  close(): void {
    this.#socket.close();
  }
}

export const onChannel = (channel: string) => (frame: Record<string, unknown>) => frame['channel'] === channel;
