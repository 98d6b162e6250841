import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/*
 * The tick clock of the latency bench: a thread of its own that posts "tick i" to the main thread at
 * exact times, the way a socket delivers market data to an engine that is idle between messages.
 * Why not pace on the main thread itself: timers there are 1 ms coarse, and spinning on setImmediate
 * keeps the main thread (one of two cores here) at 100%, allocating a promise per turn. That garbage
 * made the main thread scavenge every ~20 ms, and those pauses, not the path measured, were the p99.
 * This thread sleeps in Atomics.wait until each tick is due and never spins: a spin allocates (a BigInt
 * or a boxed double a turn), and this thread's scavenges then borrowed the cores the measured path runs
 * on. Atomics.wait wakes tens of µs late here; that shifts when a tick is sent, not what is measured
 * (from dispatch to intents), and due times are absolute, so the rate stays 1,000/s.
 */

interface ClockPlan {
  readonly startNs: number;
  readonly periodNs: number;
  /** Posts per period, evenly spaced: 2 sends the tick, then the floor's echo half a period later. */
  readonly phases: number;
  readonly count: number;
}

function run(plan: ClockPlan): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  // Due times come in the process-wide hrtime clock; moved to this thread's performance.now once.
  const offsetMs = performance.now() - Number(process.hrtime.bigint()) / 1e6;
  const stepMs = plan.periodNs / plan.phases / 1e6;
  const startMs = plan.startNs / 1e6 + offsetMs;
  for (let n = 0; n < plan.count * plan.phases; n++) {
    const early = startMs + n * stepMs - performance.now();
    if (early > 0) Atomics.wait(sleeper, 0, 0, early);
    parentPort!.postMessage(n);
  }
  parentPort!.postMessage(-1);
}

if (!isMainThread && (workerData as { tickClock?: ClockPlan } | undefined)?.tickClock !== undefined) run((workerData as { tickClock: ClockPlan }).tickClock);

/**
 * Calls `onPhase(i, phase)` for i in [0, count) and each phase in [0, phases), `periodNs` apart per i,
 * from the clock thread; resolves once the last has run.
 */
export async function tickClock(count: number, periodNs: number, phases: number, onPhase: (i: number, phase: number) => void): Promise<void> {
  const plan: ClockPlan = { startNs: Number(process.hrtime.bigint()) + 50_000_000, periodNs, phases, count };
  const clock = new Worker(new URL(import.meta.url), { workerData: { tickClock: plan } });
  try {
    await new Promise<void>((resolve, reject) => {
      clock.on('message', (n: number) => {
        if (n < 0) resolve();
        else onPhase(Math.floor(n / phases), n % phases);
      });
      clock.once('error', reject);
      clock.once('exit', (code) => reject(new Error(`tick clock exited with ${code} before the last tick`)));
    });
  } finally {
    clock.removeAllListeners('exit');
    await clock.terminate();
  }
}
