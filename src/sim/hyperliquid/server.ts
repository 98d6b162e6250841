import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveClock, type Clock } from '../../core/clock.js';
import type { SimVenue } from '../venue-api.js';
import { AccountDirectory } from './account-directory.js';
import { handleExchange, type ExchangeContext } from './exchange-endpoint.js';
import { createHttpHandler, type Endpoints } from './http-endpoint.js';
import { handleInfo, type InfoContext } from './info-endpoint.js';
import { MarketTape } from './market-tape.js';
import { NonceBook } from './nonces.js';
import { ScheduledCancels } from './scheduled-cancels.js';
import type { Network } from './signing.js';
import { NO_FAULTS, type TransportFaults } from './transport-faults.js';
import { WsHub } from './ws-hub.js';
import { attachWebSocket } from './ws-server.js';

/**
 * A loopback server that speaks Hyperliquid's API (POST /info, POST /exchange, WebSocket /ws) in front
 * of a simulated venue, so an unmodified ccxt client trades against it. Binds 127.0.0.1 only.
 */

export interface HyperliquidServerOptions {
  readonly venue: SimVenue;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Which phantom-agent source byte L1 signatures carry: "a" mainnet (default) or "b" testnet. */
  readonly network?: Network;
  readonly faults?: TransportFaults;
  /** The clients' clock for nonce windows, expiries and scheduled cancels (default: wall clock). */
  readonly clock?: Clock;
  /** Close a WebSocket that sent nothing for this long (live: 60 s). */
  readonly idleTimeoutMs?: number;
  /** Reports handler bugs; the request or message fails, the server keeps running. */
  readonly onError?: (error: unknown) => void;
}

export interface HyperliquidServer {
  readonly port: number;
  /** http://127.0.0.1:PORT, what ccxt's `urls.api.public` / `private` take. */
  readonly httpUrl: string;
  /** ws://127.0.0.1:PORT/ws, ccxt's `urls.api.ws.public`. */
  readonly wsUrl: string;
  readonly directory: AccountDirectory;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';
export const LIVE_IDLE_TIMEOUT_MS = 60_000;
const SCHEDULED_CANCEL_POLL_MS = 250;

export async function startHyperliquidServer(options: HyperliquidServerOptions): Promise<HyperliquidServer> {
  const { venue } = options;
  const clock = options.clock ?? new LiveClock();
  const faults = options.faults ?? NO_FAULTS;
  const onError = options.onError ?? (() => undefined);
  const directory = new AccountDirectory();
  const scheduledCancels = new ScheduledCancels(venue);
  const tape = new MarketTape(venue);
  const hub = new WsHub(venue, tape);

  const exchangeContext: ExchangeContext = {
    venue,
    directory,
    nonces: new NonceBook(),
    network: options.network ?? 'mainnet',
    clock,
    scheduledCancels,
  };
  const infoContext: InfoContext = { venue, directory, tape, clock };
  const endpoints: Endpoints = {
    info: (body) => handleInfo(infoContext, body),
    exchange: (body) => {
      scheduledCancels.fireDue(clock.now());
      return handleExchange(exchangeContext, body);
    },
  };

  const server = createServer(createHttpHandler(endpoints, faults, onError));
  const ws = attachWebSocket(server, { hub, endpoints, faults, idleTimeoutMs: options.idleTimeoutMs ?? LIVE_IDLE_TIMEOUT_MS, onError });
  const poll = setInterval(() => {
    try {
      scheduledCancels.fireDue(clock.now());
    } catch (error) {
      onError(error);
    }
  }, SCHEDULED_CANCEL_POLL_MS);
  poll.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    httpUrl: `http://${LOOPBACK}:${port}`,
    wsUrl: `ws://${LOOPBACK}:${port}/ws`,
    directory,
    close: async () => {
      clearInterval(poll);
      ws.close();
      hub.close();
      tape.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
