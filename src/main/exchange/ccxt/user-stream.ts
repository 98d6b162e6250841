import { setTimeout as sleep } from 'node:timers/promises';
import type { Exchange, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { VenueId } from '../../../core/types.js';
import { SessionLatch } from '../resilience/session-latch.js';
import type { StreamSession } from '../resilience/stream-supervisor.js';
import { mapCcxtError } from './error-map.js';

export interface UserStreamHandlers {
  orders(orders: readonly CcxtOrder[]): void;
  trades(trades: readonly CcxtTrade[]): void;
}

/**
 * The account stream through ccxt.pro (watchOrders + watchMyTrades), which signs, authenticates and
 * keeps the listen key alive per venue. A venue sends nothing on these channels until something
 * happens, so the session counts as ready after `quietReadyMs` without an error, or at its first
 * message. A dropped socket rejects the pending watch; that ends the session and the supervisor
 * reconnects (ccxt resubscribes on the next watch).
 */
export function ccxtUserStream(exchange: Exchange, venue: VenueId, handlers: UserStreamHandlers, quietReadyMs = 500): () => StreamSession {
  return () => {
    const latch = new SessionLatch();
    const abort = new AbortController();
    const closed = () => abort.signal.aborted;
    const fail = (error: unknown) => {
      if (!closed()) latch.end(mapCcxtError(venue, error, 'fetchOpenOrders'));
    };
    void (async () => {
      while (!closed()) {
        const orders = await exchange.watchOrders();
        if (closed()) return;
        latch.markReady();
        handlers.orders(orders);
      }
    })().catch(fail);
    void (async () => {
      while (!closed()) {
        const trades = await exchange.watchMyTrades();
        if (closed()) return;
        latch.markReady();
        handlers.trades(trades);
      }
    })().catch(fail);
    void sleep(quietReadyMs, undefined, { signal: abort.signal }).then(() => latch.markReady(), () => undefined);
    return latch.session(() => {
      abort.abort();
      latch.end(undefined);
    });
  };
}
