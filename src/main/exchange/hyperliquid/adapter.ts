import ccxt, { type Balances, type Exchange } from 'ccxt';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/clock.js';
import type { LatencySink } from '../../../core/latency-stages.js';
import type { VenueId } from '../../../core/types.js';
import { VenueError } from '../../../core/errors.js';
import type { EventBus } from '../../bus/bus.js';
import type { AdapterSettings } from '../ccxt/adapter-settings.js';
import { ccxtBookStream } from '../ccxt/book-stream.js';
import { CcxtAdapter, prepareLoopbackStreams } from '../ccxt/ccxt-adapter.js';
import type { CcxtVenueProfile } from '../ccxt/profile.js';
import { hyperliquidCloid } from './cloid.js';
import { installFastSigner } from './fast-signer.js';
import { hyperliquidInstrument } from './instruments.js';
import { HYPERLIQUID_WEIGHTS } from './weights.js';
import { DEFAULT_DECODER_STREAM, hyperliquidDecoderStream, type DecoderStreamSettings } from './ws-market-stream.js';

export interface HyperliquidAdapterConfig {
  /** The account (master) address. */
  readonly walletAddress: string;
  /** Key of the wallet or API wallet that signs for it; revealed by the caller, never logged here. */
  readonly privateKey: string;
  /** "http://127.0.0.1:PORT" and "ws://127.0.0.1:PORT/ws" for the simulator; default: the live venue. */
  readonly restUrl?: string;
  readonly wsUrl?: string;
  /** Testnet signing (source "b"); the URLs stay as given. */
  readonly testnet?: boolean;
  /**
   * Market data path: "decoder" (default) reads l2Book/trades over our own socket through the fast
   * decoder; "ccxt" uses ccxt.pro's watchOrderBook/watchTrades, slower but independent of our decoder.
   */
  readonly marketData?: 'decoder' | 'ccxt';
  readonly decoderStream?: DecoderStreamSettings;
  readonly ccxtOptions?: Record<string, unknown>;
  readonly timeoutMs?: number;
  /** Venue id for events and instrument ids; "sim" for the paper-trading simulator. Default "hyperliquid". */
  readonly venueLabel?: VenueId;
}

const LIVE_WS = 'wss://api.hyperliquid.xyz/ws';

/**
 * Hyperliquid perps and spot. Client ids travel as cloids derived from ours. Balances come from both
 * of Hyperliquid's accounts: the perp margin account as "USDC", spot tokens as "spot:<TOKEN>".
 */
export const HYPERLIQUID_PROFILE: CcxtVenueProfile = {
  venue: 'hyperliquid',
  weights: HYPERLIQUID_WEIGHTS,
  toInstrument: hyperliquidInstrument,
  venueClientId: hyperliquidCloid,
  createParams: (cloid) => ({ clientOrderId: cloid }),
  byClientIdParams: (cloid) => ({ clientOrderId: cloid }),
  amendArgs: (venueOrderId, cloid) => {
    // batchModify addresses the order by oid; the cloid rides along so the amended order keeps it.
    if (venueOrderId === undefined) throw new VenueError('ORDER_NOT_FOUND', 'hyperliquid amend needs the venue order id, none is known yet', { cloid, local: true, sent: false });
    return { id: venueOrderId, params: { clientOrderId: cloid } };
  },
  clientIdOfOrder: (order) => order.clientOrderId ?? undefined,
  clientIdOfTrade: (trade) => (typeof trade.info?.cloid === 'string' ? trade.info.cloid : undefined),
  fillsNeedSymbol: false,
  pollDepth: 20,
  fetchBalances: async (exchange: Exchange): Promise<Balances[]> => {
    const [perp, spot] = await Promise.all([exchange.fetchBalance(), exchange.fetchBalance({ type: 'spot' })]);
    return [perp, prefixAssets(spot, 'spot:')];
  },
};

function prefixAssets(balances: Balances, prefix: string): Balances {
  const out: Record<string, unknown> = { info: balances.info, timestamp: balances.timestamp, datetime: balances.datetime, free: {}, used: {}, total: {} };
  for (const key of ['free', 'used', 'total'] as const) {
    const source = (balances[key] ?? {}) as unknown as Record<string, number>;
    out[key] = Object.fromEntries(Object.entries(source).map(([asset, value]) => [`${prefix}${asset}`, value]));
  }
  return out as unknown as Balances;
}

export function createHyperliquidExchange(config: HyperliquidAdapterConfig, recordLatency?: LatencySink): Exchange {
  const rest = config.restUrl?.replace(/\/$/, '');
  const exchange = new ccxt.pro.hyperliquid({
    walletAddress: config.walletAddress,
    privateKey: config.privateKey,
    enableRateLimit: false,
    timeout: config.timeoutMs ?? 10_000,
    ...(rest === undefined ? {} : { urls: { api: { public: rest, private: rest, ws: { public: config.wsUrl ?? `${rest.replace(/^http/, 'ws')}/ws` } } } }),
    options: {
      fetchMarkets: { types: ['spot', 'swap'] },
      // Not ours to set on a user's account: ccxt's referral code, and a builder fee on every order.
      refSet: true,
      builderFee: false,
      ...(config.testnet === true ? { sandboxMode: true } : {}),
      ...config.ccxtOptions,
    },
  });
  // ccxt signs every action itself at ~0.8 ms; the fast signer is byte-identical at ~0.1x and falls back
  // to ccxt's own signer for anything it does not handle (see fast-signer.ts).
  installFastSigner(exchange);
  if (recordLatency !== undefined) timeSigning(exchange, recordLatency);
  return exchange;
}

/** Records each order action's signature (whichever signer made it) as the `sign` stage. */
function timeSigning(exchange: Exchange, recordLatency: LatencySink): void {
  const sign = exchange.signL1Action;
  exchange.signL1Action = function timedSignL1Action(this: Exchange, ...args: Parameters<Exchange['signL1Action']>) {
    const start = performance.now();
    try {
      return sign.apply(this, args);
    } finally {
      recordLatency('sign', (performance.now() - start) * 1000);
    }
  };
}

export function createHyperliquidAdapter(options: {
  config: HyperliquidAdapterConfig; bus: EventBus; clock: Clock; settings?: Partial<AdapterSettings>; log?: Logger;
  /** Per-stage latency sink: `sign` (each order action's signature), `parse` and `bus` (market messages). */
  recordLatency?: LatencySink;
}): CcxtAdapter {
  const { config, clock } = options;
  const exchange = createHyperliquidExchange(config, options.recordLatency);
  const wsUrl = config.wsUrl ?? LIVE_WS;
  const label = config.venueLabel;
  const profile: CcxtVenueProfile = label === undefined || label === 'hyperliquid'
    ? HYPERLIQUID_PROFILE
    : { ...HYPERLIQUID_PROFILE, venue: label, toInstrument: (market) => hyperliquidInstrument(market, label) };
  return new CcxtAdapter({
    exchange, profile, bus: options.bus, clock,
    marketStream: (symbolOf) => (config.marketData === 'ccxt'
      ? ccxtBookStream(exchange, profile.venue, symbolOf, 20)
      : hyperliquidDecoderStream(wsUrl, clock, config.decoderStream ?? DEFAULT_DECODER_STREAM, options.recordLatency)),
    prepare: () => prepareLoopbackStreams(exchange, config.wsUrl),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
}
