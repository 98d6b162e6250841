import ccxt, { type Exchange } from 'ccxt';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/clock.js';
import type { EventBus } from '../../bus/bus.js';
import type { AdapterSettings } from '../ccxt/adapter-settings.js';
import type { CcxtAdapter } from '../ccxt/ccxt-adapter.js';
import { ccxtProAdapter } from '../ccxt/pro-adapter.js';
import { linearPerpInstrument } from '../ccxt/instruments.js';
import { checkedClientId, type CcxtVenueProfile } from '../ccxt/profile.js';
import { BINANCE_WEIGHTS } from './weights.js';

export interface BinanceAdapterConfig {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Base URLs, e.g. "http://127.0.0.1:PORT" and "ws://127.0.0.1:PORT/ws"; default: the live venue. */
  readonly restUrl?: string;
  readonly wsUrl?: string;
  /** Extra ccxt options (tests shorten the listen-key keepalive). */
  readonly ccxtOptions?: Record<string, unknown>;
  readonly timeoutMs?: number;
}

/** Binance's newClientOrderId alphabet and length (its docs: ^[.A-Z:/a-z0-9_-]{1,36}$). */
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Binance USDⓈ-M futures: client ids travel verbatim as newClientOrderId / origClientOrderId. */
export const BINANCE_PROFILE: CcxtVenueProfile = {
  venue: 'binance',
  weights: BINANCE_WEIGHTS,
  toInstrument: (market) => linearPerpInstrument('binance', market),
  venueClientId: (id) => checkedClientId('binance', id, CLIENT_ID, '1-36 of A-Z a-z 0-9 . : / _ -'),
  createParams: (id) => ({ clientOrderId: id }),
  byClientIdParams: (id) => ({ origClientOrderId: id }),
  // By origClientOrderId alone: passing both ids makes ccxt send a stray clientOrderId (../refs §3).
  amendArgs: (_venueOrderId, id) => ({ id: undefined, params: { origClientOrderId: id } }),
  clientIdOfOrder: (order) => order.clientOrderId ?? undefined,
  clientIdOfTrade: () => undefined,
  fillsNeedSymbol: true,
  pollDepth: 50,
};

export function createBinanceExchange(config: BinanceAdapterConfig): Exchange {
  const exchange = new ccxt.pro.binanceusdm({
    apiKey: config.apiKey,
    secret: config.apiSecret,
    // Our own token buckets pace requests; ccxt's limiter would add a second, blind delay.
    enableRateLimit: false,
    timeout: config.timeoutMs ?? 10_000,
    options: {
      fetchCurrencies: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
      ...config.ccxtOptions,
    },
  });
  if (config.restUrl !== undefined) {
    const base = config.restUrl.replace(/\/$/, '');
    exchange.urls.api = {
      ...exchange.urls.api,
      fapiPublic: `${base}/fapi/v1`, fapiPublicV2: `${base}/fapi/v2`, fapiPublicV3: `${base}/fapi/v3`,
      fapiPrivate: `${base}/fapi/v1`, fapiPrivateV2: `${base}/fapi/v2`, fapiPrivateV3: `${base}/fapi/v3`, fapiData: `${base}/futures/data`,
    };
  }
  if (config.wsUrl !== undefined) exchange.urls.api.ws = { ...exchange.urls.api.ws, future: config.wsUrl };
  // ccxt picks the futures error table by URL prefix; merge it so any base URL gets the same classes.
  const exceptions = exchange.exceptions as { exact: Record<string, unknown>; linear?: { exact: Record<string, unknown> } };
  exceptions.exact = { ...exceptions.exact, ...exceptions.linear?.exact };
  return exchange;
}

export function createBinanceAdapter(options: {
  config: BinanceAdapterConfig; bus: EventBus; clock: Clock; settings?: Partial<AdapterSettings>; log?: Logger;
}): CcxtAdapter {
  return ccxtProAdapter(createBinanceExchange(options.config), BINANCE_PROFILE, { ...options, wsUrl: options.config.wsUrl });
}
