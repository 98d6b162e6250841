import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { ccxtClient, type ProHyperliquid } from '../kit/ccxt-client.js';
import { scriptedVenue } from '../kit/scripted-venue.js';
import { post, signedBody } from '../kit/sign.js';
import { TEST_FIXTURE_AGENT_PRIVATE_KEY, TEST_FIXTURE_OTHER_PRIVATE_KEY, TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';

/**
 * ccxt configured the way API-wallet users run it: walletAddress = the master account, privateKey = an
 * approved agent. Only the master is on the allow-list, so every action must be mapped to it.
 */
const BTC = 'BTC/USDC:USDC';
const MASTER = addressOf(TEST_FIXTURE_PRIVATE_KEY);
const AGENT = addressOf(TEST_FIXTURE_AGENT_PRIVATE_KEY);

let server: HyperliquidServer;
let viaAgent: ProHyperliquid;
let stranger: ProHyperliquid;

beforeAll(async () => {
  server = await startHyperliquidServer({ venue: scriptedVenue({ accounts: [MASTER] }) });
  const nonce = Date.now();
  const approve = { type: 'approveAgent', hyperliquidChain: 'Mainnet', signatureChainId: '0x66eee', agentAddress: AGENT, agentName: 'ccxt', nonce };
  expect((await post(`${server.httpUrl}/exchange`, signedBody(TEST_FIXTURE_PRIVATE_KEY, approve, nonce))).json).toEqual({ status: 'ok', response: { type: 'default' } });
  viaAgent = await ccxtClient(server, MASTER, TEST_FIXTURE_AGENT_PRIVATE_KEY);
  stranger = await ccxtClient(server, addressOf(TEST_FIXTURE_OTHER_PRIVATE_KEY), TEST_FIXTURE_OTHER_PRIVATE_KEY);
});

afterAll(async () => {
  await viaAgent?.close();
  await stranger?.close();
  await server?.close();
});

describe('ccxt with an API wallet', () => {
  it('trades on the master account through the agent key', async () => {
    await viaAgent.loadMarkets();
    const order = await viaAgent.createOrder(BTC, 'limit', 'buy', 0.001, 60000);
    const open = await viaAgent.fetchOpenOrders(BTC);
    expect(open.map((o) => o.id)).toEqual([order.id]);
    await viaAgent.cancelOrder(order.id as string, BTC);
    expect(await viaAgent.fetchOpenOrders(BTC)).toEqual([]);
    // The agent cannot approve a builder fee for the master (a user-signed action), so ccxt sends no builder.
    expect(viaAgent.options['approvedBuilderFee']).not.toBe(true);
  });

  it('refuses a signer outside the allow-list with the live text, which ccxt maps to InvalidOrder', async () => {
    await stranger.loadMarkets();
    await expect(stranger.createOrder(BTC, 'limit', 'buy', 0.001, 60000)).rejects.toThrow(
      new RegExp(`User or API Wallet ${addressOf(TEST_FIXTURE_OTHER_PRIVATE_KEY)} does not exist`),
    );
  });
});
