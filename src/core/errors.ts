/**
 * The one error hierarchy. Each code has one policy, and callers decide what to do from the policy,
 * never from message text: retry (same request again, soon), backoff (wait, then retry), reject (do
 * not retry; report), halt (stop trading), fatal (a broken invariant: crash loudly).
 * Every code is documented in docs/errors.md; a test fails when one is not.
 */
export type ErrorPolicy = 'retry' | 'backoff' | 'reject' | 'halt' | 'fatal';

export const ERROR_CODES = {
  CONFIG_INVALID: { policy: 'reject', description: 'a config value is missing, of the wrong type, unknown or out of range' },
  CONFIG_UNREADABLE: { policy: 'reject', description: 'a config file cannot be read or parsed' },
  SECRET_MISSING: { policy: 'reject', description: 'a config field names a secret that no secret source provides' },
  SECRET_SOURCE_FAILED: { policy: 'reject', description: 'an age file cannot be decrypted, or Vault refused, lacks or cannot serve the secret' },
  VALIDATION_FAILED: { policy: 'reject', description: 'input (RPC frame, venue message, data file) does not match its schema' },
  STATE_CORRUPT: { policy: 'halt', description: 'a stored record cannot be decoded or breaks a state invariant' },
  STATE_WRITE_FAILED: { policy: 'halt', description: 'the durable store refused a write' },
  TIMEOUT: { policy: 'retry', description: 'a call did not answer within its deadline; the outcome is unknown' },
  VENUE_UNAVAILABLE: { policy: 'backoff', description: 'the venue answered 5xx, refused the connection or is in maintenance' },
  RATE_LIMITED: { policy: 'backoff', description: 'the venue or a local token bucket said slow down' },
  ORDER_REJECTED: { policy: 'reject', description: 'the venue refused an order (price rule, margin, post-only cross...)' },
  ORDER_NOT_FOUND: { policy: 'reject', description: 'the venue does not know the order' },
  RISK_DENIED: { policy: 'reject', description: 'the risk gate refused an intent' },
  LIFECYCLE_ILLEGAL: { policy: 'fatal', description: 'a component was asked to make a lifecycle transition its table forbids' },
  INVARIANT_BROKEN: { policy: 'fatal', description: 'a condition the code relies on does not hold' },
  STRATEGY_FAILED: { policy: 'reject', description: 'strategy code threw or returned something malformed; the event is dropped, the strategy keeps running' },
  WORKER_PROTOCOL_MISMATCH: { policy: 'fatal', description: 'a worker thread speaks another version of the worker protocol than the main thread' },
} as const satisfies Record<string, { policy: ErrorPolicy; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class OspreyError extends Error {
  readonly code: ErrorCode;
  /** Structured facts for logs and RPC replies. Never put secret values here. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  get policy(): ErrorPolicy {
    return ERROR_CODES[this.code].policy;
  }
}

export interface ConfigProblem {
  /** Dotted key path, e.g. "risk.maxDrawdownPct". */
  readonly path: string;
  readonly message: string;
}

/** Carries every problem found, not only the first, so an operator fixes a config in one pass. */
export class ConfigError extends OspreyError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], code: 'CONFIG_INVALID' | 'CONFIG_UNREADABLE' | 'SECRET_MISSING' | 'SECRET_SOURCE_FAILED' = 'CONFIG_INVALID') {
    super(code, problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
    this.problems = problems;
  }
}

export class ValidationError extends OspreyError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class StateError extends OspreyError {
  constructor(code: 'STATE_CORRUPT' | 'STATE_WRITE_FAILED', message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, message, details, options);
  }
}

export class VenueError extends OspreyError {
  constructor(
    code: 'TIMEOUT' | 'VENUE_UNAVAILABLE' | 'RATE_LIMITED' | 'ORDER_REJECTED' | 'ORDER_NOT_FOUND',
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, details, options);
  }
}

export class InvariantError extends OspreyError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVARIANT_BROKEN', message, details);
  }
}

export class LifecycleError extends OspreyError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('LIFECYCLE_ILLEGAL', message, details);
  }
}

/** User strategy code failed in one hook; carries which strategy and hook so the operator can find it. */
export class StrategyError extends OspreyError {
  constructor(message: string, details: { strategyId: string; hook: string } & Record<string, unknown>, options?: { cause?: unknown }) {
    super('STRATEGY_FAILED', message, details, options);
  }
}

/** The policy for anything thrown: unknown errors are treated as broken invariants. */
export function policyOf(error: unknown): ErrorPolicy {
  return error instanceof OspreyError ? error.policy : 'fatal';
}
