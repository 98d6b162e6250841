import ccxt, { type Exchange } from 'ccxt';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/clock.js';
import type { EventBus } from '../../bus/bus.js';
import type { AdapterSettings } from '../ccxt/adapter-settings.js';
import type { CcxtAdapter } from '../ccxt/ccxt-adapter.js';
import { ccxtProAdapter } from '../ccxt/pro-adapter.js';
import { linearPerpInstrument } from '../ccxt/instruments.js';
import { checkedClientId, type CcxtVenueProfile } from '../ccxt/profile.js';
import { BYBIT_WEIGHTS } from './weights.js';

export interface BybitAdapterConfig {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** REST base ("http://127.0.0.1:PORT") and WebSocket base ("ws://127.0.0.1:PORT"); default: the live venue. */
  readonly restUrl?: string;
  readonly wsUrl?: string;
  readonly ccxtOptions?: Record<string, unknown>;
  readonly timeoutMs?: number;
}

/** Bybit's orderLinkId: at most 36 letters, digits, dashes and underscores. */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,36}$/;

/** Bybit v5 linear perpetuals: client ids travel verbatim as orderLinkId. */
export const BYBIT_PROFILE: CcxtVenueProfile = {
  venue: 'bybit',
  weights: BYBIT_WEIGHTS,
  toInstrument: (market) => linearPerpInstrument('bybit', market),
  venueClientId: (id) => checkedClientId('bybit', id, CLIENT_ID, '1-36 of A-Z a-z 0-9 _ -'),
  createParams: (id) => ({ clientOrderId: id }),
  byClientIdParams: (id) => ({ orderLinkId: id }),
  amendArgs: (_venueOrderId, id) => ({ id: undefined, params: { orderLinkId: id } }),
  clientIdOfOrder: (order) => order.clientOrderId || undefined,
  clientIdOfTrade: (trade) => (typeof trade.info?.orderLinkId === 'string' && trade.info.orderLinkId !== '' ? trade.info.orderLinkId : undefined),
  fillsNeedSymbol: false,
  pollDepth: 50,
};

export function createBybitExchange(config: BybitAdapterConfig): Exchange {
  const rest = config.restUrl?.replace(/\/$/, '');
  const ws = config.wsUrl?.replace(/\/$/, '');
  return new ccxt.pro.bybit({
    apiKey: config.apiKey,
    secret: config.apiSecret,
    enableRateLimit: false,
    timeout: config.timeoutMs ?? 10_000,
    ...(rest === undefined ? {} : {
      urls: { api: {
        public: rest, private: rest,
        ...(ws === undefined ? {} : { ws: { public: { linear: `${ws}/v5/public/linear` }, private: { contract: `${ws}/v5/private`, trade: `${ws}/v5/trade` } } }),
      } },
    }),
    options: {
      fetchMarkets: { types: ['linear'] },
      // Known account mode: without these ccxt probes query-api and account/info before the first private call.
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      // We ask by order id or orderLinkId for orders we placed, which Bybit keeps queryable.
      fetchOrder: { acknowledged: true },
      ...config.ccxtOptions,
    },
    has: { fetchCurrencies: false },
  });
}

export function createBybitAdapter(options: {
  config: BybitAdapterConfig; bus: EventBus; clock: Clock; settings?: Partial<AdapterSettings>; log?: Logger;
}): CcxtAdapter {
  return ccxtProAdapter(createBybitExchange(options.config), BYBIT_PROFILE, { ...options, wsUrl: options.config.wsUrl });
}
