import * as z from 'zod';
import type { ControlFacade } from '../main/control/facade.js';
import { rpcError } from './errors.js';
import { boundedJsonRecord, filterParams, reason, topicPatterns } from './params.js';

/**
 * Every JSON-RPC method (CONTRACTS.md), as a name mapped onto the control facade: whether a read-only
 * token may call it, the schema of its named params, and the call. Nothing else lives here: values
 * are judged by the facade, framing and limits by the dispatcher.
 */

/** What a method may know of the caller. */
export interface CallContext {
  /** Who asked, for the journal: "ws#12", "http@127.0.0.1". */
  readonly origin: string;
  /** Only WebSocket connections can receive notifications. */
  readonly events?: EventSubscriber;
}

export interface EventSubscriber {
  /** Returns every topic the connection is subscribed to afterwards. */
  subscribe(patterns: readonly string[]): string[];
  unsubscribe(patterns?: readonly string[]): string[];
}

export interface MethodSpec {
  /** May a read-only token call it: true only for methods that change nothing in the engine. */
  readonly readOnly: boolean;
  readonly params: z.ZodType;
  readonly call: (facade: ControlFacade, params: never, context: CallContext) => unknown;
}

function method<S extends z.ZodType>(readOnly: boolean, params: S, call: (facade: ControlFacade, params: z.output<S>, context: CallContext) => unknown): MethodSpec {
  return { readOnly, params, call: call as MethodSpec['call'] };
}

const none = z.strictObject({});
const id = z.strictObject({ id: z.string().min(1).max(64) });
const why = z.strictObject({ reason });

function events(context: CallContext): EventSubscriber {
  if (context.events === undefined) throw rpcError('NEEDS_WEBSOCKET');
  return context.events;
}

export const METHODS: Readonly<Record<string, MethodSpec>> = {
  'engine.status': method(true, none, (f) => f.status()),
  'engine.pause': method(false, why, (f, p, c) => f.pause(c.origin, p.reason)),
  'engine.resume': method(false, why, (f, p, c) => f.resume(c.origin, p.reason)),
  'engine.shutdown': method(false, why, (f, p, c) => f.shutdown(c.origin, p.reason)),

  'strategies.list': method(true, none, (f) => f.strategies()),
  'strategies.start': method(false, id, (f, p, c) => f.startStrategy(c.origin, p.id)),
  'strategies.stop': method(false, id, (f, p, c) => f.stopStrategy(c.origin, p.id)),
  'strategies.params.get': method(true, id, (f, p) => f.strategyParams(p.id)),
  'strategies.params.set': method(false, id.extend({ params: boundedJsonRecord }), (f, p, c) => f.setStrategyParams(c.origin, p.id, p.params)),

  'orders.list': method(true, filterParams, (f, p) => f.orders(p)),
  'orders.cancel': method(false, z.strictObject({ clientOrderId: z.string().min(1).max(128) }), (f, p) => f.cancelOrder(p.clientOrderId)),
  'orders.cancelAll': method(false, filterParams, (f) => f.cancelAllOrders()),
  'positions.list': method(true, none, (f) => f.positions()),
  'balances.list': method(true, none, (f) => f.balances()),

  'risk.limits.get': method(true, z.strictObject({ account: z.string().min(1).max(64).optional() }), (f, p) => f.riskLimits(p.account)),
  'risk.limits.set': method(false, z.strictObject({ account: z.string().min(1).max(64), limits: boundedJsonRecord }), (f, p, c) => f.setRiskLimits(c.origin, p.account, p.limits)),
  'risk.state.set': method(false, z.strictObject({ state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']), reason }), (f, p, c) => f.setTradingState(c.origin, p.state, p.reason)),

  'health.get': method(true, none, (f) => f.health()),
  'metrics.latency': method(true, z.strictObject({ stages: z.array(z.string().min(1).max(64)).max(100).optional() }), (f, p) => f.latencyReport(p.stages)),
  'audit.query': method(
    true,
    z.strictObject({
      from: z.int().min(0).optional(),
      to: z.int().min(0).optional(),
      types: z.array(z.string().min(1).max(64)).max(50).optional(),
      limit: z.int().min(1).max(1000).default(100),
    }),
    (f, p) => f.audit(p),
  ),
  'alerts.test': method(false, z.strictObject({ priority: z.enum(['info', 'warning', 'critical']).default('info'), message: z.string().max(500).optional() }), (f) => f.testAlert()),
  'backtest.run': method(false, boundedJsonRecord, (f) => f.runBacktest()),
  'config.get': method(true, z.strictObject({ path: z.string().max(256).optional() }), (f, p) => f.config(p.path)),

  subscribe: method(true, z.strictObject({ topics: topicPatterns }), (_f, p, c) => ({ topics: events(c).subscribe(p.topics) })),
  unsubscribe: method(true, z.strictObject({ topics: topicPatterns.optional() }), (_f, p, c) => ({ topics: events(c).unsubscribe(p.topics) })),
};
