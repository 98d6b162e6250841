import type { Clock } from '../../core/clock.js';
import { InvariantError, StateError } from '../../core/errors.js';
import type { Balance, Fill, Order, OrderIntent, Position } from '../../core/types.js';
import { Stage, type StateCache } from './cache.js';
import { openStateEnv, type StateEnv, type StateEnvOptions } from './env.js';
import { loadState, type LoadReport } from './loader.js';
import { planOp, type OpOutcome, type StateOp } from './planner.js';
import { SCHEMA_KEY, SCHEMA_VERSION, decodeValue, encodeValue, openStateTables, orderKey, type StateTables, type StrategySnapshot } from './tables.js';

/**
 * The engine's durable state: orders with their full history, fills, positions, balances and strategy
 * snapshots, in LMDB, with every read served from an in-memory cache. Only the main thread writes.
 *
 * A write is planned against the cache first (validation, dedupe, transitions), then the cache is updated
 * and the puts go to LMDB as one batch, i.e. one transaction; the returned promise resolves once that
 * transaction is on disk (see env.ts). Reads therefore see a write as soon as it is issued; callers that
 * act on the outside world (sending an order) must await the write first, which is the write-ahead rule.
 *
 * If LMDB ever refuses a commit, the cache is ahead of the disk: the store turns failed, every later
 * write and flush throws StateError(STATE_WRITE_FAILED) (policy: halt), and a restart reloads from disk.
 *
 * Errors: InvariantError for a malformed record or a broken write-ahead rule (a caller bug);
 * StateError(STATE_CORRUPT) from open/load; StateError(STATE_WRITE_FAILED) as above.
 */

export interface StateStoreOptions {
  /** Stamps snapshots; injected so backtests stay deterministic. */
  readonly clock: Clock;
  /** Used by `open(dir)` only. */
  readonly env?: StateEnvOptions;
}

export type OrderUpdateResult = Extract<OpOutcome, { kind: 'appended' | 'unchanged' | 'refused' }>;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class StateStore {
  readonly #env: StateEnv;
  readonly #ownsEnv: boolean;
  readonly #tables: StateTables;
  readonly #clock: Clock;
  #cache: StateCache;
  /** The latest commit; LMDB commits in order, so awaiting it awaits every earlier write too. */
  #lastWrite: Promise<void> = Promise.resolve();
  #failure: StateError | undefined;
  #closed = false;

  /** Opens `<dir>/state.lmdb`, loads and validates it; the store owns the env and closes it. */
  static async open(dir: string, options: StateStoreOptions): Promise<StateStore> {
    const env = openStateEnv(dir, options.env);
    try {
      return await StateStore.#create(env, true, options.clock);
    } catch (error) {
      await env.close();
      throw error;
    }
  }

  /** Uses an env opened (and later closed) by someone else, e.g. shared with the audit journal. */
  static async attach(env: StateEnv, options: StateStoreOptions): Promise<StateStore> {
    return StateStore.#create(env, false, options.clock);
  }

  static async #create(env: StateEnv, ownsEnv: boolean, clock: Clock): Promise<StateStore> {
    const tables = openStateTables(env);
    const store = new StateStore(env, ownsEnv, tables, clock, loadState(tables).cache);
    if (tables.meta.get(SCHEMA_KEY) === undefined) await store.#track(tables.meta.put(SCHEMA_KEY, encodeValue({ version: SCHEMA_VERSION })));
    return store;
  }

  private constructor(env: StateEnv, ownsEnv: boolean, tables: StateTables, clock: Clock, cache: StateCache) {
    this.#env = env;
    this.#ownsEnv = ownsEnv;
    this.#tables = tables;
    this.#clock = clock;
    this.#cache = cache;
  }

  /** Re-reads and re-validates everything on disk, replacing the cache. Throws StateError(STATE_CORRUPT). */
  async load(): Promise<LoadReport> {
    await this.flush();
    const { cache, report } = loadState(this.#tables);
    this.#cache = cache;
    return report;
  }

  /** The write-ahead: resolves once the intent is on disk; only then may the order be sent. */
  async writeIntent(intent: OrderIntent): Promise<void> {
    await this.#write([{ kind: 'intent', intent }]);
  }

  /** Appends a status change to the order's history, unless it would move the order backwards. */
  async recordOrderUpdate(order: Order): Promise<OrderUpdateResult> {
    const [outcome] = await this.#write([{ kind: 'order', order }]);
    return outcome as OrderUpdateResult;
  }

  /** Records a fill and the position it produces in one transaction; false if (venue, venueTradeId) is known. */
  async recordFill(fill: Fill): Promise<boolean> {
    const [outcome] = await this.#write([{ kind: 'fill', fill }]);
    return outcome?.kind === 'written';
  }

  async recordBalance(balance: Balance): Promise<void> {
    await this.#write([{ kind: 'balance', balance }]);
  }

  async saveSnapshot(strategyId: string, data: unknown): Promise<void> {
    await this.#write([{ kind: 'snapshot', strategyId, data }]);
  }

  /**
   * Many changes in one durable transaction, applied in order (a batch may write an intent and then
   * update that order). All are validated before any is applied: if one throws, none is written.
   */
  async writeBatch(ops: readonly StateOp[]): Promise<OpOutcome[]> {
    return this.#write(ops);
  }

  getOrder(clientOrderId: string): Order | undefined {
    return this.#cache.orders.get(clientOrderId)?.order;
  }

  /** Every record of the order, oldest first, as committed; waits for earlier writes so none is missed. */
  async orderHistory(clientOrderId: string): Promise<Order[]> {
    await this.flush();
    const range = this.#tables.orders.getRange({ start: orderKey(clientOrderId, 0), end: orderKey(clientOrderId, Number.MAX_SAFE_INTEGER) });
    return range.map(({ value }) => decodeValue(value) as Order).asArray;
  }

  /** Orders not yet final, oldest intent first. */
  openOrders(): Order[] {
    return this.#cache.openOrders().sort((a, b) => a.createdAt - b.createdAt || compareText(a.clientOrderId, b.clientOrderId));
  }

  /** By instrument, so the answer does not depend on write or load order. */
  positions(): Position[] {
    return [...this.#cache.positions.values()].sort((a, b) => compareText(a.instrument, b.instrument));
  }

  position(instrument: string): Position | undefined {
    return this.#cache.positions.get(instrument);
  }

  /** By venue, then asset. */
  balances(): Balance[] {
    return [...this.#cache.balances.values()].sort((a, b) => compareText(a.venue, b.venue) || compareText(a.asset, b.asset));
  }

  /** Fills with `ts >= sinceMs`, oldest first. */
  fillsSince(sinceMs: number): Fill[] {
    return this.#cache.fillsSince(sinceMs);
  }

  loadSnapshot(strategyId: string): StrategySnapshot | undefined {
    return this.#cache.snapshots.get(strategyId);
  }

  /** Resolves once every write issued so far is on disk. */
  async flush(): Promise<void> {
    await this.#lastWrite;
    if (this.#failure) throw this.#failure;
  }

  /** Refuses further writes, waits for pending ones, and closes the env if this store opened it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      if (this.#ownsEnv) await this.#env.close();
    }
  }

  #write(ops: readonly StateOp[]): Promise<OpOutcome[]> {
    if (this.#closed) return Promise.reject(new InvariantError('state store is closed; no further writes'));
    if (this.#failure) return Promise.reject(this.#failure);
    const stage = new Stage(this.#cache);
    const context = { now: this.#clock.now() };
    // Planning throws before the cache or the disk is touched, so a refused batch changes nothing.
    let outcomes: OpOutcome[];
    try {
      outcomes = ops.map((op) => planOp(stage, op, context));
    } catch (error) {
      return Promise.reject(error);
    }
    if (stage.empty) return this.flush().then(() => outcomes);
    const puts = stage.finalPuts();
    stage.applyTo(this.#cache);
    const tables = this.#tables;
    const committed = this.#env.batch(() => {
      for (const put of puts) void tables[put.table].put(put.key, put.value);
    });
    return this.#track(committed).then(() => outcomes);
  }

  #track(commit: Promise<unknown>): Promise<void> {
    const done = commit.then(
      () => undefined,
      (error: unknown) => {
        this.#failure ??= new StateError('STATE_WRITE_FAILED', `LMDB refused a commit: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
        throw this.#failure;
      },
    );
    // flush() reports the failure itself; keep the chain from raising an unhandled rejection.
    this.#lastWrite = done.catch(() => undefined);
    return done;
  }
}
