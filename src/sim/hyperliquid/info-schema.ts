import { z } from 'zod';
import { CANDLE_INTERVALS } from './wire-format.js';

/**
 * Every /info request type the simulator answers, validated as the live server does (a wrong shape or
 * unknown type is a 422). Addresses are lower-cased on the way in: accounts are keyed lower-case.
 */

const user = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte hex address')
  .transform((a) => a.toLowerCase());
const cloid = z
  .string()
  .regex(/^0x[0-9a-fA-F]{32}$/, 'expected a 0x-prefixed 16-byte hex cloid')
  .transform((c) => c.toLowerCase());
const ms = z.number().int().nonnegative();
const dex = z.string().nullish();

const request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('meta'), dex }),
  z.object({ type: z.literal('spotMeta') }),
  z.object({ type: z.literal('metaAndAssetCtxs'), dex }),
  z.object({ type: z.literal('spotMetaAndAssetCtxs') }),
  z.object({ type: z.literal('perpDexs') }),
  z.object({ type: z.literal('allMids'), dex }),
  z.object({ type: z.literal('exchangeStatus') }),
  z.object({
    type: z.literal('l2Book'),
    coin: z.string(),
    nSigFigs: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).nullish(),
    mantissa: z.union([z.literal(2), z.literal(5)]).nullish(),
  }),
  z.object({
    type: z.literal('candleSnapshot'),
    req: z.object({ coin: z.string(), interval: z.enum(CANDLE_INTERVALS), startTime: ms, endTime: ms.nullish() }),
  }),
  z.object({ type: z.literal('recentTrades'), coin: z.string() }),
  z.object({ type: z.literal('userAbstraction'), user }),
  z.object({ type: z.literal('clearinghouseState'), user, dex }),
  z.object({ type: z.literal('spotClearinghouseState'), user }),
  z.object({ type: z.literal('frontendOpenOrders'), user, dex }),
  z.object({ type: z.literal('openOrders'), user, dex }),
  z.object({ type: z.literal('orderStatus'), user, oid: z.union([ms, cloid]) }),
  z.object({ type: z.literal('historicalOrders'), user }),
  z.object({ type: z.literal('userFills'), user, aggregateByTime: z.boolean().nullish() }),
  z.object({ type: z.literal('userFillsByTime'), user, startTime: ms, endTime: ms.nullish(), aggregateByTime: z.boolean().nullish() }),
  z.object({ type: z.literal('maxBuilderFee'), user, builder: user }),
  z.object({ type: z.literal('extraAgents'), user }),
  z.object({ type: z.literal('userRole'), user }),
]);

export type InfoRequest = z.infer<typeof request>;

export function parseInfoRequest(body: unknown): { ok: true; value: InfoRequest } | { ok: false; error: z.ZodError } {
  const result = request.safeParse(body);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error };
}
