import type { OrderStatus } from '../../core/types.js';

/**
 * Which way an order's status may move. Venue messages arrive late, twice and out of order (a fill
 * report overtaking its "accepted", an old "open" after a "cancelled"); the store keeps the furthest
 * state it has seen and refuses anything that would move an order backwards.
 *
 * Known statuses form a ranked chain (pending < submitted < accepted < partially_filled < cancelling <
 * final), and a move goes to a strictly later rank, or stays in place when only other fields change
 * (more filled size, the venue order id arriving). `cancelling` does not go back to `partially_filled`:
 * a fill that lands while a cancel is in flight raises the filled size and keeps `cancelling`.
 *
 * `unknown` means "we lost track" (a send or cancel timed out). It may be entered from any live status,
 * and leaves for any status reachable from the last status that was known, so a timeout can never be
 * used to move an order backwards (accepted -> unknown -> submitted is refused).
 */

export const ORDER_STATUSES = [
  'pending', 'submitted', 'accepted', 'partially_filled', 'filled',
  'cancelling', 'cancelled', 'rejected', 'expired', 'unknown',
] as const satisfies readonly OrderStatus[];

// Fails to compile if ORDER_STATUSES misses a member of OrderStatus.
const _allStatusesListed: Exclude<OrderStatus, (typeof ORDER_STATUSES)[number]> extends never ? true : never = true;
void _allStatusesListed;

/** Forward moves from each status, self-moves excluded. The table the store and its tests check against. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['submitted', 'accepted', 'partially_filled', 'filled', 'cancelling', 'cancelled', 'rejected', 'expired', 'unknown'],
  submitted: ['accepted', 'partially_filled', 'filled', 'cancelling', 'cancelled', 'rejected', 'expired', 'unknown'],
  // A venue does not reject an order it has accepted; a refused cancel is not an order rejection.
  accepted: ['partially_filled', 'filled', 'cancelling', 'cancelled', 'expired', 'unknown'],
  partially_filled: ['filled', 'cancelling', 'cancelled', 'expired', 'unknown'],
  cancelling: ['filled', 'cancelled', 'expired', 'unknown'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
  // Resolved through the last known status, see resolveTransition.
  unknown: [],
};

/** Rank of a known status on the forward chain; `unknown` has none. */
export const STATUS_RANK: Readonly<Record<Exclude<OrderStatus, 'unknown'>, number>> = {
  pending: 0,
  submitted: 1,
  accepted: 2,
  partially_filled: 3,
  cancelling: 4,
  filled: 5,
  cancelled: 5,
  rejected: 5,
  expired: 5,
};

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/** Final statuses: the venue will never work the order again. */
export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL.has(status);
}

/** Not final: the order may still rest on the venue, or we do not know that it does not. */
export function isOpen(status: OrderStatus): boolean {
  return !TERMINAL.has(status);
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

/** Where an order stands for transition checks: its current status and the last status that was known. */
export interface StatusPosition {
  readonly status: OrderStatus;
  /** Equals `status` unless `status` is `unknown`. */
  readonly lastKnown: Exclude<OrderStatus, 'unknown'>;
}

export type TransitionVerdict =
  | { readonly ok: true; readonly next: StatusPosition }
  | { readonly ok: false; readonly reason: string };

/** Decides whether an order at `from` may move to `to`, and where it then stands. */
export function resolveTransition(from: StatusPosition, to: OrderStatus): TransitionVerdict {
  if (to === from.status) return { ok: true, next: from };
  if (to === 'unknown') {
    return isTerminal(from.status)
      ? { ok: false, reason: `a ${from.status} order cannot become unknown` }
      : { ok: true, next: { status: 'unknown', lastKnown: from.lastKnown } };
  }
  // From unknown, anything the last known status could have reached (or that status itself) is real.
  const origin = from.lastKnown;
  if (to === origin || ORDER_TRANSITIONS[origin].includes(to)) return { ok: true, next: { status: to, lastKnown: to } };
  return { ok: false, reason: `${from.status === 'unknown' ? `unknown (last known ${origin})` : origin} cannot move to ${to}` };
}

/** The position of a freshly written intent. */
export const INTENT_POSITION: StatusPosition = { status: 'pending', lastKnown: 'pending' };
