import { secp256k1 } from '@noble/curves/secp256k1.js';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { installFastSigner, loadNativeSecp256k1, type RecoverableSigner } from '../../../../src/main/exchange/hyperliquid/fast-signer.js';
import { TEST_FIXTURE_PRIVATE_KEY } from '../../../sim/kit/wallets.js';

/**
 * End to end through ccxt's own request building: two instances, one with the fast signer, run the same
 * trading calls against a canned `fetch` (no socket is opened; the URLs point at 127.0.0.1 regardless),
 * and every `/exchange` body they produce must be the same string. ccxt.pro's class (the one the adapter
 * uses) is tested, with its WebSocket `post` path captured at `watch`.
 */

type Hyperliquid = InstanceType<typeof ccxt.pro.hyperliquid>;

const SIGNER: RecoverableSigner = loadNativeSecp256k1() ?? {
  name: 'noble',
  sign(digest, key) {
    const bytes = secp256k1.sign(digest, key, { lowS: true, prehash: false, format: 'recovered' });
    return { signature: bytes.subarray(1), recid: bytes[0]! };
  },
};

const ctx = (px: string) => ({ funding: '0.0000125', openInterest: '100', prevDayPx: px, dayNtlVlm: '1000000', premium: '0', oraclePx: px, markPx: px, midPx: px, impactPxs: [px, px], dayBaseVlm: '10' });
const META = [
  { universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }, { name: 'ETH', szDecimals: 4, maxLeverage: 25 }] },
  [ctx('65000.0'), ctx('3200.0')],
];

/** Canned replies by request kind; what matters is that both instances see the same ones. */
function reply(url: string, body: string): unknown {
  const request = JSON.parse(body) as { type?: string; action?: { type?: string } };
  if (url.endsWith('/info')) return request.type === 'metaAndAssetCtxs' ? META : 'default';
  const type = request.action?.type;
  if (type === 'order') return { status: 'ok', response: { type: 'order', data: { statuses: [{ resting: { oid: 77 } }] } } };
  if (type === 'cancel' || type === 'cancelByCloid') return { status: 'ok', response: { type: 'cancel', data: { statuses: ['success'] } } };
  if (type === 'batchModify') return { status: 'ok', response: { type: 'order', data: { statuses: [{ resting: { oid: 78 } }] } } };
  return { status: 'ok', response: { type: 'default' } };
}

function recordingExchange(): { exchange: Hyperliquid; bodies: string[] } {
  const exchange = new ccxt.pro.hyperliquid({
    privateKey: TEST_FIXTURE_PRIVATE_KEY,
    walletAddress: '0x' + '5a'.repeat(20),
    urls: { api: { public: 'http://127.0.0.1:9', private: 'http://127.0.0.1:9' } },
    enableRateLimit: false,
    options: { fetchMarkets: { types: ['swap'] } },
  });
  // Same nonce sequence on both sides, so any difference in the bodies comes from signing.
  let nonce = 1_763_000_000_000;
  exchange.nonce = () => nonce++;
  const bodies: string[] = [];
  // The WebSocket post path: ccxt.pro hands the signed `{method:"post",request:{type:"action",payload}}`
  // frame to `watch`; record its payload as a body and answer like the venue would.
  exchange.watch = async (_url: string, _hash: unknown, message?: unknown) => {
    const payload = (message as { request?: { payload?: unknown } } | undefined)?.request?.payload;
    const text = JSON.stringify(payload);
    bodies.push(text);
    return reply('/exchange', text);
  };
  exchange.fetch = async (url: string, _method?: string, _headers?: unknown, body?: unknown) => {
    const text = typeof body === 'string' ? body : '';
    if (url.endsWith('/exchange')) bodies.push(text);
    return reply(url, text);
  };
  return { exchange, bodies };
}

/** The trading calls the engine makes, plus vault and testnet variants; errors are recorded too. */
async function tradingSession(exchange: Hyperliquid): Promise<unknown[]> {
  const vaultAddress = '0x' + 'c0ffee'.repeat(6) + 'c0ff';
  const calls: Array<() => Promise<unknown>> = [
    () => exchange.createOrder('BTC/USDC:USDC', 'limit', 'buy', 0.001, 64_999.5, { clientOrderId: '0x' + '1f'.repeat(16) }),
    () => exchange.createOrder('ETH/USDC:USDC', 'limit', 'sell', 0.25, 3_300, { postOnly: true, reduceOnly: true }),
    () => exchange.createOrder('BTC/USDC:USDC', 'market', 'sell', 0.002, 65_000),
    () => exchange.createOrder('BTC/USDC:USDC', 'limit', 'buy', 0.003, 60_000, { vaultAddress, timeInForce: 'IOC' }),
    () => exchange.createOrder('ETH/USDC:USDC', 'limit', 'buy', 1, 3_000, { triggerPrice: 3_100, stopLossPrice: 2_900 }),
    () => exchange.createOrders([
      { symbol: 'BTC/USDC:USDC', type: 'limit', side: 'buy', amount: 0.001, price: 64_000, params: { clientOrderId: '0x' + '3d'.repeat(16) } },
      { symbol: 'ETH/USDC:USDC', type: 'limit', side: 'sell', amount: 0.5, price: 3_400, params: { clientOrderId: '0x' + '2e'.repeat(16) } },
    ]),
    () => exchange.cancelOrder('77', 'BTC/USDC:USDC'),
    () => exchange.cancelOrder('', 'BTC/USDC:USDC', { clientOrderId: '0x' + '1f'.repeat(16) }),
    () => exchange.cancelOrders(['77', '78'], 'ETH/USDC:USDC', { vaultAddress }),
    () => exchange.editOrder('77', 'BTC/USDC:USDC', 'limit', 'buy', 0.002, 64_500, { clientOrderId: '0x' + '1f'.repeat(16) }),
    () => exchange.setLeverage(7, 'BTC/USDC:USDC', { marginMode: 'isolated' }),
    () => exchange.cancelAllOrdersAfter(60_000),
    () => exchange.createSubAccount('osprey-sub', { expiresAfter: 1_763_000_900_000 }),
    () => exchange.createOrderWs('BTC/USDC:USDC', 'limit', 'sell', 0.004, 66_000, { clientOrderId: '0x' + '4c'.repeat(16) }),
    () => exchange.editOrderWs('77', 'ETH/USDC:USDC', 'limit', 'buy', 0.3, 3_150),
    () => exchange.cancelOrdersWs(['77'], 'BTC/USDC:USDC'),
  ];
  const results: unknown[] = [];
  for (const network of [false, true]) {
    exchange.options['sandboxMode'] = network;
    for (const call of calls) {
      try {
        results.push(await call());
      } catch (error) {
        results.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  return results;
}

describe('fast Hyperliquid signer inside ccxt', () => {
  it('produces the same /exchange request bodies as ccxt for the whole trading surface', async () => {
    const plain = recordingExchange();
    const fast = recordingExchange();
    // Count what reaches our ECDSA, so a silent fallback to ccxt everywhere cannot pass this test.
    let signed = 0;
    const counting: RecoverableSigner = { name: SIGNER.name, sign: (digest, key) => (signed++, SIGNER.sign(digest, key)) };
    expect(installFastSigner(fast.exchange, { signer: counting }).installed).toBe(true);
    const plainResults = await tradingSession(plain.exchange);
    const fastResults = await tradingSession(fast.exchange);
    expect(fast.bodies).toEqual(plain.bodies);
    expect(fastResults).toEqual(plainResults);
    // The session must really have signed orders, cancels, modifies and leverage on both networks.
    const types = new Set(plain.bodies.map((b) => (JSON.parse(b) as { action: { type: string } }).action.type));
    for (const type of ['approveBuilderFee', 'order', 'cancel', 'cancelByCloid', 'batchModify', 'updateLeverage', 'scheduleCancel']) expect(types).toContain(type);
    expect(plain.bodies.some((b) => b.includes('"vaultAddress"'))).toBe(true);
    expect(plain.bodies.length).toBeGreaterThanOrEqual(30);
    expect(signed).toBe(plain.bodies.length);
  });
});
