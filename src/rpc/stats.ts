/**
 * Counters of the control plane, for /metrics and tests. Every refusal and every limit that trips is
 * counted by kind, so an operator can tell an attack or a runaway script from a quiet socket.
 */

export type RefusalKind = 'unauthorized' | 'forbidden' | 'not_loopback';
export type LimitKind = 'frame' | 'body' | 'batch' | 'rate' | 'connections' | 'slow_consumer' | 'binary';

export class RpcStats {
  /** Requests by method name; names outside the method table are counted as "unknown" to bound labels. */
  readonly requests = new Map<string, number>();
  /** Error replies by JSON-RPC code. */
  readonly errors = new Map<number, number>();
  readonly refusals: Record<RefusalKind, number> = { unauthorized: 0, forbidden: 0, not_loopback: 0 };
  readonly limits: Record<LimitKind, number> = { frame: 0, body: 0, batch: 0, rate: 0, connections: 0, slow_consumer: 0, binary: 0 };
  /** WebSocket connections open now, and accepted since start. */
  openConnections = 0;
  acceptedConnections = 0;
  httpRequests = 0;
  notifications = 0;

  request(method: string): void {
    this.requests.set(method, (this.requests.get(method) ?? 0) + 1);
  }

  error(code: number): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  refused(kind: RefusalKind): void {
    this.refusals[kind]++;
  }

  limited(kind: LimitKind): void {
    this.limits[kind]++;
  }
}
