import { FaultInjector } from '../../../../src/sim/engine/faults.js';
import { NO_FAULTS, type HttpFault, type TransportFaults, type WsFault } from '../../../../src/sim/hyperliquid/transport-faults.js';

/**
 * The simulator's transport faults, switchable mid-test: none, a seeded FaultInjector (same seed, same
 * faults), or a fixed answer (every request 429). Also counts what reached the "venue", so tests can
 * show that an open breaker sends no flood.
 */
export class SwitchableFaults implements TransportFaults {
  #current: TransportFaults = NO_FAULTS;
  #http: HttpFault | undefined;
  #ws: WsFault | undefined;
  #lifetimeMs: number | undefined;
  httpRequests = 0;
  connections = 0;

  /** Seeded faults from a spec such as "dup=0.5,reorder=0.3". */
  seeded(spec: string, seed: number): void {
    this.#current = new FaultInjector(spec, seed);
  }

  /** Every HTTP request gets this answer until cleared. */
  everyHttp(fault: HttpFault | undefined): void {
    this.#http = fault;
  }

  /** Every outgoing WebSocket message gets this fate until cleared. */
  everyWs(fault: WsFault | undefined): void {
    this.#ws = fault;
  }

  /** Each new WebSocket connection is cut after this many ms, until cleared. */
  connectionLifetime(ms: number | undefined): void {
    this.#lifetimeMs = ms;
  }

  clear(): void {
    this.#current = NO_FAULTS;
    this.#http = undefined;
    this.#ws = undefined;
    this.#lifetimeMs = undefined;
  }

  latencyMs(): number {
    return this.#current.latencyMs();
  }

  httpFault(): HttpFault {
    this.httpRequests++;
    return this.#http ?? this.#current.httpFault();
  }

  wsFault(): WsFault {
    return this.#ws ?? this.#current.wsFault();
  }

  connectionLifetimeMs(): number | undefined {
    this.connections++;
    return this.#lifetimeMs ?? this.#current.connectionLifetimeMs();
  }
}
