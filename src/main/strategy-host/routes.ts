import type { Fill } from '../../core/types.js';

/** Owners remembered per generation; the older generation is dropped when a new one fills. */
const OWNER_GENERATION = 4_096;

/**
 * Who gets which event. Market data goes by instrument to every strategy trading it, grouped by the
 * worker (`W`) that hosts them so one message per worker carries it. Order updates go to the strategy
 * the order names; fills, which name only the client order id, to the strategy whose intent it was:
 * learnt when the intent went out, else asked of the engine's order store (which holds every order the
 * engine placed, this run or before a restart; an order it does not know is no strategy's). Without a
 * store (a host on its own) an order it never saw is read from its id's prefix (orders.ts builds ids
 * as "<strategyId>-<load time>-<seq>").
 */
export class Routes<W> {
  readonly #byInstrument = new Map<string, Map<W, string[]>>();
  /**
   * Owners of recently placed orders, in two generations and never deleted from: a long-lived Map with
   * an insert and a delete per order rebuilds its table again and again, and on Node 20 the tables it
   * drops keep young keys alive through scavenges (docs/architecture.md, "Allocation on the hot path").
   * An order older than both generations is asked of the store, or without one read from its id's prefix.
   */
  #owners = new Map<string, string>();
  #olderOwners = new Map<string, string>();
  readonly #strategies = new Set<string>();
  readonly #storedOwner: ((clientOrderId: string) => string | undefined) | undefined;

  constructor(storedOwner?: (clientOrderId: string) => string | undefined) {
    this.#storedOwner = storedOwner;
  }

  add(strategyId: string, instrument: string, worker: W): void {
    this.#set(strategyId, instrument, worker, true);
    this.#strategies.add(strategyId);
  }

  remove(strategyId: string, instrument: string, worker: W): void {
    this.#set(strategyId, instrument, worker, false);
    this.#strategies.delete(strategyId);
  }

  /** Strategies (by worker) trading `instrument`; undefined when none. */
  market(instrument: string): ReadonlyMap<W, readonly string[]> | undefined {
    return this.#byInstrument.get(instrument);
  }

  /** Remembers that the strategy placed this order, so its fills find it. */
  placed(clientOrderId: string, strategyId: string): void {
    if (this.#owners.size >= OWNER_GENERATION) {
      this.#olderOwners = this.#owners;
      this.#owners = new Map();
    }
    this.#owners.set(clientOrderId, strategyId);
  }

  ownerOfFill(fill: Fill): string | undefined {
    const id = fill.clientOrderId;
    if (id === undefined) return undefined;
    const known = this.#owners.get(id) ?? this.#olderOwners.get(id);
    if (known !== undefined) return known;
    if (this.#storedOwner !== undefined) return this.#storedOwner(id);
    let best: string | undefined;
    for (const s of this.#strategies) if (id.startsWith(`${s}-`) && s.length > (best?.length ?? 0)) best = s;
    return best;
  }

  #set(strategyId: string, instrument: string, worker: W, add: boolean): void {
    let byWorker = this.#byInstrument.get(instrument);
    if (byWorker === undefined) this.#byInstrument.set(instrument, (byWorker = new Map()));
    const ids = (byWorker.get(worker) ?? []).filter((id) => id !== strategyId);
    if (add) ids.push(strategyId);
    if (ids.length > 0) byWorker.set(worker, ids);
    else byWorker.delete(worker);
    if (byWorker.size === 0) this.#byInstrument.delete(instrument);
  }
}
