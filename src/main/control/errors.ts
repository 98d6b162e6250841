/**
 * Errors of the control facade, by what the caller can do about them. Every transport maps these codes
 * to its own (src/rpc/errors.ts for JSON-RPC); the message is meant for the operator and never holds a
 * secret value or an internal path.
 */
export const CONTROL_ERROR_CODES = {
  /** The request is well formed but a value is not allowed (a limit out of range, an unknown parameter). */
  INVALID_PARAMS: 'a value is not allowed; details.problems names each one',
  /** It names something that does not exist (a strategy id, an account, an order). */
  NOT_FOUND: 'the strategy, account or order named does not exist',
  /** The subsystem that would do it is not part of this build yet. */
  NOT_AVAILABLE: 'the component that serves this method is not built yet',
  /** The engine cannot serve it now (starting, stopping, a component not running). */
  UNAVAILABLE: 'the engine or the component needed is not running',
} as const;

export type ControlErrorCode = keyof typeof CONTROL_ERROR_CODES;

export class ControlError extends Error {
  readonly code: ControlErrorCode;
  /** Structured facts for the reply (problems, the component to wait for). Never secrets. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ControlErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.details = details;
  }
}

/** For methods whose subsystem lands in a later issue: says which component will serve it. */
export function notAvailable(method: string, component: string): ControlError {
  return new ControlError('NOT_AVAILABLE', `${method} lands with the ${component} component, which this build does not have yet`, { component });
}
