import { createJSONRPCErrorResponse, JSONRPCServer, type JSONRPCID, type JSONRPCRequest, type JSONRPCResponse } from 'json-rpc-2.0';
import type { Logger } from '../main/audit/logger.js';
import type { ControlFacade } from '../main/control/facade.js';
import { scrubSecrets } from '../main/config/secret.js';
import type { LatencyRegistry } from '../main/metrics/latency.js';
import type { Role } from './auth.js';
import { paramProblems, rpcError, RPC_ERRORS, toRpcError, type RpcErrorName } from './errors.js';
import { METHODS, type EventSubscriber, type MethodSpec } from './methods.js';
import type { TokenBucket } from './rate-limit.js';
import type { RpcStats } from './stats.js';

/**
 * JSON-RPC 2.0 processing shared by every transport: one frame (WebSocket) or body (HTTP) in, the
 * reply text out. json-rpc-2.0 runs the methods; around it, this checks what the library takes on
 * trust (the envelope of each request, so `[null]` or `{"method":5}` get Invalid Request instead of
 * a thrown TypeError), applies the batch and rate limits and the read-only role, validates params,
 * answers batches with an array as the spec says (the library unwraps a one-reply batch), maps errors
 * to stable codes, scrubs secret values from the reply text, and times it all as stage `rpc.request`.
 */

/** One caller: a WebSocket connection, or one HTTP request. */
export interface Session {
  readonly origin: string;
  readonly role: Role;
  readonly limiter: TokenBucket;
  readonly events?: EventSubscriber;
}

export const RPC_LATENCY_STAGE = 'rpc.request';
const MAX_ID_LENGTH = 256;

export interface DispatcherOptions {
  readonly maxBatch: number;
  readonly stats: RpcStats;
  readonly latency: LatencyRegistry;
  readonly log?: Logger;
}

export class Dispatcher {
  readonly #server = new JSONRPCServer<Session>({ errorListener: () => {} });
  readonly #facade: ControlFacade;
  readonly #options: DispatcherOptions;

  constructor(facade: ControlFacade, options: DispatcherOptions) {
    this.#facade = facade;
    this.#options = options;
    for (const [name, spec] of Object.entries(METHODS)) this.#server.addMethod(name, (params, session) => this.#invoke(spec, params, session));
    this.#server.mapErrorToJSONRPCErrorResponse = (id, error) => {
      const [reply, unexpected] = toRpcError(error);
      if (unexpected) options.log?.error({ err: error }, 'rpc method failed unexpectedly');
      return createJSONRPCErrorResponse(id, reply.code, reply.message, reply.data);
    };
  }

  /** Resolves to the reply text, or undefined when there is nothing to answer (only notifications). */
  async handle(text: string, session: Session): Promise<string | undefined> {
    const started = process.hrtime.bigint();
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return this.#finish(started, errorReply(null, 'PARSE_ERROR'));
    }
    if (!Array.isArray(payload)) return this.#finish(started, await this.#one(payload, session));
    if (payload.length === 0) return this.#finish(started, errorReply(null, 'INVALID_REQUEST'));
    if (payload.length > this.#options.maxBatch) {
      this.#options.stats.limited('batch');
      return this.#finish(started, errorReply(null, 'BATCH_TOO_LARGE', { max: this.#options.maxBatch, got: payload.length }));
    }
    const replies = await Promise.all(payload.map((item) => this.#one(item, session)));
    const present = replies.filter((r): r is JSONRPCResponse => r !== null);
    return this.#finish(started, present.length === 0 ? null : present);
  }

  #one(item: unknown, session: Session): JSONRPCResponse | null | PromiseLike<JSONRPCResponse | null> {
    if (!isRequest(item)) return errorReply(validId(item) ?? null, 'INVALID_REQUEST');
    const stats = this.#options.stats;
    stats.request(Object.hasOwn(METHODS, item.method) ? item.method : 'unknown');
    if (!session.limiter.take()) {
      stats.limited('rate');
      return item.id === undefined ? null : errorReply(item.id, 'RATE_LIMITED');
    }
    return this.#server.receive(item, session);
  }

  #invoke(spec: MethodSpec, params: unknown, session: Session): unknown {
    if (session.role === 'read' && !spec.readOnly) {
      this.#options.stats.refused('forbidden');
      throw rpcError('FORBIDDEN');
    }
    if (Array.isArray(params)) throw rpcError('INVALID_PARAMS', 'Invalid params: pass params by name, as an object');
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) throw rpcError('INVALID_PARAMS', undefined, { problems: paramProblems(parsed.error) });
    return spec.call(this.#facade, parsed.data as never, { origin: session.origin, ...(session.events === undefined ? {} : { events: session.events }) });
  }

  #finish(started: bigint, reply: JSONRPCResponse | JSONRPCResponse[] | null): string | undefined {
    let text: string | undefined;
    if (reply !== null) {
      for (const r of Array.isArray(reply) ? reply : [reply]) if (r.error !== undefined) this.#options.stats.error(r.error.code);
      text = scrubSecrets(JSON.stringify(reply));
    }
    this.#options.latency.recordSince(RPC_LATENCY_STAGE, started);
    return text;
  }
}

export function errorReply(id: JSONRPCID, name: RpcErrorName, data?: unknown): JSONRPCResponse {
  const { code, message } = RPC_ERRORS[name];
  return createJSONRPCErrorResponse(id, code, message, data);
}

function isRequest(item: unknown): item is JSONRPCRequest {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const r = item as Record<string, unknown>;
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || 'result' in r || 'error' in r) return false;
  if ('id' in r && validId(r) === undefined) return false;
  return r.params === undefined || (typeof r.params === 'object' && r.params !== null);
}

/** The request's id if it is one the spec allows (and short enough to echo), else undefined. */
function validId(item: unknown): JSONRPCID | undefined {
  if (item === null || typeof item !== 'object' || !('id' in item)) return undefined;
  const id = (item as { id: unknown }).id;
  if (id === null || (typeof id === 'number' && Number.isFinite(id))) return id;
  return typeof id === 'string' && id.length <= MAX_ID_LENGTH ? id : undefined;
}
