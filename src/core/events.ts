import type { ErrorCode } from './errors.js';
import type { Balance, BookLevel, Fill, InstrumentId, Order, OrderIntent, Position, Side, VenueId } from './types.js';

/**
 * Every event the engine knows, by topic. This is the one list of topics: grep a topic name here and
 * you find every publisher and subscriber. It lives in core because workers receive these events too
 * and may not import src/main; the bus (src/main/bus) is typed by it.
 */
export interface EventPayloads {
  'market.book': { instrument: InstrumentId; bids: BookLevel[]; asks: BookLevel[]; /** true: replaces the book; false: a diff where size 0 removes a level */ snapshot: boolean; sequence?: number };
  /** Best bid and offer, from venues that stream it apart from the book (Binance bookTicker). */
  'market.quote': { instrument: InstrumentId; bidPrice: number; bidSize: number; askPrice: number; askSize: number; sequence?: number };
  'market.trade': { instrument: InstrumentId; price: number; size: number; aggressor: Side; tradeId: string };
  'market.bar': { instrument: InstrumentId; interval: string; openTime: number; open: number; high: number; low: number; close: number; volume: number; closed: boolean };
  'market.mark': { instrument: InstrumentId; markPrice: number; fundingRate?: number };

  /** Written to LMDB before the order may be sent: after a crash these are what may be live. */
  'order.intent': { order: OrderIntent };
  'order.submitted': { clientOrderId: string; instrument: InstrumentId };
  'order.accepted': { clientOrderId: string; venueOrderId: string };
  'order.rejected': { clientOrderId: string; code: ErrorCode; reason: string };
  'order.updated': { order: Order };
  'order.cancelled': { clientOrderId: string; venueOrderId?: string; reason?: string };
  'order.expired': { clientOrderId: string };
  'order.filled': { clientOrderId: string; venueOrderId: string };
  'fill.received': { fill: Fill };

  'position.opened': { position: Position };
  'position.changed': { position: Position };
  'position.closed': { position: Position };
  'balance.updated': { balance: Balance };

  'risk.denied': { code: string; reason: string; strategyId: string; instrument?: InstrumentId; limit: string; value: string };
  'risk.state': { from: TradingState; to: TradingState; reason: string };

  'venue.connection': { venue: VenueId; channel: 'rest' | 'market' | 'user'; state: 'up' | 'down' | 'degraded'; reason?: string };
  'health.changed': { component: string; from: string; to: string; reason?: string };
  'component.state': { component: string; from: string; to: string; reason?: string };
  'engine.error': { source: string; code: ErrorCode | 'UNCLASSIFIED'; message: string };
}

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export type Topic = keyof EventPayloads;

export const TOPICS = [
  'market.book', 'market.quote', 'market.trade', 'market.bar', 'market.mark',
  'order.intent', 'order.submitted', 'order.accepted', 'order.rejected', 'order.updated', 'order.cancelled',
  'order.expired', 'order.filled', 'fill.received',
  'position.opened', 'position.changed', 'position.closed', 'balance.updated',
  'risk.denied', 'risk.state',
  'venue.connection', 'health.changed', 'component.state', 'engine.error',
] as const satisfies readonly Topic[];

// Fails to compile if TOPICS misses a key of EventPayloads.
const _allTopicsListed: Exclude<Topic, (typeof TOPICS)[number]> extends never ? true : never = true;
void _allTopicsListed;

export interface EventHeader<T extends Topic> {
  readonly id: string;
  readonly type: T;
  /** When it happened, by the source's clock (venue time for market data), ms since epoch. */
  readonly tsEvent: number;
  /** When this engine learnt of it, ms since epoch. */
  readonly tsRecv: number;
}

export type EventOf<T extends Topic> = EventHeader<T> & Readonly<EventPayloads[T]>;

/** The discriminated union of all events; switch on `type`. */
export type OspreyEvent = { [T in Topic]: EventOf<T> }[Topic];

export function isTopic(name: string): name is Topic {
  return (TOPICS as readonly string[]).includes(name);
}
