import { decode, encode } from '@msgpack/msgpack';
import type { Database, RootDatabase } from 'lmdb';
import type { OspreyEvent } from '../../core/events.js';
import { StateError } from '../../core/errors.js';

/** One journal record: an event from the bus, or a decision a component took (with its reasons). */
export interface AuditEntry {
  readonly seq: number;
  /** ms since epoch: the event's receive time, or when the decision was taken. */
  readonly ts: number;
  /** A topic ("order.intent") or a decision kind ("decision.risk"). */
  readonly type: string;
  readonly data: unknown;
}

export interface AuditQuery {
  /** Inclusive lower bound, ms. */
  from?: number;
  /** Exclusive upper bound, ms. */
  to?: number;
  /** Only these types (exact names, or a prefix ending in "." such as "order."). */
  types?: readonly string[];
  limit?: number;
}

type EntryKey = [number, number];

/**
 * The append-only audit journal: msgpack records in LMDB keyed by (ts, seq), plus an index keyed by
 * (type, ts, seq) so queries by type do not scan. Writes are not awaited one by one: lmdb-js batches
 * them into the next durable commit, which keeps the journal off the hot path.
 */
export class AuditJournal {
  readonly #entries: Database<Uint8Array, EntryKey>;
  readonly #byType: Database<Uint8Array, [string, number, number]>;
  readonly #meta: Database<number, string>;
  #seq: number;
  #pending: Promise<boolean> | undefined;

  constructor(env: RootDatabase) {
    this.#entries = env.openDB<Uint8Array, EntryKey>({ name: 'audit', encoding: 'binary' });
    this.#byType = env.openDB<Uint8Array, [string, number, number]>({ name: 'audit-by-type', encoding: 'binary' });
    this.#meta = env.openDB<number, string>({ name: 'audit-meta' });
    // The sequence continues across restarts even if the clock stepped back, so keys never collide.
    this.#seq = this.#meta.get('seq') ?? 0;
  }

  recordEvent(event: OspreyEvent): void {
    this.#append(event.type, event.tsRecv, event);
  }

  recordDecision(kind: string, ts: number, data: unknown): void {
    this.#append(`decision.${kind}`, ts, data);
  }

  /** Resolves once everything appended so far is durable. */
  async flush(): Promise<void> {
    await this.#pending;
  }

  query(q: AuditQuery = {}): AuditEntry[] {
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const limit = q.limit ?? 1000;
    if (q.types === undefined || q.types.length === 0) {
      const out: AuditEntry[] = [];
      for (const { key, value } of this.#entries.getRange({ start: [from, 0], end: [to, 0], limit })) out.push(this.#decode(key, value));
      return out;
    }
    const keys: EntryKey[] = [];
    for (const type of q.types) {
      const prefix = type.endsWith('.');
      const start: [string, number, number] = [type, from, 0];
      const end: [string, number, number] = prefix ? [`${type}\uffff`, 0, 0] : [type, to, 0];
      for (const { key } of this.#byType.getRange({ start, end })) {
        if (key[1] >= from && key[1] < to) keys.push([key[1], key[2]]);
      }
    }
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const out: AuditEntry[] = [];
    for (const key of keys.slice(0, limit)) {
      const value = this.#entries.get(key);
      if (value !== undefined) out.push(this.#decode(key, value));
    }
    return out;
  }

  #append(type: string, ts: number, data: unknown): void {
    const seq = ++this.#seq;
    const record = encode({ type, data }, { ignoreUndefined: true });
    this.#entries.put([ts, seq], record);
    this.#byType.put([type, ts, seq], EMPTY);
    this.#pending = this.#meta.put('seq', seq);
  }

  #decode(key: EntryKey, value: Uint8Array): AuditEntry {
    try {
      const { type, data } = decode(value) as { type: string; data: unknown };
      return { seq: key[1], ts: key[0], type, data };
    } catch (error) {
      throw new StateError('STATE_CORRUPT', `audit record at ts=${key[0]} seq=${key[1]} cannot be decoded`, { key }, { cause: error });
    }
  }
}

const EMPTY = new Uint8Array(0);
