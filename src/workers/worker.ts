import { randomBytes } from 'node:crypto';
import { threadId, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { LiveClock } from '../core/clock.js';
import { InvariantError } from '../core/errors.js';
import { assertProtocolVersion, PROTOCOL_VERSION, type AttachReply, type AttachTask, type HotReply, type HotRequest, type LoadResult, type RunnerOutput, type RunnerSnapshot, type StrategySpec, type WorkerControl } from './protocol.js';
import type { RiskLimitsSnapshot } from './risk/precheck.js';
import { decodeBatch } from './event-codec.js';
import { appendOutput, closeResult, openResult } from './result-codec.js';
import { resolveStrategy } from './strategies/registry.js';
import { StrategyRunner } from './strategies/runner.js';

/**
 * The piscina worker that hosts strategy instances. piscina runs one task here, `attach`, which checks
 * the protocol version and takes the hot and control ports; from then on the instances live in this
 * thread's memory and events arrive on the hot port, in order, so each instance sees its events one at a
 * time in the order the host sent them. What a hook throws cannot kill the thread: the runner catches
 * it. Only the end of the thread itself (out of memory, process.exit or an uncaught asynchronous throw in
 * a plug-in, the host's watchdog ending a hook stuck in a loop) loses the instances, and the host then
 * restores them from their snapshots on the replacement thread.
 */

const workerId = `${threadId}.${randomBytes(4).toString('hex')}`;
const clock = new LiveClock();
const runners = new Map<string, StrategyRunner>();
let limits: RiskLimitsSnapshot | undefined;
let hot: MessagePort | undefined;

function runnerFor(strategyId: string): StrategyRunner {
  const runner = runners.get(strategyId);
  if (runner === undefined) throw new InvariantError(`no strategy "${strategyId}" on worker ${workerId}`, { strategyId });
  return runner;
}

function hasContent(o: RunnerOutput): boolean {
  return o.intents.length > 0 || o.denials.length > 0 || o.errors.length > 0 || o.logs.length > 0 || o.snapshot !== undefined;
}

function onHot(message: HotRequest): void {
  const port = hot!;
  if (message.t === 'echo') {
    port.postMessage({ t: 'echo', seq: message.seq, payload: message.payload } satisfies HotReply);
    return;
  }
  const result = openResult(message.seq, Number(process.hrtime.bigint()));
  let riskNs = 0;
  decodeBatch(message.batch, (to, event) => {
    for (const id of to) {
      const runner = runners.get(id);
      // Unloaded between the host's send and now: its events are moot.
      if (runner === undefined) continue;
      runner.riskNs = 0;
      const out = runner.handle(event);
      riskNs += runner.riskNs;
      if (hasContent(out)) appendOutput(result, out);
    }
  });
  closeResult(result, Number(process.hrtime.bigint()), riskNs);
  port.postMessage(result satisfies HotReply);
}

const control: WorkerControl = {
  async load(spec: StrategySpec, snapshot?: RunnerSnapshot): Promise<LoadResult> {
    if (runners.has(spec.strategyId)) throw new InvariantError(`strategy "${spec.strategyId}" is already loaded on worker ${workerId}`);
    const runner = new StrategyRunner(await resolveStrategy(spec.name, spec.module), spec, clock);
    runner.limits = limits;
    const restoreFailure = snapshot === undefined ? undefined : runner.restore(snapshot);
    runners.set(spec.strategyId, runner);
    const output = runner.start();
    return restoreFailure === undefined ? { output } : { output, restoreFailure };
  },
  async unload(strategyId: string): Promise<RunnerOutput> {
    const output = runnerFor(strategyId).stop();
    runners.delete(strategyId);
    return output;
  },
  async state(strategyId: string): Promise<RunnerSnapshot> {
    return runnerFor(strategyId).snapshot();
  },
  async setParams(strategyId: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    runnerFor(strategyId).setParams(changes);
  },
  async setRiskLimits(next: RiskLimitsSnapshot | undefined): Promise<void> {
    limits = next;
    for (const runner of runners.values()) runner.limits = next;
  },
  async list(): Promise<string[]> {
    return [...runners.keys()].sort();
  },
};

/** The piscina task handler: the handshake. Rejects (and attaches nothing) on a version mismatch. */
export default function attach(task: AttachTask): AttachReply {
  assertProtocolVersion(task.protocolVersion, 'worker');
  // A second attach on the same thread (host restarted its side) replaces the ports.
  hot?.close();
  hot = task.hot;
  hot.on('message', onHot);
  Comlink.expose(control, task.control as unknown as Comlink.Endpoint);
  return { type: 'attached', protocolVersion: PROTOCOL_VERSION, workerId, threadId };
}
