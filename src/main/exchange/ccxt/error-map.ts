import ccxt from 'ccxt';
import { InvariantError, OspreyError, ValidationError, VenueError } from '../../../core/errors.js';
import type { VenueId } from '../../../core/types.js';
import type { RestOperation } from '../resilience/rate-limiter.js';

const ORDER_OPERATIONS: ReadonlySet<RestOperation> = new Set(['submit', 'amend', 'cancel']);

/** ccxt's exception classes, most specific first: the first match decides the code. */
const RULES: readonly [new (...args: never[]) => Error, (venue: VenueId, op: RestOperation, e: Error) => OspreyError][] = [
  [ccxt.RateLimitExceeded, (v, op, e) => venueError('RATE_LIMITED', v, op, e)],
  // Binance answers 418 (IP banned after repeated 429s) and 429 with DDoSProtection.
  [ccxt.DDoSProtection, (v, op, e) => venueError('RATE_LIMITED', v, op, e)],
  [ccxt.RequestTimeout, (v, op, e) => venueError('TIMEOUT', v, op, e)],
  [ccxt.ExchangeNotAvailable, (v, op, e) => venueError('VENUE_UNAVAILABLE', v, op, e)],
  // A clock out of the venue's receive window: the request was refused, a resync and retry fixes it.
  [ccxt.InvalidNonce, (v, op, e) => venueError('VENUE_UNAVAILABLE', v, op, e)],
  [ccxt.NetworkError, (v, op, e) => venueError('VENUE_UNAVAILABLE', v, op, e)],
  [ccxt.OperationFailed, (v, op, e) => venueError('VENUE_UNAVAILABLE', v, op, e)],
  [ccxt.OrderNotFound, (v, op, e) => venueError('ORDER_NOT_FOUND', v, op, e)],
  [ccxt.InvalidOrder, (v, op, e) => venueError('ORDER_REJECTED', v, op, e)],
  [ccxt.InsufficientFunds, (v, op, e) => venueError('ORDER_REJECTED', v, op, e)],
  // Our own misuse of ccxt (a missing argument, an unsupported call) is a bug, not a venue condition.
  [ccxt.ArgumentsRequired, (v, op, e) => new InvariantError(`${v} ${op}: ${e.message}`, { venue: v, operation: op, ccxtClass: e.constructor.name })],
  [ccxt.NotSupported, (v, op, e) => new InvariantError(`${v} ${op}: ${e.message}`, { venue: v, operation: op, ccxtClass: e.constructor.name })],
  [ccxt.AuthenticationError, (v, op, e) => venueError(ORDER_OPERATIONS.has(op) ? 'ORDER_REJECTED' : 'VENUE_UNAVAILABLE', v, op, e, { authentication: true })],
  [ccxt.BadRequest, (v, op, e) => (ORDER_OPERATIONS.has(op) ? venueError('ORDER_REJECTED', v, op, e) : requestRefused(v, op, e))],
  [ccxt.OperationRejected, (v, op, e) => (ORDER_OPERATIONS.has(op) ? venueError('ORDER_REJECTED', v, op, e) : requestRefused(v, op, e))],
  // Any other venue error code: for an order the venue said no; for a query the venue misbehaved.
  [ccxt.ExchangeError, (v, op, e) => venueError(ORDER_OPERATIONS.has(op) ? 'ORDER_REJECTED' : 'VENUE_UNAVAILABLE', v, op, e)],
];

/**
 * Maps what ccxt threw into our hierarchy, so the code decides the policy: RateLimitExceeded and
 * DDoSProtection -> RATE_LIMITED, RequestTimeout -> TIMEOUT, ExchangeNotAvailable and other network
 * failures -> VENUE_UNAVAILABLE, InvalidOrder and InsufficientFunds -> ORDER_REJECTED, OrderNotFound ->
 * ORDER_NOT_FOUND. The venue's message is kept (it names the rule broken); ccxt puts no credentials in it.
 */
export function mapCcxtError(venue: VenueId, error: unknown, operation: RestOperation): OspreyError {
  if (error instanceof OspreyError) return error;
  if (error instanceof Error) {
    for (const [cls, make] of RULES) if (error instanceof cls) return make(venue, operation, error);
    return venueError('VENUE_UNAVAILABLE', venue, operation, error);
  }
  return new VenueError('VENUE_UNAVAILABLE', `${venue} ${operation}: ${String(error)}`, { venue, operation });
}

function venueError(
  code: 'TIMEOUT' | 'VENUE_UNAVAILABLE' | 'RATE_LIMITED' | 'ORDER_REJECTED' | 'ORDER_NOT_FOUND',
  venue: VenueId, operation: RestOperation, error: Error, extra: Record<string, unknown> = {},
): VenueError {
  return new VenueError(code, `${venue} ${operation}: ${error.message}`, { venue, operation, ccxtClass: error.constructor.name, ...extra }, { cause: error });
}

/** A query the venue refused as malformed (bad symbol, bad parameter): not a health failure. */
function requestRefused(venue: VenueId, operation: RestOperation, error: Error): ValidationError {
  return new ValidationError(`${venue} ${operation} refused by the venue: ${error.message}`, { venue, operation, ccxtClass: error.constructor.name });
}
