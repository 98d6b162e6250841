import { randomBytes } from 'node:crypto';

/**
 * Event ids: a per-process boot tag plus a counter. Cheap enough for the market-data hot path and
 * unique across restarts, which a bare counter would not be.
 */
export function createIdGenerator(prefix: string): () => string {
  const boot = randomBytes(4).toString('hex');
  let seq = 0;
  return () => `${prefix}${boot}.${(++seq).toString(36)}`;
}
