import type { Address, L2Book, SimVenue } from '../venue-api.js';
import { perpContexts, perpMarkets, spotContext } from './market-meta.js';
import type { MarketTape } from './market-tape.js';
import { INTERVAL_MS, aggregateBook, wireFill } from './wire-format.js';
import type { WsConnection } from './ws-connection.js';
import type { Subscription } from './ws-subscriptions.js';

/**
 * Pushes venue events to the sockets subscribed to them, and sends each new subscription its initial
 * snapshot, in the channel shapes of ../refs hyperliquid §6. Context channels (allMids,
 * activeAssetCtx) follow book updates at most every CONTEXT_PUSH_MS of venue time, so a fast replay
 * does not flood clients and the cadence stays deterministic.
 */
export const CONTEXT_PUSH_MS = 500;

export class WsHub {
  readonly #venue: SimVenue;
  readonly #tape: MarketTape;
  readonly #connections = new Set<WsConnection>();
  readonly #unsubscribe: (() => void)[];
  readonly #lastContextPush = new Map<string, number>();

  constructor(venue: SimVenue, tape: MarketTape) {
    this.#venue = venue;
    this.#tape = tape;
    this.#unsubscribe = [
      venue.on('book', (book) => this.#onBook(book)),
      venue.on('trades', (trades) => {
        for (const coin of new Set(trades.map((t) => t.coin))) {
          const data = trades.filter((t) => t.coin === coin);
          this.#publish((s) => s.type === 'trades' && s.coin === coin, () => ({ channel: 'trades', data }));
        }
      }),
      venue.on('candle', (candle) =>
        this.#publish((s) => s.type === 'candle' && s.coin === candle.s && s.interval === candle.i, () => ({ channel: 'candle', data: candle })),
      ),
      venue.on('orderUpdates', (user, updates) =>
        this.#publish((s) => s.type === 'orderUpdates' && s.user === user, () => ({ channel: 'orderUpdates', data: updates })),
      ),
      venue.on('fills', (user, fills) =>
        this.#publish(
          (s) => s.type === 'userFills' && s.user === user,
          () => ({ channel: 'userFills', data: { isSnapshot: false, user, fills: fills.map(wireFill) } }),
        ),
      ),
      venue.on('account', (user) => this.#onAccount(user)),
    ];
  }

  add(connection: WsConnection): void {
    this.#connections.add(connection);
  }

  remove(connection: WsConnection): void {
    this.#connections.delete(connection);
  }

  close(): void {
    for (const stop of this.#unsubscribe) stop();
    this.#connections.clear();
  }

  /** The message a new subscriber gets at once, or undefined when the stream has nothing to show yet. */
  snapshot(sub: Subscription): unknown {
    const venue = this.#venue;
    switch (sub.type) {
      case 'l2Book': {
        const book = venue.l2Book(sub.coin);
        return book === undefined ? undefined : this.#bookMessage(book, sub);
      }
      case 'bbo': {
        const book = venue.l2Book(sub.coin);
        return book === undefined ? undefined : bboMessage(book);
      }
      case 'trades': {
        const recent = this.#tape.recent(sub.coin);
        return recent.length === 0 ? undefined : { channel: 'trades', data: [...recent] };
      }
      case 'candle': {
        const now = venue.now();
        // Only the current candle is sent, so only the last two intervals are asked for.
        const latest = venue.candles(sub.coin, sub.interval, Math.max(0, now - 2 * INTERVAL_MS[sub.interval]), now).at(-1);
        return latest === undefined ? undefined : { channel: 'candle', data: latest };
      }
      case 'allMids':
        return { channel: 'allMids', data: { mids: venue.mids() } };
      case 'activeAssetCtx':
        return this.#contextMessage(sub.coin);
      case 'orderUpdates':
        return undefined;
      case 'userFills': {
        const fills = [...venue.userFills(sub.user)].sort((a, b) => a.time - b.time || a.tid - b.tid).map(wireFill);
        return { channel: 'userFills', data: { isSnapshot: true, user: sub.user, fills } };
      }
      case 'clearinghouseState':
        return this.#clearinghouseMessage(sub.user);
      case 'spotState':
        return this.#spotStateMessage(sub.user);
    }
  }

  #publish(matches: (sub: Subscription) => boolean, message: () => unknown): void {
    let built: unknown;
    for (const connection of this.#connections) {
      for (const sub of connection.subscriptions.values()) {
        if (!matches(sub)) continue;
        built ??= message();
        connection.send(built);
        break;
      }
    }
  }

  #onBook(book: L2Book): void {
    for (const connection of this.#connections) {
      for (const sub of connection.subscriptions.values()) {
        if (sub.type === 'l2Book' && sub.coin === book.coin) connection.send(this.#bookMessage(book, sub));
        else if (sub.type === 'bbo' && sub.coin === book.coin) connection.send(bboMessage(book));
      }
    }
    const last = this.#lastContextPush.get(book.coin);
    if (last !== undefined && book.time - last < CONTEXT_PUSH_MS) return;
    this.#lastContextPush.set(book.coin, book.time);
    this.#publish((s) => s.type === 'activeAssetCtx' && s.coin === book.coin, () => this.#contextMessage(book.coin));
    this.#publish((s) => s.type === 'allMids', () => ({ channel: 'allMids', data: { mids: this.#venue.mids() } }));
  }

  #onAccount(user: Address): void {
    this.#publish((s) => s.type === 'clearinghouseState' && s.user === user, () => this.#clearinghouseMessage(user));
    this.#publish((s) => s.type === 'spotState' && s.user === user, () => this.#spotStateMessage(user));
  }

  #bookMessage(book: L2Book, sub: Extract<Subscription, { type: 'l2Book' }>): unknown {
    const data = sub.nSigFigs === undefined || sub.nSigFigs === null ? book : aggregateBook(book, sub.nSigFigs, sub.mantissa ?? undefined);
    return { channel: 'l2Book', data };
  }

  #contextMessage(coin: string): unknown {
    const perps = perpMarkets(this.#venue);
    const index = perps.findIndex((m) => m.coin === coin);
    if (index >= 0) return { channel: 'activeAssetCtx', data: { coin, ctx: perpContexts(this.#venue)[index] } };
    if (!this.#venue.markets.some((m) => m.coin === coin)) return undefined;
    return { channel: 'activeSpotAssetCtx', data: { coin, ctx: spotContext(coin, this.#venue.mids()[coin] ?? null) } };
  }

  #clearinghouseMessage(user: Address): unknown {
    return { channel: 'clearinghouseState', data: { dex: '', user, clearinghouseState: this.#venue.clearinghouseState(user) } };
  }

  #spotStateMessage(user: Address): unknown {
    return { channel: 'spotState', data: { user, spotState: { balances: this.#venue.spotBalances(user) } } };
  }
}

function bboMessage(book: L2Book): unknown {
  return { channel: 'bbo', data: { coin: book.coin, time: book.time, bbo: [book.levels[0][0] ?? null, book.levels[1][0] ?? null] } };
}
