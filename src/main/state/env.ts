import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type Key, type RootDatabase } from 'lmdb';

/**
 * The one LMDB environment of an engine: `<dataDir>/state.lmdb`. The state store and the audit journal
 * each open their own named sub-databases in it, so a single write transaction can span both and there
 * is one file to back up. Only the main thread writes to it.
 *
 * Durability choice: `overlappingSync: false`.
 *   lmdb-js commits on its own write thread and, with event-turn batching (on by default), puts issued
 *   in the same tick share one transaction. With `overlappingSync: false`, LMDB's commit itself does the
 *   work that makes it durable (write the pages, fdatasync, then write the meta page through an O_DSYNC
 *   descriptor), and the promise a put or batch returns resolves only after that commit. So "awaited" means
 *   "on disk", the main thread never blocks on an fsync, and a burst of writes in one tick costs one sync.
 *   The default, `overlappingSync: true`, resolves the promise at commit and flushes later; durability
 *   would then need an extra `await env.flushed` after every write, which measured no faster here for
 *   one-at-a-time writes and is easy to forget. `noSync`/`noMetaSync` would lose acknowledged writes on
 *   power loss and are never used. Event-turn batching is relied on for throughput, never for atomicity:
 *   writes that must be atomic together go through `env.batch(...)`.
 */

export type StateEnv = RootDatabase<unknown, Key>;
/** A sub-database storing raw bytes: callers encode and decode values themselves. */
export type BinaryTable<K extends Key = Key> = Database<Uint8Array, K>;

export const STATE_ENV_FILE = 'state.lmdb';

export interface StateEnvOptions {
  /** Named sub-databases the env may hold (state uses 6, the audit journal a few). */
  readonly maxDbs?: number;
  /** Initial map size in bytes; lmdb-js grows the map on demand, so this is only a starting point. */
  readonly mapSize?: number;
}

export function stateEnvPath(dir: string): string {
  return join(dir, STATE_ENV_FILE);
}

/** Opens (creating if needed) `<dir>/state.lmdb`. Call once per process and share the result. */
export function openStateEnv(dir: string, options: StateEnvOptions = {}): StateEnv {
  mkdirSync(dir, { recursive: true });
  return open<unknown, Key>({
    path: stateEnvPath(dir),
    maxDbs: options.maxDbs ?? 32,
    ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
    overlappingSync: false,
    noSync: false,
    noMetaSync: false,
    eventTurnBatching: true,
    commitDelay: 0,
  });
}

/**
 * Opens a named sub-database whose values are raw bytes. Values are encoded by the caller rather than by
 * lmdb-js so that a record that fails to decode is reported with its key instead of aborting a whole scan.
 */
export function openBinaryTable<K extends Key = Key>(env: StateEnv, name: string): BinaryTable<K> {
  return env.openDB<Uint8Array, K>({ name, encoding: 'binary' });
}
