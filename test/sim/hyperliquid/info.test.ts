import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { SCRIPT_START, scriptedVenue } from '../kit/scripted-venue.js';
import { post, signedBody } from '../kit/sign.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';

const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);
const CLOID = '0x0000000000000000000000000000beef';
let server: HyperliquidServer;
const info = async (body: unknown) => (await post(`${server.httpUrl}/info`, body)).json as never;

beforeAll(async () => {
  server = await startHyperliquidServer({ venue: scriptedVenue() });
  const orders = [
    { a: 0, b: true, p: '65010', s: '0.005', r: false, t: { limit: { tif: 'Ioc' } } },
    { a: 0, b: true, p: '60000', s: '0.001', r: false, t: { limit: { tif: 'Gtc' } }, c: CLOID },
  ];
  const reply = await post(`${server.httpUrl}/exchange`, signedBody(TEST_FIXTURE_PRIVATE_KEY, { type: 'order', orders, grouping: 'na' }, Date.now()));
  expect(reply.json).toMatchObject({ status: 'ok' });
});

afterAll(async () => {
  await server.close();
});

describe('POST /info', () => {
  it('describes the perp universe with margin tables and aligned contexts', async () => {
    const meta = await info({ type: 'meta' });
    expect(meta).toEqual({
      universe: [
        { szDecimals: 5, name: 'BTC', maxLeverage: 40, marginTableId: 40 },
        { szDecimals: 4, name: 'ETH', maxLeverage: 25, marginTableId: 25 },
      ],
      marginTables: [
        [25, { description: '', marginTiers: [{ lowerBound: '0.0', maxLeverage: 25 }] }],
        [40, { description: '', marginTiers: [{ lowerBound: '0.0', maxLeverage: 40 }] }],
      ],
      collateralToken: 0,
    });
    const [again, contexts] = (await info({ type: 'metaAndAssetCtxs' })) as [unknown, unknown[]];
    expect(again).toEqual(meta);
    expect(contexts).toHaveLength(2);
    expect((contexts as { midPx: string }[])[1]).toMatchObject({ midPx: '3200.0', markPx: expect.any(String), funding: expect.any(String) });
  });

  it('answers the spot and dex queries ccxt makes at start-up', async () => {
    expect(await info({ type: 'spotMeta' })).toMatchObject({ universe: [], tokens: [{ name: 'USDC', index: 0, weiDecimals: 8 }] });
    expect(await info({ type: 'spotMetaAndAssetCtxs' })).toMatchObject([{ universe: [] }, []]);
    expect(await info({ type: 'perpDexs' })).toEqual([null]);
    const raw = await post(`${server.httpUrl}/info`, { type: 'userAbstraction', user: WALLET });
    expect(raw.text).toBe('"default"');
    expect(await info({ type: 'exchangeStatus' })).toEqual({ specialStatuses: null, time: SCRIPT_START });
    expect(await info({ type: 'allMids' })).toEqual({ BTC: '65000.0', ETH: '3200.0' });
  });

  it('serves the book, aggregated on request, and recent public trades', async () => {
    const book = await info({ type: 'l2Book', coin: 'BTC' });
    expect(book).toMatchObject({ coin: 'BTC', time: expect.any(Number), levels: [
        [{ px: '64990.0', sz: '0.5', n: 1 }, { px: '60000.0', sz: '0.001', n: 1 }],
        [{ px: '65010.0', sz: '0.005', n: 1 }, { px: '65020.0', sz: '1.0', n: 1 }],
      ],
    });
    // Two significant figures: bids round down, asks up, so a bucket never looks better than the book.
    expect(await info({ type: 'l2Book', coin: 'BTC', nSigFigs: 2 })).toMatchObject({
      levels: [
        [{ px: '64000.0', sz: '0.5', n: 1 }, { px: '60000.0', sz: '0.001', n: 1 }],
        [{ px: '66000.0', sz: '1.005', n: 2 }],
      ],
    });
    expect(await info({ type: 'l2Book', coin: 'DOGE' })).toBeNull();
    expect(await info({ type: 'recentTrades', coin: 'BTC' })).toMatchObject([{ coin: 'BTC', side: 'B', px: '65010.0', sz: '0.005' }]);
  });

  it('reports the account: state, orders by oid and cloid, history and fills', async () => {
    const state = await info({ type: 'clearinghouseState', user: WALLET.toUpperCase().replace('0X', '0x') });
    expect(state).toMatchObject({ assetPositions: [{ type: 'oneWay', position: { coin: 'BTC', szi: '0.005' } }], withdrawable: expect.any(String) });
    expect(await info({ type: 'spotClearinghouseState', user: WALLET })).toMatchObject({ balances: expect.any(Array) });
    const frontend = (await info({ type: 'frontendOpenOrders', user: WALLET })) as { oid: number; cloid: string }[];
    expect(frontend).toMatchObject([{ coin: 'BTC', side: 'B', limitPx: '60000.0', sz: '0.001', origSz: '0.001', orderType: 'Limit', tif: 'Gtc', cloid: CLOID, isTrigger: false, children: [] }]);
    const oid = frontend[0]!.oid;
    expect(await info({ type: 'openOrders', user: WALLET })).toEqual([{ coin: 'BTC', side: 'B', limitPx: '60000.0', sz: '0.001', oid, timestamp: expect.any(Number), origSz: '0.001', cloid: CLOID }]);
    expect(await info({ type: 'orderStatus', user: WALLET, oid })).toMatchObject({ status: 'order', order: { status: 'open', order: { oid } } });
    expect(await info({ type: 'orderStatus', user: WALLET, oid: CLOID })).toMatchObject({ status: 'order', order: { order: { oid } } });
    expect(await info({ type: 'orderStatus', user: WALLET, oid: 999_999 })).toEqual({ status: 'unknownOid' });
    expect(await info({ type: 'historicalOrders', user: WALLET })).toHaveLength(2);
    const fills = await info({ type: 'userFills', user: WALLET });
    expect(fills).toMatchObject([{ coin: 'BTC', px: '65010.0', sz: '0.005', side: 'B', dir: 'Open Long', crossed: true, feeToken: 'USDC', twapId: null }]);
    expect(await info({ type: 'userFillsByTime', user: WALLET, startTime: 0 })).toEqual(fills);
    expect(await info({ type: 'userFillsByTime', user: WALLET, startTime: SCRIPT_START + 86_400_000 })).toEqual([]);
  });

  it('returns candles built from prints', async () => {
    const candles = await info({ type: 'candleSnapshot', req: { coin: 'BTC', interval: '1m', startTime: SCRIPT_START - 60_000, endTime: SCRIPT_START + 60_000 } });
    expect(candles).toMatchObject([{ s: 'BTC', i: '1m', o: '65010.0', c: '65010.0', v: '0.005', n: 1 }]);
  });

  it('refuses unknown types, missing fields and bad addresses with 422', async () => {
    for (const body of [{ type: 'teleport' }, { type: 'clearinghouseState' }, { type: 'openOrders', user: '0x123' }, { type: 'candleSnapshot', req: { coin: 'BTC', interval: '7m', startTime: 0 } }, { type: 'meta', dex: 'xyz' }]) {
      const reply = await post(`${server.httpUrl}/info`, body);
      expect(reply.status).toBe(422);
      expect(reply.text).toMatch(/^Failed to deserialize the JSON body into the target type: /);
    }
  });
});
