import { Decimal } from '../../core/decimal.js';
import { StateError } from '../../core/errors.js';
import { applyFill, flatPosition } from '../../core/position.js';
import type { Balance, Fill, Order, Position } from '../../core/types.js';
import { StateCache, balanceId, type OrderEntry } from './cache.js';
import { INTENT_POSITION, resolveTransition } from './order-transitions.js';
import { balanceProblems, changedImmutableFields, fillProblems, orderProblems, positionProblems, samePosition } from './records.js';
import { SCHEMA_KEY, SCHEMA_VERSION, TABLE_NAMES, decodeValue, describeKey, type StateTables, type StoredFill, type StrategySnapshot, type TableName } from './tables.js';

/**
 * Reads the whole store into a fresh cache and checks every record on the way: it decodes, it has the
 * fields the core types promise, order histories only move forward, and each position equals the replay
 * of its instrument's fills in recorded order. Any failure is reported with the table and key of the
 * record, all at once, as one StateError(STATE_CORRUPT); nothing is silently dropped or repaired.
 */

export interface CorruptRecord {
  readonly table: string;
  readonly key: string;
  readonly problem: string;
}

export interface LoadReport {
  readonly orders: number;
  readonly orderRecords: number;
  readonly fills: number;
  readonly positions: number;
  readonly balances: number;
  readonly snapshots: number;
}

class Problems {
  readonly list: CorruptRecord[] = [];
  add(table: TableName, key: unknown, problem: string): void {
    this.list.push({ table: TABLE_NAMES[table], key: describeKey(key), problem });
  }
  /** Decodes a value, or records why it could not be decoded and returns undefined. */
  decode(table: TableName, key: unknown, bytes: Uint8Array): unknown {
    try {
      return decodeValue(bytes);
    } catch (error) {
      this.add(table, key, `value does not decode: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function loadState(tables: StateTables): { cache: StateCache; report: LoadReport } {
  const problems = new Problems();
  const cache = new StateCache();
  checkSchema(tables, problems);
  const orderRecords = loadOrders(tables, cache, problems);
  const fills = loadFills(tables, cache, problems);
  loadPositions(tables, cache, fills, problems);
  loadBalances(tables, cache, problems);
  loadSnapshots(tables, cache, problems);
  if (problems.list.length > 0) {
    const shown = problems.list.slice(0, 5).map((p) => `${p.table} ${p.key}: ${p.problem}`).join('; ');
    const more = problems.list.length > 5 ? ` (and ${problems.list.length - 5} more)` : '';
    throw new StateError('STATE_CORRUPT', `${problems.list.length} corrupt record(s): ${shown}${more}`, { records: problems.list });
  }
  const report: LoadReport = {
    orders: cache.orders.size, orderRecords, fills: fills.length, positions: cache.positions.size,
    balances: cache.balances.size, snapshots: cache.snapshots.size,
  };
  return { cache, report };
}

function checkSchema(tables: StateTables, problems: Problems): void {
  const bytes = tables.meta.get(SCHEMA_KEY);
  if (bytes === undefined) return; // a new store; the store writes the version on open
  const meta = problems.decode('meta', SCHEMA_KEY, bytes);
  if (meta === undefined) return;
  if (!isRecord(meta) || meta['version'] !== SCHEMA_VERSION) {
    problems.add('meta', SCHEMA_KEY, `schema version ${JSON.stringify(isRecord(meta) ? meta['version'] : meta)}, this build reads ${SCHEMA_VERSION}`);
  }
}

/** Order histories are stored contiguously by key, so each order is checked as its records stream past. */
function loadOrders(tables: StateTables, cache: StateCache, problems: Problems): number {
  let count = 0;
  let id: string | undefined;
  let entry: OrderEntry | undefined;
  let broken = false;
  const finish = () => {
    if (entry && !broken) cache.setOrder(entry);
  };
  for (const { key, value } of tables.orders.getRange()) {
    count++;
    if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || !isSeq(key[1])) {
      problems.add('orders', key, 'key is not [clientOrderId, seq]');
      continue;
    }
    const [orderId, seq] = key as [string, number];
    if (orderId !== id) {
      finish();
      id = orderId;
      entry = undefined;
      broken = false;
    }
    const expected = entry ? entry.nextSeq : 0;
    const order = problems.decode('orders', key, value);
    if (order === undefined) {
      broken = true;
      continue;
    }
    const fieldProblems = orderProblems(order);
    if (fieldProblems.length > 0) {
      problems.add('orders', key, fieldProblems.join('; '));
      broken = true;
      continue;
    }
    if (broken) continue; // after a bad record the history cannot be judged further; the first problem is reported
    const next = nextEntry(entry, order as Order, orderId, seq, expected);
    if (typeof next === 'string') {
      problems.add('orders', key, next);
      broken = true;
    } else {
      entry = next;
    }
  }
  finish();
  return count;
}

/** The entry after appending `order` at `seq`, or why that record cannot follow the history so far. */
function nextEntry(entry: OrderEntry | undefined, order: Order, id: string, seq: number, expected: number): OrderEntry | string {
  if (order.clientOrderId !== id) return `record names order ${JSON.stringify(order.clientOrderId)}`;
  if (seq !== expected) return `history seq ${seq} where ${expected} was expected: a record is missing`;
  if (!entry) {
    if (order.status !== 'pending') return `history starts with status ${order.status}, not the pending intent`;
    return { order, position: INTENT_POSITION, nextSeq: 1 };
  }
  const changed = changedImmutableFields(entry.order, order);
  if (changed.length > 0) return `changes fields fixed at intent: ${changed.join(', ')}`;
  const verdict = resolveTransition(entry.position, order.status);
  if (!verdict.ok) return `illegal status move: ${verdict.reason}`;
  if (new Decimal(order.filledSize).lt(entry.order.filledSize)) return `filled size falls from ${entry.order.filledSize} to ${order.filledSize}`;
  return { order, position: verdict.next, nextSeq: seq + 1 };
}

function loadFills(tables: StateTables, cache: StateCache, problems: Problems): StoredFill[] {
  const good: StoredFill[] = [];
  const seqs = new Set<number>();
  for (const { key, value } of tables.fills.getRange()) {
    if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string') {
      problems.add('fills', key, 'key is not [venue, venueTradeId]');
      continue;
    }
    const record = problems.decode('fills', key, value);
    if (record === undefined) continue;
    if (!isRecord(record) || !isSeq(record['seq'])) {
      problems.add('fills', key, 'record is not { seq, fill }');
      continue;
    }
    const fieldProblems = fillProblems(record['fill']);
    if (fieldProblems.length > 0) {
      problems.add('fills', key, fieldProblems.join('; '));
      continue;
    }
    const stored = record as unknown as StoredFill;
    if (stored.fill.venue !== key[0] || stored.fill.venueTradeId !== key[1]) problems.add('fills', key, 'record does not match its key');
    else if (seqs.has(stored.seq)) problems.add('fills', key, `fill seq ${stored.seq} is used twice`);
    else {
      seqs.add(stored.seq);
      good.push(stored);
    }
  }
  const byTime = [...good].sort((a, b) => a.fill.ts - b.fill.ts || a.seq - b.seq);
  for (const stored of byTime) cache.addFill(stored);
  return good;
}

/** Replays each instrument's fills in recorded order and compares with the stored position. */
function loadPositions(tables: StateTables, cache: StateCache, fills: StoredFill[], problems: Problems): void {
  const replayed = new Map<string, Position>();
  for (const { fill } of [...fills].sort((a, b) => a.seq - b.seq)) {
    replayed.set(fill.instrument, applyFill(replayed.get(fill.instrument) ?? flatPosition(fill.instrument), fill as Fill));
  }
  for (const { key, value } of tables.positions.getRange()) {
    const record = problems.decode('positions', key, value);
    if (record === undefined) continue;
    const fieldProblems = positionProblems(record);
    if (fieldProblems.length > 0) {
      problems.add('positions', key, fieldProblems.join('; '));
      continue;
    }
    const position = record as Position;
    const expected = replayed.get(String(key));
    replayed.delete(String(key));
    if (position.instrument !== key) problems.add('positions', key, `record names instrument ${JSON.stringify(position.instrument)}`);
    else if (!expected) problems.add('positions', key, 'position has no fills behind it');
    else if (!samePosition(position, expected)) {
      problems.add('positions', key, `stored ${JSON.stringify(position)} but its fills replay to ${JSON.stringify(expected)}`);
    } else cache.positions.set(position.instrument, position);
  }
  for (const [instrument, expected] of replayed) {
    problems.add('positions', instrument, `missing; its fills replay to ${JSON.stringify(expected)}`);
  }
}

function loadBalances(tables: StateTables, cache: StateCache, problems: Problems): void {
  for (const { key, value } of tables.balances.getRange()) {
    const record = problems.decode('balances', key, value);
    if (record === undefined) continue;
    const fieldProblems = balanceProblems(record);
    if (fieldProblems.length > 0) problems.add('balances', key, fieldProblems.join('; '));
    else {
      const balance = record as Balance;
      const [venue, asset] = Array.isArray(key) ? key : [];
      if (balance.venue !== venue || balance.asset !== asset) problems.add('balances', key, 'record does not match its key');
      else cache.balances.set(balanceId(balance.venue, balance.asset), balance);
    }
  }
}

function loadSnapshots(tables: StateTables, cache: StateCache, problems: Problems): void {
  for (const { key, value } of tables.snapshots.getRange()) {
    const record = problems.decode('snapshots', key, value);
    if (record === undefined) continue;
    if (!isRecord(record) || record['strategyId'] !== key || typeof record['savedAt'] !== 'number' || !('data' in record)) {
      problems.add('snapshots', key, 'record is not { strategyId matching its key, savedAt, data }');
    } else cache.snapshots.set(record['strategyId'] as string, record as unknown as StrategySnapshot);
  }
}
