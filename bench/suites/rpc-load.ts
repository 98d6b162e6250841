import WebSocket from 'ws';

/**
 * The client side of the rpc benchmark: one WebSocket connection (the `ws` package, the same client
 * for every server) sending one JSON-RPC request shape. Two load shapes: closed-loop saturation (a
 * fixed window of requests in flight, each reply releasing the next) for throughput and CPU per
 * request, and open-loop pacing (sends on a fixed schedule whatever the replies do, so a slow reply
 * cannot hide the ones queued behind it) for round-trip percentiles. Both stop by count and by time.
 */

const ID = /"id":(\d+)/;

export class LoadConnection {
  readonly #ws: WebSocket;
  readonly #request: (id: number) => string;
  #onReply: (id: number) => void = () => {};

  private constructor(ws: WebSocket, request: (id: number) => string) {
    this.#ws = ws;
    this.#request = request;
    ws.on('message', (data: Buffer) => {
      const match = ID.exec(data.toString('latin1'));
      if (match !== null) this.#onReply(Number(match[1]));
    });
  }

  static open(url: string, token: string, request: (id: number) => string): Promise<LoadConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
      ws.once('open', () => resolve(new LoadConnection(ws, request)));
      ws.once('error', reject);
    });
  }

  /** Keeps `window` requests in flight for `durationMs` (at most `maxRequests`); resolves when all replied. */
  saturate(durationMs: number, window: number, maxRequests = 5_000_000): Promise<{ completed: number; elapsedMs: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let sent = 0;
      let completed = 0;
      const sendNext = () => {
        this.#ws.send(this.#request(sent++));
      };
      const guard = setTimeout(() => reject(new Error(`saturation stalled: ${completed}/${sent} replies`)), durationMs + 10_000);
      this.#onReply = () => {
        completed++;
        if (performance.now() - started < durationMs && sent < maxRequests) sendNext();
        else if (completed === sent) {
          clearTimeout(guard);
          resolve({ completed, elapsedMs: performance.now() - started });
        }
      };
      for (let i = 0; i < window; i++) sendNext();
    });
  }

  /** Sends `rate` requests a second for `durationMs`; resolves with each round trip in microseconds. */
  paced(rate: number, durationMs: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const total = Math.floor((rate * durationMs) / 1000);
      const sentAt = new Float64Array(total);
      const rtts: number[] = [];
      const intervalMs = 1000 / rate;
      const started = performance.now();
      let sent = 0;
      const guard = setTimeout(() => reject(new Error(`paced run stalled: ${rtts.length}/${total} replies`)), durationMs + 10_000);
      this.#onReply = (id) => {
        rtts.push((performance.now() - sentAt[id]!) * 1000);
        if (rtts.length === total) {
          clearTimeout(guard);
          resolve(rtts);
        }
      };
      // setImmediate, not a timer: timers have ~1 ms granularity, the schedule needs finer.
      const tick = () => {
        const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
        for (; sent < due; sent++) {
          sentAt[sent] = performance.now();
          this.#ws.send(this.#request(sent));
        }
        if (sent < total) setImmediate(tick);
      };
      tick();
    });
  }

  close(): void {
    this.#ws.close();
  }
}
