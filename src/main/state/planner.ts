import { Decimal } from '../../core/decimal.js';
import { InvariantError } from '../../core/errors.js';
import { applyFill, flatPosition } from '../../core/position.js';
import type { Balance, Fill, Order, OrderIntent, OrderStatus } from '../../core/types.js';
import { balanceId, type Stage } from './cache.js';
import { INTENT_POSITION, resolveTransition } from './order-transitions.js';
import {
  balanceProblems, changedImmutableFields, fillProblems, intentProblems, orderFromIntent, orderProblems, sameOrder,
  storeBalance, storeFill, storeOrder,
} from './records.js';
import { balanceKey, decodeValue, fillId, fillKey, orderKey, type StoredFill, type StrategySnapshot } from './tables.js';

/**
 * Turns one requested change into the puts it needs and the cache changes that follow, on a Stage.
 * Everything that can go wrong is decided here, before any byte is written: a malformed record or a
 * broken write-ahead rule throws InvariantError (a bug in the caller), while a stale or duplicate venue
 * report is an ordinary outcome ('refused', 'duplicate', 'unchanged') that writes nothing.
 */

export type StateOp =
  | { readonly kind: 'intent'; readonly intent: OrderIntent }
  | { readonly kind: 'order'; readonly order: Order }
  | { readonly kind: 'fill'; readonly fill: Fill }
  | { readonly kind: 'balance'; readonly balance: Balance }
  | { readonly kind: 'snapshot'; readonly strategyId: string; readonly data: unknown };

export type OpOutcome =
  /** Stored (intent, fill, balance, snapshot). */
  | { readonly kind: 'written' }
  /** An order update appended to the order's history at `seq`. */
  | { readonly kind: 'appended'; readonly seq: number }
  /** Identical to what is already stored; nothing written. */
  | { readonly kind: 'unchanged' }
  /** A fill with this (venue, venueTradeId) is already recorded; nothing written. */
  | { readonly kind: 'duplicate' }
  /** An order update that would move the order backwards; nothing written. */
  | { readonly kind: 'refused'; readonly from: OrderStatus; readonly to: OrderStatus; readonly reason: string };

export interface PlanContext {
  /** Wall time for records the store stamps itself (snapshots), from the injected clock. */
  readonly now: number;
}

export function planOp(stage: Stage, op: StateOp, context: PlanContext): OpOutcome {
  switch (op.kind) {
    case 'intent':
      return planIntent(stage, op.intent);
    case 'order':
      return planOrderUpdate(stage, op.order);
    case 'fill':
      return planFill(stage, op.fill);
    case 'balance':
      return planBalance(stage, op.balance);
    case 'snapshot':
      return planSnapshot(stage, op.strategyId, op.data, context.now);
    default: {
      const never: never = op;
      throw new InvariantError(`unknown state op ${JSON.stringify(never)}`);
    }
  }
}

function refuseMalformed(what: string, id: string, problems: string[]): never {
  throw new InvariantError(`refusing to store a malformed ${what} ${JSON.stringify(id)}: ${problems.join('; ')}`, { problems });
}

function planIntent(stage: Stage, intent: OrderIntent): OpOutcome {
  const problems = intentProblems(intent);
  if (problems.length > 0) refuseMalformed('order intent', String(intent?.clientOrderId), problems);
  const order = orderFromIntent(intent);
  const existing = stage.order(order.clientOrderId);
  if (existing) {
    // Writing the very same intent again is a retry; reusing the id for anything else is a bug.
    if (existing.nextSeq === 1 && sameOrder(existing.order, order)) return { kind: 'unchanged' };
    throw new InvariantError(`client order id ${order.clientOrderId} is already used by another order`, { clientOrderId: order.clientOrderId });
  }
  stage.put('orders', orderKey(order.clientOrderId, 0), order);
  stage.setOrder({ order, position: INTENT_POSITION, nextSeq: 1 });
  return { kind: 'written' };
}

function planOrderUpdate(stage: Stage, update: Order): OpOutcome {
  const problems = orderProblems(update);
  if (problems.length > 0) refuseMalformed('order update', String(update?.clientOrderId), problems);
  const order = storeOrder(update);
  const entry = stage.order(order.clientOrderId);
  if (!entry) {
    throw new InvariantError(`order ${order.clientOrderId} has no written intent; an order update must follow writeIntent`, {
      clientOrderId: order.clientOrderId,
    });
  }
  const changed = changedImmutableFields(entry.order, order);
  if (changed.length > 0) {
    throw new InvariantError(`order ${order.clientOrderId} update changes fields fixed at intent: ${changed.join(', ')}`, { changed });
  }
  if (sameOrder(entry.order, order)) return { kind: 'unchanged' };
  const from = entry.order.status;
  const verdict = resolveTransition(entry.position, order.status);
  if (!verdict.ok) return { kind: 'refused', from, to: order.status, reason: verdict.reason };
  if (order.filledSize !== entry.order.filledSize && new Decimal(order.filledSize).lt(entry.order.filledSize)) {
    return { kind: 'refused', from, to: order.status, reason: `filled size would fall from ${entry.order.filledSize} to ${order.filledSize}` };
  }
  const seq = entry.nextSeq;
  stage.put('orders', orderKey(order.clientOrderId, seq), order);
  stage.setOrder({ order, position: verdict.next, nextSeq: seq + 1 });
  return { kind: 'appended', seq };
}

function planFill(stage: Stage, input: Fill): OpOutcome {
  const problems = fillProblems(input);
  if (problems.length > 0) refuseMalformed('fill', String(input?.venueTradeId), problems);
  const fill = storeFill(input);
  if (stage.hasFill(fillId(fill.venue, fill.venueTradeId))) return { kind: 'duplicate' };
  const position = applyFill(stage.position(fill.instrument) ?? flatPosition(fill.instrument), fill);
  const stored: StoredFill = { seq: stage.takeFillSeq(), fill };
  // The fill and the position (put by the Stage at commit) land in the same LMDB transaction, so a
  // position on disk always equals the replay of the fills on disk.
  stage.put('fills', fillKey(fill.venue, fill.venueTradeId), stored);
  stage.addFill(stored);
  stage.setPosition(position);
  return { kind: 'written' };
}

function planBalance(stage: Stage, input: Balance): OpOutcome {
  const problems = balanceProblems(input);
  if (problems.length > 0) refuseMalformed('balance', `${String(input?.venue)}:${String(input?.asset)}`, problems);
  const balance = storeBalance(input);
  const current = stage.balance(balanceId(balance.venue, balance.asset));
  if (current && current.total === balance.total && current.available === balance.available && current.updatedAt === balance.updatedAt) {
    return { kind: 'unchanged' };
  }
  stage.put('balances', balanceKey(balance.venue, balance.asset), balance);
  stage.setBalance(balance);
  return { kind: 'written' };
}

function planSnapshot(stage: Stage, strategyId: string, data: unknown, now: number): OpOutcome {
  if (typeof strategyId !== 'string' || strategyId === '') throw new InvariantError('a strategy snapshot needs a non-empty strategyId');
  const refuse = (why: string): never => {
    throw new InvariantError(`snapshot of strategy ${strategyId} cannot be stored: ${why}`);
  };
  let bytes: Uint8Array | undefined;
  try {
    bytes = stage.put('snapshots', strategyId, { strategyId, savedAt: now, data });
  } catch (error) {
    refuse(error instanceof Error ? error.message : String(error));
  }
  // Cache what a reload will see (JSON drops undefined, turns NaN into null), not the caller's object.
  const decoded = decodeValue(bytes as Uint8Array) as StrategySnapshot;
  if (!('data' in decoded)) refuse('data is not JSON (undefined or a function)');
  stage.setSnapshot(decoded);
  return { kind: 'written' };
}
