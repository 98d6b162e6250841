import { z } from 'zod';
import { USER_SIGNED_ACTIONS } from './signing.js';

/**
 * The /exchange body and the actions the simulator executes, as live Hyperliquid deserialises them:
 * a body that does not fit is a 422 before any signature is looked at (e.g. tif "Fok", a fractional
 * leverage, a numeric price). Fields are validated here; the original action object, not the parsed
 * one, is what gets hashed.
 */

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte hex address');
const cloid = z.string().regex(/^0x[0-9a-fA-F]{32}$/, 'expected a 0x-prefixed 16-byte hex cloid');
/** Prices and sizes travel as plain decimal strings ("60000", "0.001"); numbers or exponents are refused. */
const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal string');
const assetId = z.number().int().nonnegative();
const uint = z.number().int().nonnegative();

export const TIFS = ['Gtc', 'Ioc', 'Alo'] as const;

const orderType = z
  .object({
    limit: z.object({ tif: z.enum(TIFS) }).optional(),
    trigger: z.object({ isMarket: z.boolean(), triggerPx: decimalString, tpsl: z.enum(['tp', 'sl']) }).optional(),
  })
  .refine((t) => (t.limit === undefined) !== (t.trigger === undefined), 'expected exactly one of `limit`, `trigger`');

export const orderWire = z.object({
  a: assetId,
  b: z.boolean(),
  p: decimalString,
  s: decimalString,
  r: z.boolean(),
  t: orderType,
  c: cloid.optional(),
});
export type OrderWire = z.infer<typeof orderWire>;

const oidOrCloid = z.union([uint, cloid]);

const executedActions = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('order'),
    orders: z.array(orderWire),
    grouping: z.enum(['na', 'normalTpsl', 'positionTpsl']),
    builder: z.object({ b: address, f: uint }).optional(),
  }),
  z.object({ type: z.literal('cancel'), cancels: z.array(z.object({ a: assetId, o: uint })) }),
  z.object({ type: z.literal('cancelByCloid'), cancels: z.array(z.object({ asset: assetId, cloid })) }),
  z.object({ type: z.literal('batchModify'), modifies: z.array(z.object({ oid: oidOrCloid, order: orderWire })) }),
  z.object({ type: z.literal('modify'), oid: oidOrCloid, order: orderWire }),
  z.object({ type: z.literal('updateLeverage'), asset: assetId, isCross: z.boolean(), leverage: z.number().int().positive() }),
  z.object({ type: z.literal('scheduleCancel'), time: uint.nullish() }),
  z.object({ type: z.literal('setReferrer'), code: z.string() }),
  z.object({ type: z.literal('approveAgent'), agentAddress: address, agentName: z.string().nullish(), nonce: uint }),
  z.object({ type: z.literal('approveBuilderFee'), maxFeeRate: z.string(), builder: address, nonce: uint }),
  z.object({
    type: z.literal('userSetAbstraction'),
    user: address,
    abstraction: z.enum(['unifiedAccount', 'portfolioMargin', 'disabled', 'default', 'dexAbstraction']),
    nonce: uint,
  }),
]);
export type ExecutedAction = z.infer<typeof executedActions>;

/**
 * Live actions the simulator accepts and answers with `{"type":"default"}` without modelling their
 * effect (no transfers, sub-accounts or staking exist here). User-signed ones still get their
 * signature and nonce checked like any other request.
 */
export const ACKNOWLEDGED_ACTIONS: ReadonlySet<string> = new Set([
  ...Object.keys(USER_SIGNED_ACTIONS).filter((t) => !['approveAgent', 'approveBuilderFee', 'userSetAbstraction'].includes(t)),
  'updateIsolatedMargin',
  'createSubAccount',
  'subAccountTransfer',
  'subAccountSpotTransfer',
  'vaultTransfer',
  'evmUserModify',
  'noop',
  'reserveRequestWeight',
  'setDisplayName',
  'claimRewards',
]);

/** Live actions the simulated venue has no model for; answered with an explicit error, never a fake success. */
export const UNSUPPORTED_ACTIONS: ReadonlySet<string> = new Set(['twapOrder', 'twapCancel']);

const envelope = z.object({
  action: z.looseObject({ type: z.string() }),
  nonce: z.number().int().positive(),
  signature: z.object({ r: z.string(), s: z.string(), v: z.number().int() }),
  vaultAddress: z.string().regex(/^(0x)?[0-9a-fA-F]{40}$/, 'expected a 20-byte hex address').nullish(),
  expiresAfter: uint.nullish(),
});
export type ExchangeEnvelope = z.infer<typeof envelope>;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.ZodError };

export function parseEnvelope(body: unknown): Parsed<ExchangeEnvelope> {
  const result = envelope.safeParse(body);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error };
}

/** Validates an action of a type the simulator executes (see executedActions); other types fail here. */
export function parseExecutedAction(action: unknown): Parsed<ExecutedAction> {
  const result = executedActions.safeParse(action);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error };
}

export function isKnownActionType(type: string): boolean {
  return ACKNOWLEDGED_ACTIONS.has(type) || UNSUPPORTED_ACTIONS.has(type) || executedActions.options.some((o) => o.shape.type.value === type);
}
