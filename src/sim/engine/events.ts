import type { Address, Candle, L2Book, OrderUpdate, PublicTrade, SimFill, SimVenueEvents } from '../venue-api.js';

/**
 * The venue's listeners, and a batch that collects what one operation (an order request, a replayed
 * snapshot) changed so every listener hears about it once, after the state is complete: trades, then books,
 * candles, order updates, fills, and finally which accounts changed.
 */

type Listeners = { [E in keyof SimVenueEvents]: Set<SimVenueEvents[E]> };

export class VenueEmitter {
  readonly #listeners: Listeners = {
    book: new Set(),
    trades: new Set(),
    candle: new Set(),
    orderUpdates: new Set(),
    fills: new Set(),
    account: new Set(),
  };

  on<E extends keyof SimVenueEvents>(event: E, listener: SimVenueEvents[E]): () => void {
    const set = this.#listeners[event] as Set<SimVenueEvents[E]>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * Calls every listener even when one throws (one broken subscriber must not starve the others), then
   * rethrows the first error: the venue's own state is already complete by then.
   */
  emit<E extends keyof SimVenueEvents>(event: E, ...args: Parameters<SimVenueEvents[E]>): void {
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.#listeners[event]] as ((...a: Parameters<SimVenueEvents[E]>) => void)[]) {
      try {
        listener(...args);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }
}

export class EventBatch {
  readonly #trades = new Map<string, PublicTrade[]>();
  readonly #books = new Set<string>();
  readonly #candles = new Map<string, Candle>();
  readonly #orderUpdates = new Map<Address, OrderUpdate[]>();
  readonly #fills = new Map<Address, SimFill[]>();
  readonly #accounts = new Set<Address>();

  trade(trade: PublicTrade): void {
    push(this.#trades, trade.coin, trade);
  }

  book(coin: string): void {
    this.#books.add(coin);
  }

  /** Keeps only the newest state of each candle. */
  candle(candle: Candle): void {
    this.#candles.set(`${candle.s}|${candle.i}|${candle.t}`, candle);
  }

  orderUpdate(user: Address, update: OrderUpdate): void {
    push(this.#orderUpdates, user, update);
    this.#accounts.add(user);
  }

  fill(user: Address, fill: SimFill): void {
    push(this.#fills, user, fill);
    this.#accounts.add(user);
  }

  account(user: Address): void {
    this.#accounts.add(user);
  }

  /** Emits everything collected, in dependency order, and empties the batch. */
  flush(emitter: VenueEmitter, bookOf: (coin: string) => L2Book): void {
    const errors: unknown[] = [];
    const guard = (send: () => void): void => {
      try {
        send();
      } catch (error) {
        errors.push(error);
      }
    };
    for (const trades of this.#trades.values()) guard(() => emitter.emit('trades', trades));
    for (const coin of this.#books) guard(() => emitter.emit('book', bookOf(coin)));
    for (const candle of this.#candles.values()) guard(() => emitter.emit('candle', candle));
    for (const [user, updates] of this.#orderUpdates) guard(() => emitter.emit('orderUpdates', user, updates));
    for (const [user, fills] of this.#fills) guard(() => emitter.emit('fills', user, fills));
    for (const user of this.#accounts) guard(() => emitter.emit('account', user));
    this.#trades.clear();
    this.#books.clear();
    this.#candles.clear();
    this.#orderUpdates.clear();
    this.#fills.clear();
    this.#accounts.clear();
    if (errors.length > 0) throw errors[0];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
