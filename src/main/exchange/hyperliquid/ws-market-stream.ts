import WebSocket from 'ws';
import type { Clock } from '../../../core/clock.js';
import { OspreyError, VenueError } from '../../../core/errors.js';
import type { OspreyEvent } from '../../../core/events.js';
import type { LatencySink } from '../../../core/latency-stages.js';
import type { MarketStreamFactory } from '../market-stream.js';
import { SessionLatch } from '../resilience/session-latch.js';
import { HyperliquidMarketDecoder } from './market-decoder.js';

export interface DecoderStreamSettings {
  /** Hyperliquid closes sockets idle for 60 s; we ping well inside that. */
  readonly pingIntervalMs: number;
}

export const DEFAULT_DECODER_STREAM: DecoderStreamSettings = { pingIntervalMs: 20_000 };

/**
 * Hyperliquid's hot market data (l2Book, trades) over a plain `ws` socket owned by the main thread,
 * decoded straight into core events by HyperliquidMarketDecoder: no ccxt structures in between, which is
 * what keeps parse-to-bus near the bare JSON.parse rate. One session = one socket: connect, subscribe
 * every instrument, publish until the socket closes, pings go unanswered, or malformed messages burst.
 * Every l2Book message is a full snapshot, so a new session rebuilds each book from its first message.
 * With `recordLatency`, each message's time splits into `parse` (the decoder's own work) and `bus` (the
 * publishes it made: the bus and every subscriber's in-line work, the hand-off to strategy workers too).
 */
export function hyperliquidDecoderStream(wsUrl: string, clock: Clock, settings: DecoderStreamSettings = DEFAULT_DECODER_STREAM, recordLatency?: LatencySink): MarketStreamFactory {
  return (context) => {
    const latch = new SessionLatch();
    /** Time spent in publish during the current message, in ms, and whether it published at all. */
    let publishMs = 0;
    let published = false;
    const sink = {
      publish: (event: OspreyEvent) => {
        if (event.type === 'market.book') latch.markReady();
        const start = recordLatency === undefined ? 0 : performance.now();
        context.sink.publish(event);
        if (recordLatency !== undefined) publishMs += performance.now() - start;
        published = true;
      },
    };
    const coins = new Map(context.instruments.map((i) => [i.venueSymbol, i.id]));
    const decoder = new HyperliquidMarketDecoder({ instruments: coins, clock, sink });
    const socket = new WebSocket(wsUrl);
    let lastHeard = clock.now();
    const end = (reason: OspreyError | undefined) => {
      clearInterval(ping);
      latch.end(reason);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    };
    const ping = setInterval(() => {
      if (clock.now() - lastHeard > 2 * settings.pingIntervalMs) {
        end(new VenueError('TIMEOUT', `hyperliquid market stream silent for ${clock.now() - lastHeard} ms`, { venue: 'hyperliquid', channel: 'market' }));
      } else if (socket.readyState === WebSocket.OPEN) {
        socket.send('{"method":"ping"}');
      }
    }, settings.pingIntervalMs);
    socket.on('open', () => {
      for (const coin of coins.keys()) {
        socket.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'l2Book', coin } }));
        socket.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'trades', coin } }));
      }
    });
    socket.on('message', (data: WebSocket.RawData) => {
      lastHeard = clock.now();
      const start = recordLatency === undefined ? 0 : performance.now();
      publishMs = 0;
      published = false;
      try {
        decoder.decode(data.toString());
        // Replies that publish nothing (pong, subscription acks) are not market messages.
        if (recordLatency !== undefined && published) {
          recordLatency('parse', (performance.now() - start - publishMs) * 1000);
          recordLatency('bus', publishMs * 1000);
        }
      } catch (error) {
        if (!(error instanceof OspreyError)) throw error;
        const burst = context.malformed(error);
        if (burst !== undefined) end(burst);
      }
    });
    socket.on('error', (error) => end(new VenueError('VENUE_UNAVAILABLE', `hyperliquid market stream: ${error.message}`, { venue: 'hyperliquid', channel: 'market' })));
    socket.on('close', (code) => end(new VenueError('VENUE_UNAVAILABLE', `hyperliquid market stream closed (code ${code})`, { venue: 'hyperliquid', channel: 'market', code })));
    return latch.session(() => end(undefined));
  };
}
