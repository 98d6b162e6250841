import { createHash } from 'node:crypto';

/**
 * Hyperliquid's client order id (cloid) must be 0x plus 32 hex digits, which our client order ids are
 * not. The cloid is derived from ours by hashing, so the same client order id always gives the same
 * cloid: a retried submit carries the same cloid (the venue refuses a duplicate), and after a restart
 * the cloid of every stored intent can be recomputed to match venue reports back to our orders.
 */
export function hyperliquidCloid(clientOrderId: string): string {
  return `0x${createHash('sha256').update(clientOrderId, 'utf8').digest('hex').slice(0, 32)}`;
}
