import { OspreyError } from '../../../core/errors.js';

/**
 * Which errors say something about a venue's health, and so count against its circuit breakers.
 * A refused order or an unknown order id is a healthy venue answering; a local refusal (our own token
 * bucket, an open breaker) never reached the venue. Transport failures, venue rate limits and a burst
 * of malformed messages do count.
 */
const HEALTH_CODES = new Set(['TIMEOUT', 'VENUE_UNAVAILABLE', 'RATE_LIMITED']);

export function isHealthFailure(error: unknown): boolean {
  if (!(error instanceof OspreyError)) return false;
  if (error.details.local === true) return false;
  if (HEALTH_CODES.has(error.code)) return true;
  return error.code === 'VALIDATION_FAILED' && error.details.burst === true;
}

/** True when the error means the breaker should open at once rather than after its threshold. */
export function isTrippingFailure(error: unknown): boolean {
  return error instanceof OspreyError && error.details.trip === true;
}
