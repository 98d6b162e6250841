import type { VenueAdapter } from '../exchange/adapter.js';

/**
 * The part of the VenueAdapter that execution and reconciliation use. Narrow on purpose: the real
 * adapters satisfy it structurally, and tests can drive execution with an in-process fake venue that
 * implements only this (no streams, no lifecycle).
 */
export type ExecutionVenue = Pick<
  VenueAdapter,
  | 'venue'
  | 'instrument'
  | 'fetchBook'
  | 'submit'
  | 'cancel'
  | 'amend'
  | 'cancelByClientId'
  | 'fetchOrder'
  | 'fetchOpenOrders'
  | 'fetchFills'
  | 'fetchPositions'
  | 'fetchBalances'
  | 'track'
  | 'canTrade'
>;
