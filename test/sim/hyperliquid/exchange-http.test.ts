import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { startHyperliquidServer, type HyperliquidServer } from '../../../src/sim/hyperliquid/server.js';
import { SCRIPT_START, scriptedVenue } from '../kit/scripted-venue.js';
import { post, signedBody } from '../kit/sign.js';
import { TEST_FIXTURE_AGENT_PRIVATE_KEY, TEST_FIXTURE_OTHER_PRIVATE_KEY, TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';

const MASTER = addressOf(TEST_FIXTURE_PRIVATE_KEY);
const AGENT = addressOf(TEST_FIXTURE_AGENT_PRIVATE_KEY);
const OTHER = addressOf(TEST_FIXTURE_OTHER_PRIVATE_KEY);

const restingBuy = (c?: string) => ({
  type: 'order',
  orders: [{ a: 0, b: true, p: '60000', s: '0.001', r: false, t: { limit: { tif: 'Gtc' } }, ...(c === undefined ? {} : { c }) }],
  grouping: 'na',
});

let server: HyperliquidServer | undefined;
let clock: SimulatedClock;
let nonce = SCRIPT_START;

async function start(venue = scriptedVenue()) {
  clock = new SimulatedClock(SCRIPT_START);
  server = await startHyperliquidServer({ venue, clock });
  return { venue, server };
}

async function exchange(key: string, action: Record<string, unknown> & { type: string }, options: { nonce?: number; vaultAddress?: string; expiresAfter?: number } = {}) {
  const body = signedBody(key, action, options.nonce ?? ++nonce, options);
  return post(`${server!.httpUrl}/exchange`, body);
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('POST /exchange', () => {
  it('places a resting order for the signer and cancels it, then reports the cancel of a gone order', async () => {
    const { venue } = await start();
    const placed = await exchange(TEST_FIXTURE_PRIVATE_KEY, restingBuy());
    expect(placed.json).toEqual({ status: 'ok', response: { type: 'order', data: { statuses: [{ resting: { oid: 1 } }] } } });
    expect(venue.openOrders(MASTER).map((o) => o.oid)).toEqual([1]);
    const canceled = await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'cancel', cancels: [{ a: 0, o: 1 }] });
    expect(canceled.json).toEqual({ status: 'ok', response: { type: 'cancel', data: { statuses: ['success'] } } });
    const again = await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'cancel', cancels: [{ a: 0, o: 1 }] });
    expect(again.json).toEqual({ status: 'ok', response: { type: 'cancel', data: { statuses: [{ error: 'Order was never placed, already canceled, or filled. asset=0' }] } } });
  });

  it('cancels by cloid and answers batchModify in the order shape', async () => {
    const { venue } = await start();
    const cloid = '0x1234567890abcdef1234567890abcdef';
    await exchange(TEST_FIXTURE_PRIVATE_KEY, restingBuy(cloid));
    const modified = await exchange(TEST_FIXTURE_PRIVATE_KEY, {
      type: 'batchModify',
      modifies: [{ oid: 1, order: { a: 0, b: true, p: '61000', s: '0.002', r: false, t: { limit: { tif: 'Gtc' } }, c: cloid } }],
    });
    expect(modified.json).toEqual({ status: 'ok', response: { type: 'order', data: { statuses: [{ resting: { oid: 2, cloid } }] } } });
    const canceled = await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'cancelByCloid', cancels: [{ asset: 0, cloid }] });
    expect(canceled.json).toMatchObject({ status: 'ok', response: { type: 'cancel', data: { statuses: ['success'] } } });
    expect(venue.openOrders(MASTER)).toEqual([]);
  });

  it('refuses unknown signers when an allow-list is configured, naming the recovered address', async () => {
    await start(scriptedVenue({ accounts: [MASTER] }));
    const refused = await exchange(TEST_FIXTURE_OTHER_PRIVATE_KEY, restingBuy());
    expect(refused.json).toEqual({ status: 'err', response: `User or API Wallet ${OTHER} does not exist.` });
    const body = signedBody(TEST_FIXTURE_PRIVATE_KEY, restingBuy(), ++nonce) as unknown as { action: { orders: { p: string }[] } };
    body.action.orders[0]!.p = '60001';
    const tampered = await post(`${server!.httpUrl}/exchange`, body);
    expect(tampered.json).toMatchObject({ status: 'err', response: expect.stringMatching(/^User or API Wallet 0x[0-9a-f]{40} does not exist\.$/) });
    expect((tampered.json as { response: string }).response).not.toContain(MASTER);
  });

  it('gives any new signer its own account when there is no allow-list', async () => {
    const { venue } = await start();
    expect((await exchange(TEST_FIXTURE_OTHER_PRIVATE_KEY, restingBuy())).json).toMatchObject({ status: 'ok' });
    expect(venue.openOrders(OTHER)).toHaveLength(1);
    expect(venue.openOrders(MASTER)).toHaveLength(0);
  });

  it('enforces the nonce rules: unique per signer, inside the time window', async () => {
    await start();
    const first = SCRIPT_START + 5;
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'setReferrer', code: 'X' }, { nonce: first })).json).toEqual({ status: 'ok', response: { type: 'default' } });
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'setReferrer', code: 'X' }, { nonce: first })).json).toEqual({ status: 'err', response: `Invalid nonce: duplicate nonce ${first}` });
    // The same nonce from another signer is fine: nonces are tracked per signing key.
    expect((await exchange(TEST_FIXTURE_OTHER_PRIVATE_KEY, { type: 'setReferrer', code: 'X' }, { nonce: first })).json).toMatchObject({ status: 'ok' });
    const stale = await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'setReferrer', code: 'X' }, { nonce: SCRIPT_START - 3 * 86_400_000 });
    expect(stale.json).toMatchObject({ status: 'err', response: expect.stringContaining('Invalid nonce') });
    const future = await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'setReferrer', code: 'X' }, { nonce: SCRIPT_START + 2 * 86_400_000 });
    expect(future.json).toMatchObject({ status: 'err', response: expect.stringContaining('Invalid nonce') });
  });

  it('lets an approved API wallet trade for its master, and refuses an expired action', async () => {
    const { venue } = await start(scriptedVenue({ accounts: [MASTER] }));
    const approve = {
      type: 'approveAgent',
      hyperliquidChain: 'Mainnet',
      signatureChainId: '0x66eee',
      agentAddress: AGENT,
      agentName: '',
      nonce: ++nonce,
    };
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, approve, { nonce: approve.nonce })).json).toEqual({ status: 'ok', response: { type: 'default' } });
    expect((await exchange(TEST_FIXTURE_AGENT_PRIVATE_KEY, restingBuy())).json).toMatchObject({ status: 'ok' });
    expect(venue.openOrders(MASTER)).toHaveLength(1);
    const role = await post(`${server!.httpUrl}/info`, { type: 'userRole', user: AGENT });
    expect(role.json).toEqual({ role: 'agent', data: { user: MASTER } });
    const expired = await exchange(TEST_FIXTURE_AGENT_PRIVATE_KEY, restingBuy(), { expiresAfter: SCRIPT_START - 1 });
    expect(expired.json).toMatchObject({ status: 'err', response: expect.stringContaining('Action already expired') });
  });

  it('acts for the vault address, sent with or without 0x', async () => {
    const { venue } = await start();
    const vault = '1111111111111111111111111111111111111111';
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, restingBuy(), { vaultAddress: vault })).json).toMatchObject({ status: 'ok' });
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, restingBuy(), { vaultAddress: `0x${vault}` })).json).toMatchObject({ status: 'ok' });
    expect(venue.openOrders(`0x${vault}`)).toHaveLength(2);
  });

  it('records builder approvals and refuses an order whose builder fee exceeds them', async () => {
    await start();
    const builder = '0x6530512a6c89c7cfcebc3ba7fcd9ada5f30827a6';
    const withBuilder = { ...restingBuy(), builder: { b: builder, f: 10 } };
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, withBuilder)).json).toEqual({ status: 'err', response: 'Builder fee has not been approved.' });
    const approve = { type: 'approveBuilderFee', hyperliquidChain: 'Mainnet', signatureChainId: '0x66eee', maxFeeRate: '0.01%', builder, nonce: ++nonce };
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, approve, { nonce: approve.nonce })).json).toMatchObject({ status: 'ok' });
    expect((await post(`${server!.httpUrl}/info`, { type: 'maxBuilderFee', user: MASTER, builder })).json).toBe(10);
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, withBuilder)).json).toMatchObject({ status: 'ok', response: { type: 'order' } });
  });

  it('fires a scheduled cancel at its time and refuses one less than 5 s ahead', async () => {
    const { venue } = await start();
    await exchange(TEST_FIXTURE_PRIVATE_KEY, restingBuy());
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'scheduleCancel', time: SCRIPT_START + 1000 })).json).toMatchObject({ status: 'err' });
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, { type: 'scheduleCancel', time: SCRIPT_START + 10_000 })).json).toEqual({ status: 'ok', response: { type: 'default' } });
    clock.advance(10_000);
    await exchange(TEST_FIXTURE_OTHER_PRIVATE_KEY, { type: 'setReferrer', code: 'tick' });
    expect(venue.openOrders(MASTER)).toEqual([]);
  });

  it('answers malformed bodies like the live server and never crashes', async () => {
    await start();
    const url = `${server!.httpUrl}/exchange`;
    const notJson = await post(url, undefined, { raw: '{"action":' });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toMatch(/^Failed to parse the request body as JSON/);
    const fok = signedBody(TEST_FIXTURE_PRIVATE_KEY, { ...restingBuy(), orders: [{ ...restingBuy().orders[0]!, t: { limit: { tif: 'Fok' } } }] }, ++nonce);
    const refusedFok = await post(url, fok);
    expect(refusedFok.status).toBe(422);
    expect(refusedFok.text).toMatch(/^Failed to deserialize the JSON body into the target type: action\.orders\.0\.t\.limit\.tif: unknown variant "Fok"/);
    const missing = await post(url, { action: { type: 'order' }, nonce: 1 });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('missing field `signature`');
    expect((await post(url, { action: { type: 'teleport' }, nonce: 1, signature: { r: '0x1', s: '0x1', v: 27 } })).status).toBe(422);
    expect((await post(url, {}, { contentType: 'text/plain' })).status).toBe(415);
    expect((await post(`${server!.httpUrl}/nowhere`, {})).status).toBe(404);
    const badSignature = await post(url, { action: { type: 'setReferrer', code: 'x' }, nonce: ++nonce, signature: { r: '0x0', s: '0x0', v: 27 } });
    expect(badSignature.json).toMatchObject({ status: 'err', response: expect.stringContaining('signature') });
    const numericPrice = signedBody(TEST_FIXTURE_PRIVATE_KEY, { ...restingBuy(), orders: [{ ...restingBuy().orders[0]!, p: 60000 as unknown as string }] }, ++nonce);
    expect((await post(url, numericPrice)).status).toBe(422);
    // Still serving after all of that.
    expect((await exchange(TEST_FIXTURE_PRIVATE_KEY, restingBuy())).json).toMatchObject({ status: 'ok' });
  });

  it('refuses trigger orders explicitly rather than pretending to rest them', async () => {
    await start();
    const trigger = { type: 'order', orders: [{ a: 0, b: false, p: '60000', s: '0.001', r: true, t: { trigger: { isMarket: true, triggerPx: '60000', tpsl: 'sl' } } }], grouping: 'na' };
    const reply = await exchange(TEST_FIXTURE_PRIVATE_KEY, trigger);
    expect(reply.json).toEqual({ status: 'ok', response: { type: 'order', data: { statuses: [{ error: 'Trigger orders are not supported by the simulated venue.' }] } } });
  });
});
