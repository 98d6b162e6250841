import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { recoverSigner, requestDigest, type SignedRequest } from '../../../src/sim/hyperliquid/signing.js';
import { TEST_FIXTURE_PRIVATE_KEY, addressOf } from '../kit/wallets.js';

const WALLET = addressOf(TEST_FIXTURE_PRIVATE_KEY);
const NONCE = 1_795_492_936_337;

type CcxtSigner = {
  signL1Action(action: object, nonce: number, vault?: string, expiresAfter?: number): object;
  buildApproveBuilderFeeSig(message: object): object;
  buildUsdClassSendSig(message: object): object;
  buildUserAbstractionSig(message: object): object;
};

function ccxtSigner(testnet = false): CcxtSigner {
  const exchange = new ccxt.hyperliquid({ walletAddress: WALLET, privateKey: TEST_FIXTURE_PRIVATE_KEY, options: { sandboxMode: testnet } });
  return exchange as unknown as CcxtSigner;
}

/** What the server sees: the body after a JSON round trip, exactly as the client serialised it. */
function overTheWire(body: object): SignedRequest {
  return JSON.parse(JSON.stringify(body)) as SignedRequest;
}

const ORDER_ACTION = {
  type: 'order',
  orders: [{ a: 0, b: true, p: '60000', s: '0.001', r: false, t: { limit: { tif: 'Gtc' } }, c: '0x1234567890abcdef1234567890abcdef' }],
  grouping: 'na',
  builder: { b: '0x6530512a6c89c7cfcebc3ba7fcd9ada5f30827a6', f: 10 },
};

describe('signature recovery', () => {
  it('recovers the wallet from a ccxt-signed L1 order', () => {
    const signature = ccxtSigner().signL1Action(ORDER_ACTION, NONCE);
    expect(recoverSigner(overTheWire({ action: ORDER_ACTION, nonce: NONCE, signature }), 'mainnet')).toBe(WALLET);
  });

  it('recovers with a vault address sent without 0x (as ccxt does) and with it', () => {
    const vault = '1111111111111111111111111111111111111111';
    const signature = ccxtSigner().signL1Action(ORDER_ACTION, NONCE, vault);
    const body = { action: ORDER_ACTION, nonce: NONCE, signature, vaultAddress: vault };
    expect(recoverSigner(overTheWire(body), 'mainnet')).toBe(WALLET);
    expect(recoverSigner(overTheWire({ ...body, vaultAddress: `0x${vault}` }), 'mainnet')).toBe(WALLET);
  });

  it('recovers with expiresAfter, and not when expiresAfter is dropped', () => {
    const expiresAfter = NONCE + 60_000;
    const signature = ccxtSigner().signL1Action(ORDER_ACTION, NONCE, undefined, expiresAfter);
    expect(recoverSigner(overTheWire({ action: ORDER_ACTION, nonce: NONCE, signature, expiresAfter }), 'mainnet')).toBe(WALLET);
    expect(recoverSigner(overTheWire({ action: ORDER_ACTION, nonce: NONCE, signature }), 'mainnet')).not.toBe(WALLET);
  });

  it('recovers a different address from a tampered body, another nonce, or reordered keys', () => {
    const signature = ccxtSigner().signL1Action(ORDER_ACTION, NONCE);
    const tampered = structuredClone(ORDER_ACTION);
    tampered.orders[0]!.p = '60001';
    expect(recoverSigner(overTheWire({ action: tampered, nonce: NONCE, signature }), 'mainnet')).not.toBe(WALLET);
    expect(recoverSigner(overTheWire({ action: ORDER_ACTION, nonce: NONCE + 1, signature }), 'mainnet')).not.toBe(WALLET);
    const { grouping, ...rest } = ORDER_ACTION;
    const reordered = { grouping, ...rest };
    expect(recoverSigner(overTheWire({ action: reordered, nonce: NONCE, signature }), 'mainnet')).not.toBe(WALLET);
  });

  it('uses the testnet source byte "b" only when configured for testnet', () => {
    const action = { type: 'cancel', cancels: [{ a: 0, o: 1000 }] };
    const testnetSignature = ccxtSigner(true).signL1Action(action, NONCE);
    const body = overTheWire({ action, nonce: NONCE, signature: testnetSignature });
    expect(recoverSigner(body, 'testnet')).toBe(WALLET);
    expect(recoverSigner(body, 'mainnet')).not.toBe(WALLET);
  });

  it('recovers user-signed approveBuilderFee, usdClassTransfer and userSetAbstraction', () => {
    const signer = ccxtSigner();
    const approve = {
      hyperliquidChain: 'Mainnet',
      signatureChainId: '0x66eee',
      maxFeeRate: '0.01%',
      builder: '0x6530512A6c89C7cfCEbC3BA7fcD9aDa5f30827a6',
      nonce: NONCE,
      type: 'approveBuilderFee',
    };
    const transfer = { hyperliquidChain: 'Mainnet', signatureChainId: '0x66eee', amount: '5', toPerp: true, nonce: NONCE, type: 'usdClassTransfer' };
    const abstraction = { hyperliquidChain: 'Mainnet', signatureChainId: '0x66eee', user: WALLET, abstraction: 'unifiedAccount', nonce: NONCE, type: 'userSetAbstraction' };
    for (const [action, signature] of [
      [approve, signer.buildApproveBuilderFeeSig(approve)],
      [transfer, signer.buildUsdClassSendSig(transfer)],
      [abstraction, signer.buildUserAbstractionSig(abstraction)],
    ] as const) {
      expect(recoverSigner(overTheWire({ action, nonce: NONCE, signature }), 'mainnet')).toBe(WALLET);
      expect(recoverSigner(overTheWire({ action: { ...action, nonce: NONCE + 1 }, nonce: NONCE, signature }), 'mainnet')).not.toBe(WALLET);
    }
  });

  it('signs an unnamed agent as agentName "" whether the body carries the empty name or drops it', () => {
    const signature = { r: '0x1', s: '0x1', v: 27 };
    const action = { type: 'approveAgent', hyperliquidChain: 'Mainnet', signatureChainId: '0x66eee', agentAddress: WALLET, nonce: NONCE };
    const dropped = requestDigest({ action, nonce: NONCE, signature }, 'mainnet');
    const empty = requestDigest({ action: { ...action, agentName: '' }, nonce: NONCE, signature }, 'mainnet');
    const named = requestDigest({ action: { ...action, agentName: 'bot' }, nonce: NONCE, signature }, 'mainnet');
    expect(Buffer.from(dropped).equals(Buffer.from(empty))).toBe(true);
    expect(Buffer.from(dropped).equals(Buffer.from(named))).toBe(false);
  });

  it('throws on a signature that is not a curve point rather than crashing the server', () => {
    const body = overTheWire({ action: ORDER_ACTION, nonce: NONCE, signature: { r: '0x00', s: '0x00', v: 27 } });
    expect(() => recoverSigner(body, 'mainnet')).toThrow(/signature/);
  });
});
