import type { Clock } from '../../core/clock.js';
import type { Address, CancelResult, OrderRequest, PlaceResult, SimVenue } from '../venue-api.js';
import { parseMaxFeeRate, type AccountDirectory } from './account-directory.js';
import type { ExecutedAction, OrderWire } from './exchange-schema.js';
import type { ScheduledCancels } from './scheduled-cancels.js';

/**
 * Carries out one authenticated action against the venue and shapes the reply as live Hyperliquid
 * does: `{"status":"ok","response":{"type":"order"|"cancel"|"default",...}}`, or `{"status":"err"}`
 * with the venue's text when the whole action is refused.
 */

export interface ActionContext {
  readonly venue: SimVenue;
  readonly directory: AccountDirectory;
  readonly scheduledCancels: ScheduledCancels;
  readonly clock: Clock;
}

export interface Actor {
  readonly signer: Address;
  readonly account: Address;
}

export type ExchangeReply =
  | { readonly status: 'ok'; readonly response: { readonly type: string; readonly data?: unknown } }
  | { readonly status: 'err'; readonly response: string };

export const DEFAULT_OK: ExchangeReply = { status: 'ok', response: { type: 'default' } };

export function errReply(text: string): ExchangeReply {
  return { status: 'err', response: text };
}

function statuses(type: 'order' | 'cancel', list: readonly (PlaceResult | CancelResult | { error: string })[]): ExchangeReply {
  return { status: 'ok', response: { type, data: { statuses: list } } };
}

/** Trigger (TP/SL) orders have no model in the venue; they are refused per order, in place, never faked. */
const TRIGGER_UNSUPPORTED = { error: 'Trigger orders are not supported by the simulated venue.' } as const;

function toOrderRequest(wire: OrderWire): OrderRequest | undefined {
  const tif = wire.t.limit?.tif;
  if (tif === undefined) return undefined;
  const base = { assetId: wire.a, isBuy: wire.b, price: wire.p, size: wire.s, reduceOnly: wire.r, tif };
  return wire.c === undefined ? base : { ...base, cloid: wire.c.toLowerCase() };
}

/** Places the limit orders of a batch in one venue call and slots refusals back in at their positions. */
function placeBatch(venue: SimVenue, account: Address, wires: readonly OrderWire[]): (PlaceResult | typeof TRIGGER_UNSUPPORTED)[] {
  const requests = wires.map(toOrderRequest);
  const placeable = requests.filter((r): r is OrderRequest => r !== undefined);
  const placed = placeable.length > 0 ? venue.place(account, placeable) : [];
  let next = 0;
  return requests.map((r) => (r === undefined ? TRIGGER_UNSUPPORTED : (placed[next++] ?? { error: 'Order was not processed.' })));
}

function checkBuilder(context: ActionContext, account: Address, builder: { b: string; f: number } | undefined): string | undefined {
  if (builder === undefined) return undefined;
  const approved = context.directory.maxBuilderFee(account, builder.b.toLowerCase());
  return builder.f > approved ? 'Builder fee has not been approved.' : undefined;
}

export function executeAction(context: ActionContext, actor: Actor, action: ExecutedAction): ExchangeReply {
  const { venue, directory } = context;
  const { account } = actor;
  switch (action.type) {
    case 'order': {
      const builderProblem = checkBuilder(context, account, action.builder);
      if (builderProblem !== undefined) return errReply(builderProblem);
      return statuses('order', placeBatch(venue, account, action.orders));
    }
    case 'cancel':
      return statuses('cancel', venue.cancel(account, action.cancels.map((c) => ({ assetId: c.a, oid: c.o }))));
    case 'cancelByCloid':
      return statuses('cancel', venue.cancelByCloid(account, action.cancels.map((c) => ({ assetId: c.asset, cloid: c.cloid.toLowerCase() }))));
    case 'batchModify': {
      const modifies = action.modifies.map((m) => ({ oid: m.oid, order: toOrderRequest(m.order) }));
      if (modifies.some((m) => m.order === undefined)) return statuses('order', modifies.map(() => TRIGGER_UNSUPPORTED));
      return statuses('order', venue.modify(account, modifies.map((m) => ({ oid: m.oid, order: m.order! }))));
    }
    case 'modify': {
      const order = toOrderRequest(action.order);
      if (order === undefined) return errReply(TRIGGER_UNSUPPORTED.error);
      const [result] = venue.modify(account, [{ oid: action.oid, order }]);
      return result !== undefined && 'error' in result ? errReply(result.error) : DEFAULT_OK;
    }
    case 'updateLeverage': {
      const refused = venue.updateLeverage(account, action.asset, action.isCross, action.leverage);
      return refused === undefined ? DEFAULT_OK : errReply(refused.error);
    }
    case 'scheduleCancel': {
      const refused = context.scheduledCancels.schedule(account, action.time ?? undefined, context.clock.now());
      return refused === undefined ? DEFAULT_OK : errReply(refused);
    }
    case 'setReferrer':
      directory.setReferrer(account, action.code);
      return DEFAULT_OK;
    case 'approveAgent': {
      const agent = action.agentAddress.toLowerCase();
      if (agent === actor.signer) return errReply('Cannot approve the account itself as an API wallet.');
      directory.approveAgent(actor.signer, agent, action.agentName ?? '');
      return DEFAULT_OK;
    }
    case 'approveBuilderFee': {
      const tenthsBp = parseMaxFeeRate(action.maxFeeRate);
      if (tenthsBp === undefined) return errReply(`Invalid max fee rate ${action.maxFeeRate}.`);
      directory.approveBuilder(account, action.builder.toLowerCase(), tenthsBp);
      return DEFAULT_OK;
    }
    case 'userSetAbstraction':
      if (action.user.toLowerCase() !== actor.signer) return errReply('Abstraction may only be set by the user itself.');
      directory.setAbstraction(account, action.abstraction);
      return DEFAULT_OK;
  }
}
