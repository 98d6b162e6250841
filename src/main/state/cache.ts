import type { Key } from 'lmdb';
import type { Balance, Fill, Order, Position } from '../../core/types.js';
import { isOpen, type StatusPosition } from './order-transitions.js';
import { encodeValue, fillId, type StoredFill, type StrategySnapshot, type TableName } from './tables.js';

/**
 * The in-memory copy of everything the store holds, loaded at open and updated on every write, so reads
 * never touch LMDB. Writes are planned on a Stage (an overlay over the cache) and folded in only once
 * every record of the write is known to be valid: a refused batch leaves the cache untouched.
 */

/** What the store keeps per order: the latest record, where it stands, and the next history seq. */
export interface OrderEntry {
  readonly order: Order;
  readonly position: StatusPosition;
  readonly nextSeq: number;
}

export function balanceId(venue: string, asset: string): string {
  return `${venue}\u0000${asset}`;
}

export class StateCache {
  readonly orders = new Map<string, OrderEntry>();
  /** The subset of `orders` not yet final; kept apart so openOrders() does not scan history. */
  readonly #open = new Map<string, Order>();
  readonly fills = new Map<string, StoredFill>();
  /** Fills ordered by (ts, seq) for fillsSince(); appends are the common case. */
  readonly #byTime: StoredFill[] = [];
  readonly positions = new Map<string, Position>();
  readonly balances = new Map<string, Balance>();
  readonly snapshots = new Map<string, StrategySnapshot>();
  nextFillSeq = 0;

  setOrder(entry: OrderEntry): void {
    const id = entry.order.clientOrderId;
    this.orders.set(id, entry);
    if (isOpen(entry.order.status)) this.#open.set(id, entry.order);
    else this.#open.delete(id);
  }

  addFill(stored: StoredFill): void {
    const { fill } = stored;
    this.fills.set(fillId(fill.venue, fill.venueTradeId), stored);
    const at = this.#insertionIndex(fill.ts, stored.seq);
    if (at === this.#byTime.length) this.#byTime.push(stored);
    else this.#byTime.splice(at, 0, stored);
    if (stored.seq >= this.nextFillSeq) this.nextFillSeq = stored.seq + 1;
  }

  openOrders(): Order[] {
    return [...this.#open.values()];
  }

  /** Fills with `ts >= sinceMs`, oldest first. */
  fillsSince(sinceMs: number): Fill[] {
    const out: Fill[] = [];
    for (let i = this.#lowerBound(sinceMs); i < this.#byTime.length; i++) out.push(this.#byTime[i]!.fill);
    return out;
  }

  /** First index whose ts is >= ts. */
  #lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.#byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#byTime[mid]!.fill.ts < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #insertionIndex(ts: number, seq: number): number {
    const last = this.#byTime[this.#byTime.length - 1];
    if (!last || last.fill.ts < ts || (last.fill.ts === ts && last.seq < seq)) return this.#byTime.length;
    let i = this.#lowerBound(ts);
    while (i < this.#byTime.length && this.#byTime[i]!.fill.ts === ts && this.#byTime[i]!.seq < seq) i++;
    return i;
  }
}

/** One put of a planned write: table, key, and the already-encoded value. */
export interface PlannedPut {
  readonly table: TableName;
  readonly key: Key;
  readonly value: Uint8Array;
}

/** Pending changes of one write (one op or a batch), read through to the cache. */
export class Stage {
  readonly #puts: PlannedPut[] = [];
  readonly #base: StateCache;
  readonly #orders = new Map<string, OrderEntry>();
  readonly #fills = new Map<string, StoredFill>();
  readonly #positions = new Map<string, Position>();
  readonly #balances = new Map<string, Balance>();
  readonly #snapshots = new Map<string, StrategySnapshot>();
  #nextFillSeq: number;

  constructor(base: StateCache) {
    this.#base = base;
    this.#nextFillSeq = base.nextFillSeq;
  }

  order(id: string): OrderEntry | undefined {
    return this.#orders.get(id) ?? this.#base.orders.get(id);
  }

  hasFill(id: string): boolean {
    return this.#fills.has(id) || this.#base.fills.has(id);
  }

  position(instrument: string): Position | undefined {
    return this.#positions.get(instrument) ?? this.#base.positions.get(instrument);
  }

  balance(id: string): Balance | undefined {
    return this.#balances.get(id) ?? this.#base.balances.get(id);
  }

  takeFillSeq(): number {
    return this.#nextFillSeq++;
  }

  /** Encodes and queues one put; returns the encoded bytes. */
  put(table: TableName, key: Key, value: unknown): Uint8Array {
    const bytes = encodeValue(value);
    this.#puts.push({ table, key, value: bytes });
    return bytes;
  }

  get empty(): boolean {
    return this.#puts.length === 0 && this.#positions.size === 0;
  }

  /**
   * Every put of this write. Positions are written once per instrument with their final value: all puts
   * of a Stage share one transaction, so the intermediate positions of a batch of fills are never
   * visible to anyone, and writing them would only cost time.
   */
  finalPuts(): PlannedPut[] {
    const puts = [...this.#puts];
    for (const [instrument, position] of this.#positions) puts.push({ table: 'positions', key: instrument, value: encodeValue(position) });
    return puts;
  }

  setOrder(entry: OrderEntry): void {
    this.#orders.set(entry.order.clientOrderId, entry);
  }

  addFill(stored: StoredFill): void {
    this.#fills.set(fillId(stored.fill.venue, stored.fill.venueTradeId), stored);
  }

  setPosition(position: Position): void {
    this.#positions.set(position.instrument, position);
  }

  setBalance(balance: Balance): void {
    this.#balances.set(balanceId(balance.venue, balance.asset), balance);
  }

  setSnapshot(snapshot: StrategySnapshot): void {
    this.#snapshots.set(snapshot.strategyId, snapshot);
  }

  /** Folds the staged changes into the cache; called only once the whole write was planned. */
  applyTo(cache: StateCache): void {
    for (const entry of this.#orders.values()) cache.setOrder(entry);
    for (const stored of this.#fills.values()) cache.addFill(stored);
    for (const [instrument, position] of this.#positions) cache.positions.set(instrument, position);
    for (const [id, balance] of this.#balances) cache.balances.set(id, balance);
    for (const [id, snapshot] of this.#snapshots) cache.snapshots.set(id, snapshot);
  }
}
