import { JSONRPCErrorException } from 'json-rpc-2.0';
import * as z from 'zod';
import { OspreyError } from '../core/errors.js';
import { ControlError, type ControlErrorCode } from '../main/control/errors.js';
import { scrubSecrets } from '../main/config/secret.js';

/**
 * JSON-RPC error codes, stable: clients and scripts branch on them. -32700..-32603 are the spec's own;
 * -32001.. are Osprey's. A refusal (auth, limits) carries a fixed message and nothing about the engine.
 */
export const RPC_ERRORS = {
  PARSE_ERROR: { code: -32700, message: 'Parse error' },
  INVALID_REQUEST: { code: -32600, message: 'Invalid Request' },
  METHOD_NOT_FOUND: { code: -32601, message: 'Method not found' },
  INVALID_PARAMS: { code: -32602, message: 'Invalid params' },
  INTERNAL: { code: -32603, message: 'Internal error' },
  UNAUTHORIZED: { code: -32001, message: 'Unauthorized' },
  /** A read-only token called a method that changes something. */
  FORBIDDEN: { code: -32002, message: 'Forbidden: this token may only call read methods' },
  RATE_LIMITED: { code: -32003, message: 'Rate limited: too many requests on this connection' },
  /** The component serving the method is not built yet; data.component names it. */
  NOT_AVAILABLE: { code: -32004, message: 'Not available' },
  NOT_FOUND: { code: -32005, message: 'Not found' },
  /** The engine or a component it needs is not running (starting, stopping). */
  UNAVAILABLE: { code: -32006, message: 'Unavailable' },
  BATCH_TOO_LARGE: { code: -32007, message: 'Batch too large' },
  FRAME_TOO_LARGE: { code: -32008, message: 'Request too large' },
  TOO_MANY_CONNECTIONS: { code: -32009, message: 'Too many connections' },
  /** subscribe/unsubscribe over HTTP: notifications need a WebSocket. */
  NEEDS_WEBSOCKET: { code: -32010, message: 'This method needs a WebSocket connection' },
  NOT_LOOPBACK: { code: -32011, message: 'Forbidden: connections from beyond this machine are not allowed' },
} as const;

export type RpcErrorName = keyof typeof RPC_ERRORS;

const BY_CONTROL_CODE: Record<ControlErrorCode, RpcErrorName> = {
  INVALID_PARAMS: 'INVALID_PARAMS',
  NOT_FOUND: 'NOT_FOUND',
  NOT_AVAILABLE: 'NOT_AVAILABLE',
  UNAVAILABLE: 'UNAVAILABLE',
};

/** An error reply with the fixed message of `name`, or `message` when given (already safe to show). */
export function rpcError(name: RpcErrorName, message?: string, data?: unknown): JSONRPCErrorException {
  const { code, message: fixed } = RPC_ERRORS[name];
  return new JSONRPCErrorException(message ?? fixed, code, data);
}

/** Zod issues as "path: message" problems, the shape every INVALID_PARAMS reply carries. */
export function paramProblems(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: ['params', ...issue.path.map(String)].join('.'), message: issue.message }));
}

/**
 * Maps whatever a method threw to a reply. Expected errors keep their message (scrubbed of secret values
 * all the same); anything else becomes a bare "Internal error" so no stack, path or state leaks out. The
 * second value says whether the error was unexpected (and so worth logging).
 */
export function toRpcError(error: unknown): [JSONRPCErrorException, boolean] {
  if (error instanceof JSONRPCErrorException) return [error, false];
  if (error instanceof ControlError) return [rpcError(BY_CONTROL_CODE[error.code], scrubSecrets(error.message), safeData({ code: error.code, ...error.details })), false];
  if (error instanceof z.ZodError) return [rpcError('INVALID_PARAMS', undefined, { problems: paramProblems(error) }), false];
  if (error instanceof OspreyError && error.code === 'VALIDATION_FAILED') return [rpcError('INVALID_PARAMS', scrubSecrets(error.message)), false];
  if (error instanceof OspreyError) return [rpcError('INTERNAL', undefined, { code: error.code }), true];
  return [rpcError('INTERNAL'), true];
}

/** Error details go through JSON and the scrubber, so a Secret or a secret value cannot ride along. */
function safeData(data: Record<string, unknown>): unknown {
  return JSON.parse(scrubSecrets(JSON.stringify(data))) as unknown;
}
