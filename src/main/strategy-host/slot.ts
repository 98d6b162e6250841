import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { Piscina } from 'piscina';
import { encodeBatch } from '../../workers/event-codec.js';
import { assertProtocolVersion, PROTOCOL_VERSION, type AttachReply, type AttachTask, type BatchItem, type HotReply, type HotRequest, type WireResult, type WorkerControl } from '../../workers/protocol.js';
import { resultTimes } from '../../workers/result-codec.js';

export interface BatchTiming {
  readonly sentNs: number;
  readonly recvNs: number;
  readonly doneNs: number;
  readonly riskNs: number;
  readonly events: number;
}

export interface SlotOptions {
  readonly index: number;
  readonly filename: string;
  /** Most events in one batch; more wait for the next. */
  readonly maxBatch: number;
  readonly onResult: (result: WireResult, timing: BatchTiming) => void;
  /** The worker thread died; the items of the batch it was working on are handed back. */
  readonly onCrash: (slot: WorkerSlot, reason: string, lost: readonly BatchItem[]) => void;
  /** For tests of the handshake only: the version this side claims. */
  readonly protocolVersion?: number;
}

/**
 * One worker thread, as a piscina pool of exactly one thread, and the ports to it. Why a pool per
 * thread rather than one pool for all: piscina hands a task to whichever thread is free, and a strategy
 * must always land on the thread that holds its state; a one-thread pool pins it, while piscina still
 * owns the thread's life (start, READY, replacement when it dies, close with a timeout).
 *
 * Events are batched by back-pressure: a batch goes out at once when the worker is idle; while one is
 * in flight, new events queue and leave together when its reply arrives. Idle, that costs nothing;
 * under load, one message carries many events, which is what keeps the queue from growing.
 */
export class WorkerSlot {
  readonly index: number;
  readonly #o: SlotOptions;
  readonly #pool: Piscina;
  #hot: MessagePort | undefined;
  #controlPort: MessagePort | undefined;
  #control: Comlink.Remote<WorkerControl> | undefined;
  /** Events not yet sent are `#queue[#head..]`: a batch advances the head rather than copying the rest. */
  #queue: BatchItem[] = [];
  #head = 0;
  #inFlight: { seq: number; sentNs: number; items: readonly BatchItem[] } | undefined;
  #seq = 0;
  #up = false;
  /** Attached but not sending: the host is still restoring instances after a crash. */
  #paused = true;
  #closing = false;
  /** Rejects every control call in flight when the thread dies, so none hangs forever. */
  readonly #waiters = new Set<(error: Error) => void>();
  readonly #echoes = new Map<number, (ns: number) => void>();
  workerId: string | undefined;
  /** Batches and events sent since start: events / batches is how much batching the load caused. */
  batches = 0;
  events = 0;

  constructor(options: SlotOptions) {
    this.index = options.index;
    this.#o = options;
    // atomics 'disabled': an idle piscina thread would otherwise block in Atomics.wait and never see the hot port.
    this.#pool = new Piscina({ filename: options.filename, minThreads: 1, maxThreads: 1, idleTimeout: Number.POSITIVE_INFINITY, atomics: 'disabled', concurrentTasksPerWorker: 1 });
    // piscina reports a thread's death here; the hot port's close event does the recovery.
    this.#pool.on('error', () => undefined);
  }

  get up(): boolean {
    return this.#up;
  }

  /** Events waiting to be sent (the worker queue length health reports). */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Opens fresh ports and runs the attach task; after a crash, piscina has already replaced the thread.
   * The slot stays paused (events queue) until `resume`, so none reaches a worker before its instances.
   */
  async attach(): Promise<AttachReply> {
    const hot = new MessageChannel();
    const control = new MessageChannel();
    const task: AttachTask = { type: 'attach', protocolVersion: this.#o.protocolVersion ?? PROTOCOL_VERSION, hot: hot.port2, control: control.port2 };
    let reply: AttachReply;
    try {
      reply = (await this.#pool.run(task, { transferList: [hot.port2, control.port2] })) as AttachReply;
      assertProtocolVersion(reply.protocolVersion, 'host');
    } catch (error) {
      hot.port1.close();
      control.port1.close();
      throw error;
    }
    this.#hot = hot.port1;
    this.#controlPort = control.port1;
    this.#control = Comlink.wrap<WorkerControl>(control.port1 as unknown as Comlink.Endpoint);
    hot.port1.on('message', (m: HotReply) => this.#onReply(m));
    hot.port1.on('close', () => this.#onClose(hot.port1));
    this.workerId = reply.workerId;
    this.#paused = true;
    this.#up = true;
    return reply;
  }

  /** A control call that rejects if the worker dies before answering. */
  call<T>(fn: (control: Comlink.Remote<WorkerControl>) => Promise<T>): Promise<T> {
    const control = this.#control;
    if (!this.#up || control === undefined) return Promise.reject(new Error(`worker ${this.index} is not running`));
    return new Promise<T>((resolve, reject) => {
      this.#waiters.add(reject);
      fn(control).then(resolve, reject).finally(() => this.#waiters.delete(reject));
    });
  }

  send(item: BatchItem): void {
    this.#queue.push(item);
    if (this.#inFlight === undefined && this.#up && !this.#paused) this.#flush();
  }

  /** Round trip of one message carrying `payload` there and back on the hot port, in ns: the floor. */
  echo(payload?: unknown): Promise<number> {
    const seq = ++this.#seq;
    const sentNs = Number(process.hrtime.bigint());
    return new Promise((resolve) => {
      this.#echoes.set(seq, (ns) => resolve(ns - sentNs));
      this.#hot?.postMessage({ t: 'echo', seq, sentNs, payload } satisfies HotRequest);
    });
  }

  /** How long the batch in flight has been waiting for its reply, in ms; 0 when none is. */
  busyForMs(nowNs = Number(process.hrtime.bigint())): number {
    return this.#inFlight === undefined ? 0 : (nowNs - this.#inFlight.sentNs) / 1e6;
  }

  /** Ends the worker thread (a hook stuck in a loop); its port closes and the crash path restores it. */
  async kill(): Promise<void> {
    await Promise.all(this.#pool.threads.map((t) => t.terminate()));
  }

  /** Events the dead worker never finished, put back ahead of those that arrived since. */
  requeue(items: readonly BatchItem[]): void {
    this.#queue = [...items, ...this.#queue.slice(this.#head)];
    this.#head = 0;
  }

  /** Starts sending, including what queued while the worker was down or being restored. */
  resume(): void {
    this.#paused = false;
    if (this.#inFlight === undefined && this.#up && this.queued > 0) this.#flush();
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#up = false;
    this.#hot?.close();
    this.#controlPort?.close();
    await this.#pool.destroy();
  }

  #flush(): void {
    const queue = this.#queue;
    const from = this.#head;
    const to = Math.min(queue.length, from + this.#o.maxBatch);
    const items = from === 0 && to === queue.length ? queue : queue.slice(from, to);
    if (to === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (to >= 4096 && to * 2 >= queue.length) {
      // Under sustained load the queue may never empty: drop the sent half now and then (amortised O(1)).
      this.#queue = queue.slice(to);
      this.#head = 0;
    } else {
      this.#head = to;
    }
    const seq = ++this.#seq;
    const sentNs = Number(process.hrtime.bigint());
    this.#inFlight = { seq, sentNs, items };
    this.batches++;
    this.events += items.length;
    this.#hot!.postMessage({ t: 'batch', seq, sentNs, batch: encodeBatch(items) } satisfies HotRequest);
  }

  #onReply(reply: HotReply): void {
    if (!Array.isArray(reply)) {
      const done = this.#echoes.get(reply.seq);
      this.#echoes.delete(reply.seq);
      done?.(Number(process.hrtime.bigint()));
      return;
    }
    const flight = this.#inFlight;
    this.#inFlight = undefined;
    if (this.queued > 0 && !this.#paused) this.#flush();
    const times = resultTimes(reply);
    if (flight === undefined || flight.seq !== times.seq) return;
    this.#o.onResult(reply, { sentNs: flight.sentNs, recvNs: times.recvNs, doneNs: times.doneNs, riskNs: times.riskNs, events: flight.items.length });
  }

  #onClose(port: MessagePort): void {
    if (this.#closing || port !== this.#hot) return;
    this.#up = false;
    this.#paused = true;
    const lost = this.#inFlight?.items ?? [];
    this.#inFlight = undefined;
    this.#controlPort?.close();
    const error = new Error(`worker ${this.index} (${this.workerId ?? '?'}) died`);
    for (const reject of this.#waiters) reject(error);
    this.#waiters.clear();
    this.#echoes.clear();
    this.#o.onCrash(this, 'worker thread exited', lost);
  }
}
