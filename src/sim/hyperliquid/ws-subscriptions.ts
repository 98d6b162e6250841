import { z } from 'zod';
import { CANDLE_INTERVALS } from './wire-format.js';

/**
 * The WebSocket subscriptions the simulator serves, and the key that makes "Already subscribed"
 * detection and unsubscribe matching independent of key order and address case.
 */

const user = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((a) => a.toLowerCase());
const coin = z.string().min(1);

const subscription = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('l2Book'),
    coin,
    nSigFigs: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).nullish(),
    mantissa: z.union([z.literal(2), z.literal(5)]).nullish(),
  }),
  z.object({ type: z.literal('trades'), coin }),
  z.object({ type: z.literal('bbo'), coin }),
  z.object({ type: z.literal('candle'), coin, interval: z.enum(CANDLE_INTERVALS) }),
  z.object({ type: z.literal('allMids'), dex: z.string().nullish() }),
  z.object({ type: z.literal('activeAssetCtx'), coin }),
  z.object({ type: z.literal('orderUpdates'), user }),
  z.object({ type: z.literal('userFills'), user, aggregateByTime: z.boolean().nullish() }),
  z.object({ type: z.literal('clearinghouseState'), user, dex: z.string().nullish() }),
  z.object({ type: z.literal('spotState'), user, isPortfolioMargin: z.boolean().nullish() }),
]);

export type Subscription = z.infer<typeof subscription>;

export function parseSubscription(raw: unknown): Subscription | undefined {
  const result = subscription.safeParse(raw);
  if (!result.success) return undefined;
  const sub = result.data;
  // Only the main perp dex exists; a subscription to another one would never deliver anything.
  if ((sub.type === 'allMids' || sub.type === 'clearinghouseState') && sub.dex !== undefined && sub.dex !== null && sub.dex !== '') return undefined;
  return sub;
}

/** Same key for the same stream, whatever the field order, address case or explicit nulls. */
export function subscriptionKey(sub: Subscription): string {
  const parts: string[] = [sub.type];
  if ('coin' in sub) parts.push(sub.coin);
  if ('user' in sub) parts.push(sub.user);
  if (sub.type === 'candle') parts.push(sub.interval);
  if (sub.type === 'l2Book') parts.push(String(sub.nSigFigs ?? ''), String(sub.mantissa ?? ''));
  return parts.join('|');
}
