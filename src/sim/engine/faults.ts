import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { seededRandom } from '../../core/random.js';

/**
 * Seeded fault decisions for the simulated venue's transport (`osprey sim --faults SPEC --seed N`). The
 * server applies them; this module only decides, deterministically: the same seed and spec give the same
 * sequence of decisions, and each kind of decision draws from its own stream, so adding latency to a spec
 * does not change which HTTP requests fail.
 *
 * SPEC is comma-separated key=value pairs, e.g.
 *   latency=20-80ms,drop=0.01,dup=0.01,reorder=0.01,disconnect=30s,http429=0.05,http5xx=0.02,timeout=0.01
 * - latency: extra delay per reply or message, "N" or "MIN-MAX" with unit ms or s (uniform, whole ms);
 * - drop, dup, reorder: probability that an outgoing WebSocket message is lost, sent twice, or held back
 *   behind its successor (one outcome per message, so they must sum to at most 1);
 * - http429, http5xx, timeout: probability that an HTTP request is answered 429, 5xx, or never (at most 1
 *   together);
 * - disconnect: lifetime of each WebSocket connection before the server cuts it, "N" or "MIN-MAX" with unit
 *   ms, s or m.
 * "" or "none" means no faults.
 */

export type HttpFaultKind = 'none' | 'http429' | 'http5xx' | 'timeout';
export type WsFaultKind = 'none' | 'drop' | 'dup' | 'reorder';

export interface FaultSpec {
  readonly latencyMs: readonly [number, number];
  readonly drop: number;
  readonly dup: number;
  readonly reorder: number;
  readonly http429: number;
  readonly http5xx: number;
  readonly timeout: number;
  readonly disconnectMs: readonly [number, number] | undefined;
}

export const NO_FAULT_SPEC: FaultSpec = { latencyMs: [0, 0], drop: 0, dup: 0, reorder: 0, http429: 0, http5xx: 0, timeout: 0, disconnectMs: undefined };

const PROBABILITIES = ['drop', 'dup', 'reorder', 'http429', 'http5xx', 'timeout'] as const;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };
const DURATION = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?(ms|s|m)$/;

/** Parses SPEC; every problem is reported at once as a ConfigError (path "faults.<key>"). */
export function parseFaultSpec(spec: string): FaultSpec {
  const text = spec.trim();
  if (text === '' || text === 'none') return NO_FAULT_SPEC;
  const problems: ConfigProblem[] = [];
  const result: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = { ...NO_FAULT_SPEC };
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const [key = '', value, ...extra] = part.trim().split('=');
    const path = `faults.${key}`;
    if (value === undefined || extra.length > 0 || value === '') {
      problems.push({ path, message: `expected key=value, got ${JSON.stringify(part.trim())}` });
      continue;
    }
    if (seen.has(key)) problems.push({ path, message: 'given twice' });
    seen.add(key);
    if ((PROBABILITIES as readonly string[]).includes(key)) {
      const p = Number(value);
      if (!/^\d*\.?\d+$/.test(value) || !(p >= 0 && p <= 1)) problems.push({ path, message: `expected a probability from 0 to 1, got ${JSON.stringify(value)}` });
      else result[key as (typeof PROBABILITIES)[number]] = p;
    } else if (key === 'latency' || key === 'disconnect') {
      const range = parseDuration(value, key === 'latency' ? ['ms', 's'] : ['ms', 's', 'm']);
      if (typeof range === 'string') problems.push({ path, message: range });
      else if (key === 'latency') result.latencyMs = range;
      else if (range[1] <= 0) problems.push({ path, message: 'a connection lifetime must be longer than 0' });
      else result.disconnectMs = range;
    } else {
      problems.push({ path, message: `unknown fault; known: latency, ${PROBABILITIES.join(', ')}, disconnect` });
    }
  }
  if (result.drop + result.dup + result.reorder > 1) problems.push({ path: 'faults.drop', message: 'drop + dup + reorder must not exceed 1' });
  if (result.http429 + result.http5xx + result.timeout > 1) problems.push({ path: 'faults.http429', message: 'http429 + http5xx + timeout must not exceed 1' });
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
}

function parseDuration(value: string, units: readonly string[]): readonly [number, number] | string {
  const match = DURATION.exec(value);
  const unit = match?.[3];
  if (match === null || unit === undefined || !units.includes(unit)) return `expected N or MIN-MAX with a unit (${units.join(', ')}), e.g. 20-80ms, got ${JSON.stringify(value)}`;
  const scale = UNIT_MS[unit]!;
  const low = Math.round(Number(match[1]) * scale);
  const high = match[2] === undefined ? low : Math.round(Number(match[2]) * scale);
  return low > high ? `range ${value} runs backwards` : [low, high];
}


/** Decision streams, one per kind, each seeded from the user's seed and its own constant. */
const STREAM = { latency: 0x1a7e, http: 0x4774, ws: 0x7773, disconnect: 0xd15c } as const;

type FaultCounts = Record<'latency' | Exclude<HttpFaultKind | WsFaultKind, 'none'> | 'disconnect', number>;

export class FaultInjector {
  readonly spec: FaultSpec;
  readonly #rng: { readonly [K in keyof typeof STREAM]: () => number };
  readonly #counts: FaultCounts = { latency: 0, drop: 0, dup: 0, reorder: 0, http429: 0, http5xx: 0, timeout: 0, disconnect: 0 };

  constructor(spec: FaultSpec | string, seed = 1) {
    if (!Number.isSafeInteger(seed)) throw new ConfigError([{ path: 'seed', message: `must be an integer, got ${seed}` }]);
    this.spec = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
    const base = Number(BigInt.asUintN(32, BigInt(seed)));
    this.#rng = {
      latency: seededRandom(base ^ STREAM.latency),
      http: seededRandom(base ^ (STREAM.http << 16)),
      ws: seededRandom(base ^ (STREAM.ws << 8)),
      disconnect: seededRandom(base ^ (STREAM.disconnect << 12)),
    };
  }

  /** Extra delay (whole ms) before one reply or message goes out. */
  latencyMs(): number {
    const [low, high] = this.spec.latencyMs;
    if (high === 0) return 0;
    const ms = low + Math.floor(this.#rng.latency() * (high - low + 1));
    if (ms > 0) this.#counts.latency += 1;
    return ms;
  }

  httpFault(): HttpFaultKind {
    const { http429, http5xx, timeout } = this.spec;
    return this.#pick(this.#rng.http(), [['http429', http429], ['http5xx', http5xx], ['timeout', timeout]]);
  }

  wsFault(): WsFaultKind {
    const { drop, dup, reorder } = this.spec;
    return this.#pick(this.#rng.ws(), [['drop', drop], ['dup', dup], ['reorder', reorder]]);
  }

  /** How long a new WebSocket connection lives before the server cuts it; undefined for never. */
  connectionLifetimeMs(): number | undefined {
    const range = this.spec.disconnectMs;
    if (range === undefined) return undefined;
    this.#counts.disconnect += 1;
    return range[0] + Math.floor(this.#rng.disconnect() * (range[1] - range[0] + 1));
  }

  /** Faults decided so far, by kind (latency counts delayed items; disconnect counts scheduled cuts). */
  counts(): Readonly<Record<string, number>> {
    return { ...this.#counts };
  }

  #pick<K extends keyof FaultCounts>(draw: number, outcomes: readonly (readonly [K, number])[]): K | 'none' {
    let edge = 0;
    for (const [kind, p] of outcomes) {
      edge += p;
      if (draw < edge) {
        this.#counts[kind] += 1;
        return kind;
      }
    }
    return 'none';
  }
}
