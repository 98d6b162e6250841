import ccxt from 'ccxt';
import type { HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';

/**
 * An unmodified ccxt.pro hyperliquid client pointed at a simulator (../refs hyperliquid §1): literal
 * loopback URLs, the rate limiter off (it would spend ~1 s per /info call), and the proxy agent loaded,
 * without which ccxt refuses ws:// URLs.
 */
export type ProHyperliquid = InstanceType<typeof ccxt.pro.hyperliquid>;

export async function ccxtClient(server: HyperliquidServer, walletAddress: string, privateKey: string): Promise<ProHyperliquid> {
  const exchange = new ccxt.pro.hyperliquid({
    walletAddress,
    privateKey,
    enableRateLimit: false,
    timeout: 10_000,
    urls: { api: { public: server.httpUrl, private: server.httpUrl, ws: { public: server.wsUrl } } },
  });
  await exchange.loadHttpProxyAgent();
  return exchange;
}

/** Waits for a ccxt watch* promise, failing the test instead of hanging when nothing arrives. */
export async function within<T>(promise: Promise<T>, ms = 5_000, what = 'watch'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
