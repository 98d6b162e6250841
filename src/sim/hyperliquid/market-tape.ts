import type { PublicTrade, SimVenue } from '../venue-api.js';

/**
 * The last public trades per coin. The venue pushes trades but keeps no history of them, and both
 * `/info recentTrades` and the WebSocket `trades` subscription backfill read recent ones.
 */
export const TAPE_LENGTH = 100;

export class MarketTape {
  readonly #byCoin = new Map<string, PublicTrade[]>();
  readonly #unsubscribe: () => void;

  constructor(venue: SimVenue) {
    this.#unsubscribe = venue.on('trades', (trades) => {
      for (const trade of trades) this.#append(trade);
    });
  }

  #append(trade: PublicTrade): void {
    let list = this.#byCoin.get(trade.coin);
    if (list === undefined) {
      list = [];
      this.#byCoin.set(trade.coin, list);
    }
    list.push(trade);
    if (list.length > TAPE_LENGTH) list.splice(0, list.length - TAPE_LENGTH);
  }

  /** Oldest first, as the trades channel delivers them. */
  recent(coin: string): readonly PublicTrade[] {
    return this.#byCoin.get(coin) ?? [];
  }

  close(): void {
    this.#unsubscribe();
  }
}
