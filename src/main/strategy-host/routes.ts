import type { Fill, Order } from '../../core/types.js';

const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/**
 * Who gets which event. Market data goes by instrument to every strategy trading it, grouped by the
 * worker (`W`) that hosts them so one message per worker carries it. Order updates go to the strategy
 * the order names; fills, which name only the client order id, to the strategy whose intent it was,
 * learnt when the intent went out, or, for orders from before a restart, read from the id's prefix
 * (orders.ts builds ids as "<strategyId>-<load time>-<seq>").
 */
export class Routes<W> {
  readonly #byInstrument = new Map<string, Map<W, string[]>>();
  readonly #orderOwner = new Map<string, string>();
  readonly #strategies = new Set<string>();

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
    this.#orderOwner.set(clientOrderId, strategyId);
  }

  ownerOfOrder(order: Order): string {
    // A final order gets no more fills worth routing by map; the prefix still finds late ones.
    if (FINAL.has(order.status)) this.#orderOwner.delete(order.clientOrderId);
    return order.strategyId;
  }

  ownerOfFill(fill: Fill): string | undefined {
    const id = fill.clientOrderId;
    if (id === undefined) return undefined;
    const known = this.#orderOwner.get(id);
    if (known !== undefined) return known;
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
