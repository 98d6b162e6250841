import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { percentile, round, type BenchLine, type Suite } from '../harness.js';
import { LoadConnection } from './rpc-load.js';
import type { ServerMessage } from './rpc-server.js';

/**
 * The control socket on loopback, three servers measured in one run, each in its own child process:
 * `uws` (the JSON-RPC server on uWebSockets.js), `ws` (the same server and handlers on the ws
 * fallback) and `echo-floor` (bare uWebSockets.js echo, no JSON-RPC). Per case: requests/s at
 * saturation, p50/p99 round trip at 1,000 requests/s, and server CPU per request (the child's
 * process.cpuUsage over the saturation phase). One client process saturates before either server
 * here, so CPU per request is the comparison that means something (uws-vs-ws cpu_ratio), and the
 * floor says how much of the round trip is the transport itself (uws-vs-floor ratio_p99).
 */

const CASES = ['echo-floor', 'uws', 'ws'] as const;
type Case = (typeof CASES)[number];
const MODE: Record<Case, string> = { 'echo-floor': 'echo', uws: 'uws', ws: 'ws' };

/** A light read method, so the figures are the server and not the handler. */
const METHOD = 'strategies.params.get';
const request = (id: number) => `{"jsonrpc":"2.0","id":${id},"method":"${METHOD}","params":{"id":"sma-btc"}}`;
const WINDOW = 32;
const PACED_RATE = 1000;

interface Child {
  readonly process: ChildProcess;
  readonly port: number;
  readonly token: string;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function startChild(mode: string): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./rpc-server.js', import.meta.url)), [mode], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = <T extends ServerMessage['type']>(type: T) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (m: ServerMessage) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as Extract<ServerMessage, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${mode} server exited (${code}) before answering`)));
    });
  const { port, token } = await next('listening');
  return {
    process: child,
    port,
    token,
    async cpuMicros() {
      const reply = next('cpu');
      child.send({ type: 'cpu' });
      const { user, system } = await reply;
      return user + system;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

interface Tally {
  completed: number;
  elapsedMs: number;
  cpuMicros: number;
  rtts: number[];
}

/**
 * The phases run in rounds, the three servers taking turns within each round, so a burst of noise
 * from anything else on the machine lands on all three alike instead of skewing one case.
 */
async function measureAll(quick: boolean, progress: (m: string) => void): Promise<Record<Case, Tally>> {
  const children = {} as Record<Case, Child>;
  const connections = {} as Record<Case, LoadConnection>;
  const tally = {} as Record<Case, Tally>;
  try {
    for (const name of CASES) {
      children[name] = await startChild(MODE[name]);
      connections[name] = await LoadConnection.open(`ws://127.0.0.1:${children[name].port}/rpc`, children[name].token, request);
      tally[name] = { completed: 0, elapsedMs: 0, cpuMicros: 0, rtts: [] };
      await connections[name].saturate(quick ? 500 : 2000, WINDOW); // warm up both sides' JIT
    }
    const rounds = quick ? 3 : 8;
    for (let round = 0; round < rounds; round++) {
      for (const name of CASES) {
        const before = await children[name].cpuMicros();
        const { completed, elapsedMs } = await connections[name].saturate(1000, WINDOW);
        tally[name].cpuMicros += (await children[name].cpuMicros()) - before;
        tally[name].completed += completed;
        tally[name].elapsedMs += elapsedMs;
      }
    }
    progress(`saturation: ${rounds} rounds of 1 s per server`);
    // Short turns (200 ms) interleave finely: tails from outside noise are shared out evenly.
    for (let round = 0; round < (quick ? 20 : 50); round++) {
      for (const name of CASES) tally[name].rtts.push(...(await connections[name].paced(PACED_RATE, 200)));
    }
    for (const name of CASES) connections[name].close();
  } finally {
    for (const child of Object.values(children)) await child.stop();
  }
  return tally;
}

function linesOf(name: Case, t: Tally, progress: (m: string) => void): BenchLine[] {
  const rtts = t.rtts.sort((a, b) => a - b);
  const reqPerS = t.completed / (t.elapsedMs / 1000);
  const cpuPerReq = t.cpuMicros / t.completed;
  const [p50, p99] = [percentile(rtts, 50), percentile(rtts, 99)];
  progress(`${name}: ${Math.round(reqPerS).toLocaleString('en')} req/s, p50 ${round(p50, 1)} us, p99 ${round(p99, 1)} us at ${PACED_RATE}/s, ${round(cpuPerReq, 2)} us CPU/req`);
  const context = { method: name === 'echo-floor' ? 'echo' : METHOD, window: WINDOW, requests: t.completed };
  const line = (metric: string, value: number, unit: string): BenchLine => ({ suite: 'rpc', case: name, metric, value, unit, ...context });
  return [
    line('req_per_s', Math.round(reqPerS), 'req/s'),
    { ...line('p50_us', round(p50, 1), 'us'), rate: PACED_RATE, samples: rtts.length },
    { ...line('p99_us', round(p99, 1), 'us'), rate: PACED_RATE, samples: rtts.length },
    line('server_cpu_us_per_req', round(cpuPerReq, 3), 'us'),
  ];
}

export const rpcSuite: Suite = async ({ quick, progress }) => {
  const t = await measureAll(quick, progress);
  const cpu = (name: Case) => t[name].cpuMicros / t[name].completed;
  const rtt = (name: Case, p: number) => percentile([...t[name].rtts].sort((a, b) => a - b), p);
  const cpuRatio = cpu('uws') / cpu('ws');
  const p99Ratio = rtt('uws', 99) / rtt('echo-floor', 99);
  // Tails at 1,000 req/s are scheduler noise when the machine is busy; the load says how busy it was.
  const machine = { loadavg_1m: round(loadavg()[0] ?? 0, 2), cpus: availableParallelism() };
  return [
    ...CASES.flatMap((name) => linesOf(name, t[name], progress)),
    { suite: 'rpc', case: 'uws-vs-ws', metric: 'cpu_ratio', value: round(cpuRatio, 3), unit: 'ratio', target_max: 0.8, met: cpuRatio <= 0.8, ...machine },
    { suite: 'rpc', case: 'uws-vs-floor', metric: 'ratio_p99', value: round(p99Ratio, 3), unit: 'ratio', target_max: 1.5, met: p99Ratio <= 1.5, ...machine },
    { suite: 'rpc', case: 'uws-vs-floor', metric: 'ratio_p50', value: round(rtt('uws', 50) / rtt('echo-floor', 50), 3), unit: 'ratio', ...machine },
  ];
};
