import type { EventLoopDelay } from '../metrics/event-loop.js';

/**
 * What `health.get` and GET /health answer until the Health Checker (src/main/health) exists: the
 * lifecycle state of every component, event-loop delay and memory, folded into one status word.
 * `failing`: the engine or a component is failed, stopped or stopping; `degraded`: something is
 * degraded or starting, or the event loop stalls beyond the threshold; `ok` otherwise.
 */

export type HealthStatus = 'ok' | 'degraded' | 'failing';

export interface HealthReport {
  readonly status: HealthStatus;
  readonly engine: string;
  readonly components: readonly { name: string; state: string; reason?: string }[];
  readonly eventLoop: EventLoopDelay & { readonly thresholdMs: number };
  readonly memory: { readonly rssMb: number; readonly heapUsedMb: number };
  /** Why the status is not ok, one line each. */
  readonly problems: readonly string[];
  /** Checks that land with the Health Checker component (WS ping latency, API uptime, disk, queues). */
  readonly pending: readonly string[];
}

/** p99 event-loop delay above this makes the engine degraded: every timer and socket is late by it. */
export const EVENT_LOOP_P99_THRESHOLD_MS = 100;

const FAILING = new Set(['failed', 'stopped', 'stopping']);
const DEGRADED = new Set(['degraded', 'starting']);

export function healthReport(
  engine: { state: string; components: readonly { name: string; state: string; reason?: string }[] },
  eventLoop: EventLoopDelay,
  memory: NodeJS.MemoryUsage = process.memoryUsage(),
): HealthReport {
  const problems: string[] = [];
  let status: HealthStatus = 'ok';
  const worsen = (to: HealthStatus, problem: string) => {
    problems.push(problem);
    if (to === 'failing' || status === 'ok') status = to;
  };
  for (const c of [{ name: 'engine', state: engine.state }, ...engine.components]) {
    const reason = 'reason' in c && c.reason !== undefined ? ` (${c.reason})` : '';
    if (FAILING.has(c.state)) worsen('failing', `${c.name} is ${c.state}${reason}`);
    else if (DEGRADED.has(c.state)) worsen('degraded', `${c.name} is ${c.state}${reason}`);
  }
  if (eventLoop.p99Ms > EVENT_LOOP_P99_THRESHOLD_MS) {
    worsen('degraded', `event-loop delay p99 ${eventLoop.p99Ms} ms exceeds ${EVENT_LOOP_P99_THRESHOLD_MS} ms`);
  }
  const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  return {
    status,
    engine: engine.state,
    components: engine.components,
    eventLoop: { ...eventLoop, thresholdMs: EVENT_LOOP_P99_THRESHOLD_MS },
    memory: { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed) },
    problems,
    pending: ['venue ws ping latency', 'venue api uptime and latency', 'disk space', 'worker queue length'],
  };
}
