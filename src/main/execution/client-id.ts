import { createHash } from 'node:crypto';

/**
 * Client order ids are derived, not random: the same (strategy, intent sequence) always gives the same
 * id, so a retried or replayed intent can never become a second order. The form is "o" + 32 hex digits:
 * within every venue's rules (Binance: 36 characters of [.A-Za-z0-9:/_-]; Bybit 36), and the Hyperliquid
 * adapter derives its 0x+32-hex cloid from it by hashing again (src/main/exchange/hyperliquid/cloid.ts).
 */
export function clientOrderIdFor(strategyId: string, intentSeq: number): string {
  if (!Number.isSafeInteger(intentSeq) || intentSeq < 0) throw new RangeError(`intent sequence must be a non-negative integer, got ${intentSeq}`);
  return `o${createHash('sha256').update(`${strategyId}\u0000${intentSeq}`, 'utf8').digest('hex').slice(0, 32)}`;
}

/** Ids for orders the engine places itself (flatten after a halt), distinct from any strategy's. */
export function systemClientOrderId(purpose: string, seq: number): string {
  return clientOrderIdFor(`\u0000system:${purpose}`, seq);
}
