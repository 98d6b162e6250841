import { availableParallelism } from 'node:os';
import { StrategyError } from '../../core/errors.js';
import type { OspreyEvent } from '../../core/events.js';
import type { LatencySink } from '../../core/latency-stages.js';
import type { BatchItem, RunnerOutput, RunnerSnapshot, StrategySpec, WireResult } from '../../workers/protocol.js';
import { readOutputs } from '../../workers/result-codec.js';
import type { RiskDenial, RiskLimitsSnapshot } from '../../workers/risk/precheck.js';
import type { StrategyIntent } from '../../workers/strategies/api.js';
import type { EventBus } from '../bus/bus.js';
import type { StateStore } from '../state/store.js';
import { Routes } from './routes.js';
import { WorkerSlot, type BatchTiming } from './slot.js';
import { strategyWorkerFile } from './worker-file.js';

export interface StrategyHostOptions {
  /** Worker threads; default one fewer than the cores (the main thread needs one), at least one. */
  readonly threads?: number;
  /**
   * Where snapshots go and come back from after a crash or restart, and whose orders are whose (fills
   * name only the client order id); none: snapshots kept in memory, owners read from the id's prefix.
   */
  readonly store?: Pick<StateStore, 'saveSnapshot' | 'loadSnapshot' | 'getOrder'>;
  /** Intents of one strategy from one event, in order. The execution side carries them out. */
  readonly onIntents: (strategyId: string, intents: readonly StrategyIntent[]) => void;
  readonly onDenials?: (denials: readonly RiskDenial[]) => void;
  /** A hook threw (the strategy keeps running), a restore failed, or a worker died. */
  readonly onError?: (error: Error) => void;
  readonly onLog?: (strategyId: string, entry: RunnerOutput['logs'][number]) => void;
  /** Per-stage latency sink, e.g. LatencyRegistry.record. */
  readonly recordLatency?: LatencySink;
  readonly snapshotIntervalMs?: number;
  /** A batch unanswered this long means a hook is stuck (an endless loop): the worker is replaced. */
  readonly hangTimeoutMs?: number;
  readonly maxBatch?: number;
  /** Tests only: another worker file, or another protocol version to see the handshake refuse it. */
  readonly workerFile?: string;
  readonly protocolVersion?: number;
}

interface Instance {
  readonly spec: StrategySpec;
  readonly slot: WorkerSlot;
  /** Latest snapshot, used to restore when no store is configured. */
  snapshot: RunnerSnapshot | undefined;
}

const ROUTED = new Set(['market.book', 'market.quote', 'market.trade', 'market.bar', 'fill.received', 'order.updated']);
/** More crashes than this within the window stop the worker's strategies instead of restoring them. */
const MAX_RESTARTS = 3;
const CRASH_WINDOW_MS = 60_000;

/**
 * Owns the strategy workers on the main thread: pins each instance to one worker, routes events to it
 * (market data by instrument, fills and order updates by the order's owner), hands intents to
 * `onIntents`, persists snapshots (every `snapshotIntervalMs` and after every fill), and when a worker
 * dies, waits for piscina's replacement thread, restores every instance it held from its last snapshot
 * and re-delivers the fills and order updates of the batch that was lost. Lost market data is not
 * re-sent: the next tick supersedes it, and the batch may be what killed the thread.
 */
export class StrategyHost {
  readonly #o: StrategyHostOptions;
  readonly #slots: WorkerSlot[];
  readonly #instances = new Map<string, Instance>();
  readonly #routes: Routes<WorkerSlot>;
  #limits: RiskLimitsSnapshot | undefined;
  #timer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  readonly #crashes = new Map<WorkerSlot, number[]>();
  /** Worker restarts so far, and strategies stopped because their worker kept dying (id -> why). */
  restarts = 0;
  readonly failed = new Map<string, string>();
  #stopped = false;
  /** What the result reader needs, made once rather than as closures on every reply. */
  readonly #instrumentOf = (strategyId: string): string | undefined => this.#instances.get(strategyId)?.spec.instrument;
  readonly #deliverOutput = (output: RunnerOutput): void => this.#deliver(output);

  private constructor(options: StrategyHostOptions, slots: WorkerSlot[]) {
    this.#o = options;
    this.#slots = slots;
    const store = options.store;
    this.#routes = new Routes(store === undefined ? undefined : (clientOrderId) => store.getOrder(clientOrderId)?.strategyId);
  }

  /** Starts the worker threads and checks the protocol version with each; rejects on a mismatch. */
  static async start(options: StrategyHostOptions): Promise<StrategyHost> {
    const count = Math.max(1, options.threads ?? availableParallelism() - 1);
    const filename = options.workerFile ?? strategyWorkerFile();
    const slots: WorkerSlot[] = [];
    const host = new StrategyHost(options, slots);
    for (let i = 0; i < count; i++) {
      slots.push(
        new WorkerSlot({
          index: i,
          filename,
          maxBatch: options.maxBatch ?? 256,
          onResult: (reply, timing) => host.#onResult(reply, timing),
          onCrash: (slot, reason, lost) => void host.#recover(slot, reason, lost),
          ...(options.protocolVersion === undefined ? {} : { protocolVersion: options.protocolVersion }),
        }),
      );
    }
    try {
      await Promise.all(slots.map((s) => s.attach()));
      for (const s of slots) s.resume();
    } catch (error) {
      await Promise.all(slots.map((s) => s.close()));
      throw error;
    }
    const every = options.snapshotIntervalMs ?? 10_000;
    host.#timer = setInterval(() => void host.snapshotAll().catch((e: unknown) => host.#error(e)), every);
    host.#timer.unref();
    const hang = options.hangTimeoutMs ?? 5_000;
    host.#watchdog = setInterval(() => host.#checkHung(hang), Math.max(10, Math.min(1_000, hang / 4)));
    host.#watchdog.unref();
    return host;
  }

  /** Loads an instance on the least busy worker, restoring its stored snapshot if there is one. */
  async load(spec: StrategySpec): Promise<RunnerOutput> {
    if (this.#instances.has(spec.strategyId)) throw new Error(`strategy "${spec.strategyId}" is already loaded`);
    const slot = [...this.#slots].sort((a, b) => this.#countOn(a) - this.#countOn(b))[0]!;
    const instance: Instance = { spec, slot, snapshot: undefined };
    const stored = this.#storedSnapshot(instance);
    const result = await slot.call((c) => c.load(spec, stored));
    this.#instances.set(spec.strategyId, instance);
    this.#routes.add(spec.strategyId, spec.instrument, slot);
    if (result.restoreFailure !== undefined) this.#error(new StrategyError(result.restoreFailure.message, { strategyId: spec.strategyId, hook: 'restore' }));
    this.#deliver(result.output);
    return result.output;
  }

  /** Whether the instance is loaded on a worker. */
  has(strategyId: string): boolean {
    return this.#instances.has(strategyId);
  }

  async unload(strategyId: string): Promise<void> {
    const instance = this.#get(strategyId);
    this.#routes.remove(strategyId, instance.spec.instrument, instance.slot);
    this.#instances.delete(strategyId);
    const output = await instance.slot.call((c) => c.unload(strategyId));
    this.#deliver(output);
  }

  /** Feeds every routed topic of `bus` to the workers; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    const offs = [...ROUTED].map((topic) => bus.subscribe(topic as 'market.bar', (e) => this.dispatch(e), 'strategy-host'));
    return () => offs.forEach((off) => off());
  }

  /** Routes one event to the workers of the strategies it concerns. Never blocks. */
  dispatch(event: OspreyEvent): void {
    if (event.type === 'fill.received' || event.type === 'order.updated') {
      const owner = event.type === 'order.updated' ? event.order.strategyId : this.#routes.ownerOfFill(event.fill);
      const instance = owner === undefined ? undefined : this.#instances.get(owner);
      instance?.slot.send({ to: [instance.spec.strategyId], event });
      return;
    }
    if (!ROUTED.has(event.type)) return;
    const targets = this.#routes.market((event as { instrument: string }).instrument);
    if (targets === undefined) return;
    for (const [slot, ids] of targets) slot.send({ to: ids, event });
  }

  async state(strategyId: string): Promise<RunnerSnapshot> {
    return this.#get(strategyId).slot.call((c) => c.state(strategyId));
  }

  async setParams(strategyId: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    await this.#get(strategyId).slot.call((c) => c.setParams(strategyId, changes));
  }

  async setRiskLimits(limits: RiskLimitsSnapshot | undefined): Promise<void> {
    this.#limits = limits;
    await Promise.all(this.#slots.filter((s) => s.up).map((s) => s.call((c) => c.setRiskLimits(limits))));
  }

  /** Takes and stores a snapshot of every instance; the host's periodic timer calls this. */
  async snapshotAll(): Promise<void> {
    await Promise.all([...this.#instances.values()].filter((i) => i.slot.up).map(async (i) => this.#save(i, await i.slot.call((c) => c.state(i.spec.strategyId)))));
  }

  /** Per worker: events waiting (health's worker queue length), and batches and events sent so far. */
  stats(): { queued: number; batches: number; events: number; up: boolean }[] {
    return this.#slots.map((s) => ({ queued: s.queued, batches: s.batches, events: s.events, up: s.up }));
  }

  /** Round trip of `payload` there and back on worker 0's hot port, in ns: the bench's floor. */
  echo(payload?: unknown): Promise<number> {
    return this.#slots[0]!.echo(payload);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
    await this.snapshotAll().catch((e: unknown) => this.#error(e));
    await Promise.all(this.#slots.map((s) => s.close()));
  }

  #checkHung(limitMs: number): void {
    for (const slot of this.#slots) {
      const busy = slot.busyForMs();
      if (busy <= limitMs || !slot.up) continue;
      this.#error(new Error(`strategy worker ${slot.index} has not answered for ${Math.round(busy)} ms (a hook stuck in a loop?); replacing it`));
      void slot.kill().catch((e: unknown) => this.#error(e));
    }
  }

  #onResult(result: WireResult, timing: BatchTiming): void {
    // An instance unloaded while the batch was in flight has no instrument here: what it decided is dropped.
    readOutputs(result, this.#instrumentOf, this.#deliverOutput);
    // After the intents are on their way: bookkeeping stays off the path it measures.
    const rec = this.#o.recordLatency;
    if (rec !== undefined) {
      rec('to-worker', (timing.recvNs - timing.sentNs) / 1000);
      rec('strategy', (timing.doneNs - timing.recvNs - timing.riskNs) / 1000);
      if (timing.riskNs > 0) rec('risk', timing.riskNs / 1000);
    }
  }

  #deliver(output: RunnerOutput): void {
    const id = output.strategyId;
    for (const entry of output.logs) this.#o.onLog?.(id, entry);
    for (const e of output.errors) this.#error(new StrategyError(e.message, { strategyId: id, hook: e.hook }));
    if (output.denials.length > 0) this.#o.onDenials?.(output.denials);
    if (output.intents.length > 0) {
      this.#o.onIntents(id, output.intents);
      // After the hand-off, which starts the orders on their way: no fill can come back before the
      // executor's write-ahead has awaited (and without a store, an unknown id goes by its prefix).
      for (const intent of output.intents) if (intent.kind === 'submit') this.#routes.placed(intent.order.clientOrderId, id);
    }
    const instance = this.#instances.get(id);
    if (output.snapshot !== undefined && instance !== undefined) void this.#save(instance, output.snapshot).catch((e: unknown) => this.#error(e));
  }

  async #save(instance: Instance, snapshot: RunnerSnapshot): Promise<void> {
    instance.snapshot = snapshot;
    await this.#o.store?.saveSnapshot(instance.spec.strategyId, snapshot);
  }

  #storedSnapshot(instance: Instance): RunnerSnapshot | undefined {
    const stored = this.#o.store?.loadSnapshot(instance.spec.strategyId)?.data as RunnerSnapshot | undefined;
    const snap = stored ?? instance.snapshot;
    // A snapshot of another strategy under the same id (config changed) would restore nonsense.
    return snap !== undefined && snap.name === instance.spec.name ? snap : undefined;
  }

  async #recover(slot: WorkerSlot, reason: string, lost: readonly BatchItem[]): Promise<void> {
    this.restarts++;
    // performance.now: a monotonic interval for the crash-loop guard, never an input to a trading decision.
    const now = performance.now();
    const recent = [...(this.#crashes.get(slot) ?? []).filter((t) => now - t < CRASH_WINDOW_MS), now];
    this.#crashes.set(slot, recent);
    const onSlot = [...this.#instances.values()].filter((i) => i.slot === slot);
    if (recent.length > MAX_RESTARTS) {
      // A strategy that kills its worker on every restore would otherwise loop forever: stop it, loudly.
      for (const i of onSlot) {
        this.#routes.remove(i.spec.strategyId, i.spec.instrument, slot);
        this.#instances.delete(i.spec.strategyId);
        this.failed.set(i.spec.strategyId, `worker died ${recent.length} times in ${CRASH_WINDOW_MS / 1000} s`);
      }
      this.#error(new Error(`strategy worker ${slot.index} died ${recent.length} times in ${CRASH_WINDOW_MS / 1000} s; stopped ${onSlot.map((i) => i.spec.strategyId).join(', ')}`));
    } else {
      this.#error(new Error(`strategy worker ${slot.index} died (${reason}); restoring its strategies from their snapshots`));
    }
    try {
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (recent.length - 1)));
      if (this.#stopped) return;
      await this.#reattach(slot);
      if (this.#limits !== undefined) await slot.call((c) => c.setRiskLimits(this.#limits));
      for (const instance of [...this.#instances.values()]) {
        if (instance.slot !== slot) continue;
        const result = await slot.call((c) => c.load(instance.spec, this.#storedSnapshot(instance)));
        this.#deliver(result.output);
      }
      const redo = lost.filter((item) => item.event.type === 'fill.received' || item.event.type === 'order.updated');
      slot.requeue(redo);
      slot.resume();
    } catch (error) {
      this.#error(error);
    }
  }

  /**
   * The hot port closes before piscina has seen the thread exit, so the first attach can land on the
   * dying thread and fail with its exit; a few tries with a short wait reach the replacement.
   */
  async #reattach(slot: WorkerSlot): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await slot.attach();
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  #countOn(slot: WorkerSlot): number {
    let n = 0;
    for (const i of this.#instances.values()) if (i.slot === slot) n++;
    return n;
  }

  #get(strategyId: string): Instance {
    const instance = this.#instances.get(strategyId);
    if (instance === undefined) throw new Error(`no strategy "${strategyId}" is loaded`);
    return instance;
  }

  #error(error: unknown): void {
    this.#o.onError?.(error instanceof Error ? error : new Error(String(error)));
  }
}
