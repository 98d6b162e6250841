import { BlockList } from 'node:net';
import type { Logger } from '../main/audit/logger.js';
import type { ControlFacade } from '../main/control/facade.js';
import type { Role, TokenAuthority } from './auth.js';
import { Dispatcher, errorReply, type Session } from './dispatcher.js';
import type { RpcErrorName } from './errors.js';
import { PROMETHEUS_CONTENT_TYPE, metricsText } from './metrics-text.js';
import { KeyedBuckets, TokenBucket } from './rate-limit.js';
import { RpcStats } from './stats.js';
import { SubscriptionHub } from './subscriptions.js';
import { WsSession, type WsIo } from './ws-session.js';

/**
 * Everything the two transports (uWebSockets.js, ws) share, so they behave the same: admission of a
 * connection or request (loopback, token, connection count), the sessions, and the answers of every
 * route. A transport only moves bytes and calls these.
 */

export interface RpcLimits {
  readonly maxConnections: number;
  readonly maxFrameBytes: number;
  readonly maxBatch: number;
  readonly requestsPerSecond: number;
  /** Unread bytes a client may have queued before it is dropped as a slow consumer. */
  readonly maxBufferedBytes: number;
  readonly allowNonLoopback: boolean;
}

export interface HttpReply {
  readonly status: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Close the connection after answering (a refused or oversized request). */
  readonly close?: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export function isLoopbackAddress(address: string): boolean {
  try {
    return LOOPBACK.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
  } catch {
    return false; // not an address at all
  }
}

export class ServerCore {
  readonly stats = new RpcStats();
  readonly facade: ControlFacade;
  readonly limits: RpcLimits;
  readonly hub: SubscriptionHub;
  readonly dispatcher: Dispatcher;
  readonly log: Logger | undefined;
  readonly #auth: TokenAuthority;
  readonly #httpBuckets: KeyedBuckets;
  readonly #sessions = new Set<WsSession>();
  readonly #lastWarned = new Map<string, { at: number; suppressed: number }>();
  #nextSession = 1;

  constructor(facade: ControlFacade, auth: TokenAuthority, limits: RpcLimits, log?: Logger) {
    this.facade = facade;
    this.limits = limits;
    this.log = log;
    this.#auth = auth;
    this.hub = new SubscriptionHub(facade, limits.maxBufferedBytes, this.stats);
    this.dispatcher = new Dispatcher(facade, { maxBatch: limits.maxBatch, stats: this.stats, latency: facade.latency, ...(log === undefined ? {} : { log }) });
    this.#httpBuckets = new KeyedBuckets(() => new TokenBucket(limits.requestsPerSecond));
  }

  /**
   * Admits a WebSocket upgrade or an HTTP request: the peer must be on this machine (unless allowed
   * otherwise) and present a valid token. A refusal says only what was refused, nothing of the engine.
   */
  admit(authorization: string | undefined, remoteAddress: string): Role | HttpReply {
    const beyond = this.#beyondLoopback(remoteAddress);
    if (beyond !== undefined) return beyond;
    const role = this.#auth.roleOf(authorization);
    if (role === undefined) {
      this.stats.refused('unauthorized');
      this.#warn('unauthorized', remoteAddress);
      return { ...refusal('401 Unauthorized', 'UNAUTHORIZED'), headers: { ...JSON_TYPE, 'www-authenticate': 'Bearer' } };
    }
    return role;
  }

  /** Room for one more WebSocket connection? Counts the refusal when not. */
  roomForConnection(): HttpReply | undefined {
    if (this.stats.openConnections < this.limits.maxConnections) return undefined;
    this.stats.limited('connections');
    this.#warn('too many connections', '');
    return refusal('503 Service Unavailable', 'TOO_MANY_CONNECTIONS');
  }

  openWs(role: Role, io: WsIo): WsSession {
    const session = new WsSession(`ws#${this.#nextSession++}`, role, new TokenBucket(this.limits.requestsPerSecond), io, this);
    this.#sessions.add(session);
    this.stats.openConnections++;
    this.stats.acceptedConnections++;
    return session;
  }

  closedWs(session: WsSession): void {
    if (!this.#sessions.delete(session)) return;
    this.stats.openConnections--;
    this.hub.remove(session);
  }

  /** Every open session, for a transport closing down. */
  sessions(): WsSession[] {
    return [...this.#sessions];
  }

  /** POST /rpc once the body is read; `role` came from `admit`. */
  async rpcPost(body: string, role: Role, remoteAddress: string): Promise<HttpReply> {
    this.stats.httpRequests++;
    const session: Session = { origin: `http@${remoteAddress}`, role, limiter: this.#httpBuckets.for(remoteAddress) };
    const reply = await this.dispatcher.handle(body, session);
    return reply === undefined ? { status: '204 No Content', headers: {}, body: '' } : { status: '200 OK', headers: JSON_TYPE, body: reply };
  }

  /** A body over maxFrameBytes: answered and the connection closed, so the rest is never read. */
  bodyTooLarge(): HttpReply {
    this.stats.limited('body');
    return { ...refusal('413 Payload Too Large', 'FRAME_TOO_LARGE', { max: this.limits.maxFrameBytes }), close: true };
  }

  /** GET /health: the status word for anyone on this machine (probes), the full report with a token. */
  health(authorization: string | undefined, remoteAddress: string): HttpReply {
    this.stats.httpRequests++;
    const beyond = this.#beyondLoopback(remoteAddress);
    if (beyond !== undefined) return beyond;
    const report = this.facade.health();
    const status = report.status === 'failing' ? '503 Service Unavailable' : '200 OK';
    const full = this.#auth.roleOf(authorization) !== undefined;
    return { status, headers: JSON_TYPE, body: JSON.stringify(full ? report : { status: report.status }) };
  }

  /** GET /metrics, for any valid token (read-only ones included). */
  async metrics(authorization: string | undefined, remoteAddress: string): Promise<HttpReply> {
    this.stats.httpRequests++;
    const admitted = this.admit(authorization, remoteAddress);
    if (typeof admitted !== 'string') return admitted;
    return { status: '200 OK', headers: { 'content-type': PROMETHEUS_CONTENT_TYPE }, body: await metricsText(this.facade, this.stats, this.hub.size) };
  }

  /** The refusal for a peer beyond this machine when that is not allowed, else undefined. */
  #beyondLoopback(remoteAddress: string): HttpReply | undefined {
    if (this.limits.allowNonLoopback || isLoopbackAddress(remoteAddress)) return undefined;
    this.stats.refused('not_loopback');
    this.#warn('not loopback', remoteAddress);
    return refusal('403 Forbidden', 'NOT_LOOPBACK');
  }

  /** Refusals are logged, at most one line per kind every 10 s (a flood must not flood the log too). */
  #warn(kind: string, remoteAddress: string): void {
    const now = Date.now();
    const last = this.#lastWarned.get(kind);
    if (last !== undefined && now - last.at < 10_000) {
      last.suppressed++;
      return;
    }
    this.log?.warn({ refusal: kind, remote: remoteAddress, suppressedSinceLast: last?.suppressed ?? 0 }, `rpc refused: ${kind}`);
    this.#lastWarned.set(kind, { at: now, suppressed: 0 });
  }

  notFound(): HttpReply {
    this.stats.httpRequests++;
    return { status: '404 Not Found', headers: { 'content-type': 'text/plain' }, body: 'not found: use POST /rpc, GET /health or GET /metrics\n' };
  }
}

/** A fixed JSON-RPC error body: the same bytes for every refused caller. */
export function refusal(status: string, name: RpcErrorName, data?: unknown): HttpReply {
  return { status, headers: JSON_TYPE, body: JSON.stringify(errorReply(null, name, data)), close: status.startsWith('401') || status.startsWith('403') };
}
