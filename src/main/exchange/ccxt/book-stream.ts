import type { Exchange } from 'ccxt';
import { ValidationError } from '../../../core/errors.js';
import type { Instrument, VenueId } from '../../../core/types.js';
import type { MarketStreamContext, MarketStreamFactory } from '../market-stream.js';
import { SessionLatch } from '../resilience/session-latch.js';
import { mapCcxtError } from './error-map.js';
import { bookLevels } from './normalise.js';

/**
 * Market data through ccxt.pro's watchOrderBook / watchTrades. The default for Binance and Bybit, and
 * the fallback for Hyperliquid's direct decoder (selectable by config): slower, because ccxt builds its
 * own structures first, but it is ccxt's maintained handling of each venue's book protocol (Binance's
 * snapshot-plus-diff sync included). Every update is published as a snapshot of the top `depth` levels.
 */
export function ccxtBookStream(exchange: Exchange, venue: VenueId, symbolOf: (instrument: Instrument) => string, depth = 50): MarketStreamFactory {
  return (context) => {
    const latch = new SessionLatch();
    let closed = false;
    const fail = (error: unknown) => {
      if (!closed) latch.end(mapCcxtError(venue, error, 'fetchBook'));
    };
    for (const instrument of context.instruments) {
      const symbol = symbolOf(instrument);
      void watchBooks(exchange, symbol, instrument, depth, context, latch, () => closed).catch(fail);
      void watchTrades(exchange, symbol, instrument, context, latch, () => closed).catch(fail);
    }
    return latch.session(() => {
      closed = true;
      latch.end(undefined);
    });
  };
}

async function watchBooks(
  exchange: Exchange, symbol: string, instrument: Instrument, depth: number, context: MarketStreamContext, latch: SessionLatch, closed: () => boolean,
): Promise<void> {
  while (!closed()) {
    const book = await exchange.watchOrderBook(symbol);
    if (closed()) return;
    let bids;
    let asks;
    try {
      bids = bookLevels(book.bids.slice(0, depth));
      asks = bookLevels(book.asks.slice(0, depth));
    } catch (error) {
      const burst = context.malformed(error);
      if (burst !== undefined) latch.end(burst);
      continue;
    }
    context.sink.publish(context.events.make('market.book', {
      instrument: instrument.id, bids, asks, snapshot: true, ...(book.nonce === undefined ? {} : { sequence: book.nonce }),
    }, book.timestamp ?? undefined));
    latch.markReady();
  }
}

async function watchTrades(
  exchange: Exchange, symbol: string, instrument: Instrument, context: MarketStreamContext, latch: SessionLatch, closed: () => boolean,
): Promise<void> {
  while (!closed()) {
    const trades = await exchange.watchTrades(symbol);
    if (closed()) return;
    for (const trade of trades) {
      const price = trade.price;
      const size = trade.amount;
      if (!(price !== undefined && price > 0 && price < Infinity && size !== undefined && size > 0 && size < Infinity)) {
        const burst = context.malformed(new ValidationError(`trade ${String(trade.id)} on ${instrument.id}: price and size must be positive, got ${price} x ${size}`, { field: 'trade' }));
        if (burst !== undefined) latch.end(burst);
        continue;
      }
      context.sink.publish(context.events.make('market.trade', {
        instrument: instrument.id, price, size, aggressor: trade.side === 'sell' ? 'sell' : 'buy', tradeId: String(trade.id),
      }, trade.timestamp ?? undefined));
    }
  }
}
