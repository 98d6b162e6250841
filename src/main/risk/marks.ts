import { type Decimal, dec } from '../../core/decimal.js';
import { OrderBook } from '../../core/order-book.js';
import type { InstrumentId } from '../../core/types.js';
import type { EventBus } from '../bus/bus.js';

/**
 * The latest mark per instrument, from `market.mark`, or the book's mid where the venue streams no mark
 * (spot, or before the first mark). Also keeps each book, for slippage bounds in execution.
 */
export class MarketPrices {
  readonly #marks = new Map<InstrumentId, Decimal>();
  readonly #books = new Map<InstrumentId, OrderBook>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(bus?: EventBus) {
    if (bus === undefined) return;
    this.#unsubscribe.push(
      bus.subscribe('market.mark', (e) => this.setMark(e.instrument, e.markPrice), 'risk.marks'),
      bus.subscribe('market.book', (e) => this.applyBook(e.instrument, e), 'risk.books'),
    );
  }

  setMark(instrument: InstrumentId, price: number | string | Decimal): void {
    this.#marks.set(instrument, dec(price, 'mark price'));
  }

  applyBook(instrument: InstrumentId, update: Parameters<OrderBook['apply']>[0]): void {
    let book = this.#books.get(instrument);
    if (book === undefined) this.#books.set(instrument, (book = new OrderBook()));
    book.apply(update);
  }

  book(instrument: InstrumentId): OrderBook | undefined {
    return this.#books.get(instrument);
  }

  /** Mark, else mid, else undefined: never a guess. */
  mark(instrument: InstrumentId): Decimal | undefined {
    const mark = this.#marks.get(instrument);
    if (mark !== undefined) return mark;
    const book = this.#books.get(instrument);
    const bid = book?.bestBid();
    const ask = book?.bestAsk();
    if (bid === undefined || ask === undefined) return undefined;
    return dec(bid.price).plus(dec(ask.price)).div(2);
  }

  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
  }
}
