import { Decimal } from '../../core/decimal.js';
import type { Address, Cloid, OrderStatusName, OrderUpdate, SimFill, SimOrder, Tif } from '../venue-api.js';
import type { RestingOrder } from './book.js';
import { wire } from './wire.js';

/**
 * Every order the venue accepted, with its latest status, and every user fill. Order ids are increasing
 * integers shared by all users; a cloid is unique per user over all of that user's orders, except that a
 * modify may hand its cloid on to the order replacing it.
 */

export interface OrderRecord extends RestingOrder {
  readonly coin: string;
  readonly assetId: number;
  readonly origSz: Decimal;
  readonly tif: Tif;
  readonly reduceOnly: boolean;
  readonly cloid: Cloid | undefined;
  readonly timestamp: number;
  status: OrderStatusName;
  statusTimestamp: number;
}

export type NewOrder = Omit<OrderRecord, 'oid' | 'priority' | 'status' | 'statusTimestamp' | 'remaining'> & { readonly priority?: number };

/** Hyperliquid answers at most 2,000 historical orders and 2,000 fills; the venue keeps a little more. */
export const HISTORY_LIMIT = 2000;
const KEPT_CLOSED_ORDERS = 5000;
const KEPT_FILLS = 10000;

export class OrderRegistry {
  #nextOid = 1;
  readonly #byOid = new Map<number, OrderRecord>();
  readonly #byUser = new Map<Address, OrderRecord[]>();
  /** Open orders per user, in creation order: read on every unit of work, so kept apart from the history. */
  readonly #open = new Map<Address, Set<OrderRecord>>();
  readonly #cloids = new Map<Address, Map<Cloid, OrderRecord>>();
  readonly #fills = new Map<Address, SimFill[]>();

  /** Registers an accepted order (status open until told otherwise) and assigns its oid. */
  create(order: NewOrder): OrderRecord {
    const oid = this.#nextOid++;
    const record: OrderRecord = { ...order, oid, priority: order.priority ?? oid, remaining: order.origSz, status: 'open', statusTimestamp: order.timestamp };
    this.#byOid.set(oid, record);
    const list = this.#byUser.get(order.user) ?? [];
    list.push(record);
    this.#byUser.set(order.user, list);
    this.#openOf(order.user).add(record);
    if (order.cloid !== undefined) this.#cloidsOf(order.user).set(order.cloid.toLowerCase(), record);
    this.#prune(order.user);
    return record;
  }

  /** Any live order by oid (open orders are never pruned). */
  get(oid: number): OrderRecord | undefined {
    return this.#byOid.get(oid);
  }

  /**
   * Forgets an order that never became visible: an IOC that found nothing to match is refused, and Hyperliquid
   * keeps no record of a refused order. Its oid is simply not reused.
   */
  discard(record: OrderRecord): void {
    this.#byOid.delete(record.oid);
    this.#open.get(record.user)?.delete(record);
    const list = this.#byUser.get(record.user);
    if (list !== undefined) this.#byUser.set(record.user, list.filter((r) => r !== record));
    const cloids = this.#cloidsOf(record.user);
    if (record.cloid !== undefined && cloids.get(record.cloid.toLowerCase()) === record) cloids.delete(record.cloid.toLowerCase());
  }

  /** True when the user already used this cloid on an order other than `except`. */
  cloidTaken(user: Address, cloid: Cloid, except?: OrderRecord): boolean {
    const holder = this.#cloidsOf(user).get(cloid.toLowerCase());
    return holder !== undefined && holder !== except;
  }

  /** The user's order by oid or cloid; another user's oid is not found. */
  find(user: Address, id: number | Cloid): OrderRecord | undefined {
    const record = typeof id === 'number' ? this.#byOid.get(id) : this.#cloidsOf(user).get(id.toLowerCase());
    return record?.user === user ? record : undefined;
  }

  open(user: Address): OrderRecord[] {
    return [...(this.#open.get(user) ?? [])];
  }

  /** Users with at least one open order. */
  usersWithOpenOrders(): Address[] {
    return [...this.#open.entries()].filter(([, set]) => set.size > 0).map(([user]) => user);
  }

  /** Latest status of each of the user's orders, newest order first. */
  history(user: Address): OrderUpdate[] {
    return (this.#byUser.get(user) ?? []).slice(-HISTORY_LIMIT).reverse().map(toUpdate);
  }

  setStatus(record: OrderRecord, status: OrderStatusName, time: number): void {
    record.status = status;
    record.statusTimestamp = time;
    if (status !== 'open') this.#open.get(record.user)?.delete(record);
  }

  addFill(user: Address, fill: SimFill): void {
    const list = this.#fills.get(user) ?? [];
    list.push(fill);
    if (list.length > KEPT_FILLS) list.splice(0, list.length - KEPT_FILLS);
    this.#fills.set(user, list);
  }

  /** Fills newest first, optionally within [startTime, endTime] (ms, inclusive), at most 2,000. */
  fills(user: Address, startTime?: number, endTime?: number): SimFill[] {
    const all = this.#fills.get(user) ?? [];
    const inRange = all.filter((f) => (startTime === undefined || f.time >= startTime) && (endTime === undefined || f.time <= endTime));
    return inRange.slice(-HISTORY_LIMIT).reverse();
  }

  #openOf(user: Address): Set<OrderRecord> {
    let set = this.#open.get(user);
    if (set === undefined) this.#open.set(user, (set = new Set()));
    return set;
  }

  #cloidsOf(user: Address): Map<Cloid, OrderRecord> {
    let map = this.#cloids.get(user);
    if (map === undefined) this.#cloids.set(user, (map = new Map()));
    return map;
  }

  /** Forgets the oldest closed orders past a bound, so a long `osprey sim` run does not grow without end. */
  #prune(user: Address): void {
    const list = this.#byUser.get(user);
    if (list === undefined || list.length <= KEPT_CLOSED_ORDERS * 2) return;
    const closed = list.filter((r) => r.status !== 'open');
    const drop = new Set(closed.slice(0, closed.length - KEPT_CLOSED_ORDERS));
    for (const r of drop) this.#byOid.delete(r.oid);
    this.#byUser.set(user, list.filter((r) => !drop.has(r)));
  }
}

export function toSimOrder(r: OrderRecord): SimOrder {
  return {
    coin: r.coin,
    side: r.isBuy ? 'B' : 'A',
    limitPx: wire(r.px),
    sz: wire(r.remaining),
    oid: r.oid,
    timestamp: r.timestamp,
    triggerCondition: 'N/A',
    isTrigger: false,
    triggerPx: '0.0',
    children: [],
    isPositionTpsl: false,
    reduceOnly: r.reduceOnly,
    orderType: 'Limit',
    origSz: wire(r.origSz),
    tif: r.tif,
    cloid: r.cloid ?? null,
  };
}

export function toUpdate(r: OrderRecord): OrderUpdate {
  return { order: toSimOrder(r), status: r.status, statusTimestamp: r.statusTimestamp };
}
