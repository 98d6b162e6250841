import type { MessagePort } from 'node:worker_threads';
import { OspreyError } from '../core/errors.js';
import type { OspreyEvent } from '../core/events.js';
import type { Position } from '../core/types.js';
import type { RiskDenial, RiskLimitsSnapshot } from './risk/precheck.js';
import type { OrderView, StrategyIntent } from './strategies/api.js';
import type { ExitState } from './strategies/exits.js';

/**
 * Every message that crosses the boundary between the main thread and a strategy worker, in one file.
 * Three channels per worker:
 * - the piscina task: `AttachTask` -> `AttachReply`, once per worker thread; it carries the version
 *   check and hands the worker the two ports below (piscina owns the thread: start, replace, close);
 * - the hot port: market, fill and order events in batches one way, intents the other way. A plain
 *   MessagePort because it is the fastest channel measured here (1,000 round trips/s, same payload, p50):
 *   MessagePort ~25-30 us, piscina.run ~53 us (atomics disabled) to ~74 us (default), and a
 *   SharedArrayBuffer with Atomics.wait in the worker and Atomics.waitAsync on the main thread ~90 us;
 * - the control port: comlink calls (`WorkerControl`), for the rare calls that want request/response.
 *
 * Bump PROTOCOL_VERSION on any change below, or to the wire layouts in event-codec.ts and
 * result-codec.ts. Both sides check it at attach and refuse a mismatch, since a stale dist/ worker would
 * otherwise misread every message rather than fail.
 */
export const PROTOCOL_VERSION = 3;

/** What the host asks to run: one entry of `strategies[]` in the config. */
export interface StrategySpec {
  readonly strategyId: string;
  readonly name: string;
  readonly instrument: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** file: URL of a plug-in's compiled module; built-ins have none. */
  readonly module?: string;
}

export interface HookFailure {
  readonly code: 'STRATEGY_FAILED';
  readonly hook: string;
  readonly message: string;
}

/** What one event produced. Plain data: it crosses the thread boundary as is. */
export interface RunnerOutput {
  readonly strategyId: string;
  readonly intents: StrategyIntent[];
  readonly denials: RiskDenial[];
  readonly errors: HookFailure[];
  readonly logs: { level: 'debug' | 'info' | 'warn'; message: string; fields?: Record<string, unknown> }[];
  /** Present after a fill: the state to persist, taken right after the fill changed it. */
  snapshot?: RunnerSnapshot;
}

export interface RunnerSnapshot {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly position: Position;
  readonly openedAt: number | undefined;
  readonly orders: OrderView[];
  readonly exit: ExitState;
  readonly strategy: unknown;
}

export interface AttachTask {
  readonly type: 'attach';
  readonly protocolVersion: number;
  readonly hot: MessagePort;
  readonly control: MessagePort;
}

export interface AttachReply {
  readonly type: 'attached';
  readonly protocolVersion: number;
  /** Unique per worker thread life: a different id after a crash tells the host it lost state. */
  readonly workerId: string;
  readonly threadId: number;
}

/** One event for some of the strategies on this worker (the host routes; the worker does not filter). */
export interface BatchItem {
  readonly to: readonly string[];
  readonly event: OspreyEvent;
}

/**
 * BatchItems on the hot port, in columns (event-codec.ts has the layout and the why): `count` items;
 * their numbers in `nums`, their strings in `strs`, events without a columnar form in `events`, and the
 * distinct target lists in `targets`.
 */
export interface WireBatch {
  readonly count: number;
  readonly nums: readonly number[];
  readonly strs: readonly string[];
  readonly events: readonly OspreyEvent[];
  readonly targets: readonly (readonly string[])[];
}

/** Host -> worker on the hot port. */
export type HotRequest =
  /** `sentNs`: process.hrtime at send, one clock for all threads of the process, for the to-worker stage. */
  | { readonly t: 'batch'; readonly seq: number; readonly sentNs: number; readonly batch: WireBatch }
  /** Sent straight back, payload and all: the raw round trip on this very port, the bench's floor. */
  | { readonly t: 'echo'; readonly seq: number; readonly sentNs: number; readonly payload?: unknown };

/** Worker -> host on the hot port: an echo sent back, or the result of a batch. */
export type HotReply = { readonly t: 'echo'; readonly seq: number; readonly payload?: unknown } | WireResult;

/**
 * The result of one batch as one flat array (result-codec.ts writes and reads it):
 * [seq, recvNs, doneNs, riskNs] (when the worker picked the batch up and finished it, on the same clock
 * as the request's `sentNs`, and the time inside the risk pre-check, part of doneNs - recvNs), then for
 * each instance whose event produced something: its id, its intent count, its intents laid end to end
 * (submit: 's', clientOrderId, side 0 buy | 1 sell, market 0|1, size, price, tif, reduceOnly 0|1,
 * postOnly 0|1, createdAt, slippageBps or -1; cancel: 'c', clientOrderId; amend: 'a', clientOrderId,
 * price or null, size or null), and its rare parts as one `WireResultExtras`, or 0 when it has none.
 * Why flat: every tick's reply carries intents, and the structured clone writes every key of every
 * object and every nested array; intents as objects cost about as much as the whole round trip of the
 * tick, and nested tuples (protocol 2) still cost several µs more per reply than this flat array on
 * this machine (bench `latency`).
 */
export type WireResult = (string | number | null | WireResultExtras)[];

export interface WireResultExtras {
  readonly d?: readonly RiskDenial[];
  readonly e?: readonly HookFailure[];
  readonly l?: RunnerOutput['logs'];
  readonly s?: RunnerSnapshot;
}

export interface LoadResult {
  /** What onStart returned. */
  readonly output: RunnerOutput;
  /** Set when a snapshot was given but the strategy's restore threw: it runs from empty state. */
  readonly restoreFailure?: HookFailure;
}

/** The control API a worker serves over comlink. Every method rejects with the error's message on failure. */
export interface WorkerControl {
  /** Creates (and with a snapshot, restores) an instance, then calls onStart. Rejects on bad params. */
  load(spec: StrategySpec, snapshot?: RunnerSnapshot): Promise<LoadResult>;
  /** Calls onStop and forgets the instance. */
  unload(strategyId: string): Promise<RunnerOutput>;
  state(strategyId: string): Promise<RunnerSnapshot>;
  setParams(strategyId: string, changes: Readonly<Record<string, unknown>>): Promise<void>;
  /** The limits and account positions the pre-check uses, for every instance on the worker. */
  setRiskLimits(limits: RiskLimitsSnapshot | undefined): Promise<void>;
  list(): Promise<string[]>;
}

/** Throws WORKER_PROTOCOL_MISMATCH unless `got` is this build's version; `side` says who noticed. */
export function assertProtocolVersion(got: unknown, side: 'worker' | 'host'): void {
  if (got !== PROTOCOL_VERSION) {
    throw new OspreyError('WORKER_PROTOCOL_MISMATCH', `${side} speaks worker protocol ${PROTOCOL_VERSION}, the other side ${String(got)}; rebuild so both come from one build`, { expected: PROTOCOL_VERSION, got });
  }
}
