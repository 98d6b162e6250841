import { encode } from '@msgpack/msgpack';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import ccxt from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { installFastSigner, loadNativeSecp256k1, type RecoverableSigner } from '../../../../src/main/exchange/hyperliquid/fast-signer.js';
import { packLikeCcxt } from '../../../../src/main/exchange/hyperliquid/l1-digest.js';
import { TEST_FIXTURE_OTHER_PRIVATE_KEY, TEST_FIXTURE_PRIVATE_KEY } from '../../../sim/kit/wallets.js';
import { expiresAfter, l1Action, nonce, vault } from './hl-actions.js';

type Hyperliquid = InstanceType<typeof ccxt.hyperliquid>;

/**
 * libsecp256k1 when the `secp256k1` package is installed; otherwise @noble/curves driven through the
 * same interface, so the digest path (msgpack, EIP-712 constants, formatting) is proven either way.
 */
const NATIVE = loadNativeSecp256k1();
const NOBLE: RecoverableSigner = {
  name: 'noble',
  sign(digest, key) {
    const bytes = secp256k1.sign(digest, key, { lowS: true, prehash: false, format: 'recovered' });
    return { signature: bytes.subarray(1), recid: bytes[0]! };
  },
};
const SIGNER = NATIVE ?? NOBLE;
const RUNS = NATIVE ? 3_000 : 1_500;

function hyperliquid(options: { privateKey?: string; testnet?: boolean } = {}): Hyperliquid {
  const exchange = new ccxt.hyperliquid({
    privateKey: options.privateKey ?? TEST_FIXTURE_PRIVATE_KEY,
    walletAddress: '0x' + '5a'.repeat(20),
    urls: { api: { public: 'http://127.0.0.1:9', private: 'http://127.0.0.1:9' } },
  });
  if (options.testnet) exchange.options['sandboxMode'] = true;
  return exchange;
}

/** A call's result or its error message, so a fallback that throws is compared like one that returns. */
function outcome(call: () => unknown): unknown {
  try {
    return { ok: call() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) };
  }
}

describe('fast Hyperliquid signer', () => {
  it('signs every generated L1 action exactly as ccxt does', () => {
    const pairs = [false, true].flatMap((testnet) =>
      [TEST_FIXTURE_PRIVATE_KEY, TEST_FIXTURE_OTHER_PRIVATE_KEY].map((privateKey) => {
        const ours = hyperliquid({ privateKey, testnet });
        expect(installFastSigner(ours, { signer: SIGNER })).toEqual({ installed: true, backend: SIGNER.name });
        return { ccxtSide: hyperliquid({ privateKey, testnet }), ours };
      }),
    );
    // ccxt's signL1Action starts with its actionHash and ours never calls it, so counting those calls
    // on our instances tells exactly when the fallback ran.
    let fallbacks = 0;
    for (const { ours } of pairs) {
      const actionHash = ours.actionHash.bind(ours);
      ours.actionHash = (...args: Parameters<typeof actionHash>) => (fallbacks++, actionHash(...args));
    }
    let fast = 0;
    fc.assert(
      fc.property(l1Action, nonce, vault, expiresAfter, fc.nat({ max: pairs.length - 1 }), (action, n, v, e, which) => {
        const { ccxtSide, ours } = pairs[which]!;
        const expected = outcome(() => ccxtSide.signL1Action(action, n, v, e));
        const before = fallbacks;
        expect(outcome(() => ours.signL1Action(action, n, v, e))).toEqual(expected);
        // The fast path must take exactly the inputs in ccxt's documented layout, and only those.
        const inLayout = (x: number) => Number.isInteger(x) && x >= 2 ** 40 && x < 2 ** 44;
        const expectFast = inLayout(n) && (e === undefined || inLayout(e)) && (v === undefined || /^[0-9a-f]{40}$/i.test(v));
        expect(fallbacks === before).toBe(expectFast);
        if (expectFast) fast++;
      }),
      { numRuns: RUNS },
    );
    // Most cases must have gone through our path, not the fallback, or the test proves little.
    expect(fast).toBeGreaterThan(RUNS * 0.5);
  });

  it('signs user-signed actions (approveBuilderFee, usdSend, withdraw, transfers) exactly as ccxt does', () => {
    const plain = hyperliquid();
    const ours = hyperliquid();
    installFastSigner(ours, { signer: SIGNER });
    const address = hexString(20).map((h) => '0x' + h);
    const amount = fc.integer({ min: 1, max: 10 ** 9 }).map(String);
    const time = fc.integer({ min: 1_600_000_000_000, max: 2_200_000_000_000 });
    const chain = fc.constantFrom('Mainnet', 'Testnet');
    const cases = fc.oneof(
      fc.record({ hyperliquidChain: chain, maxFeeRate: fc.constantFrom('0.01%', '0%', '0.1%'), builder: address, nonce: time }).map((m) => ['buildApproveBuilderFeeSig', m] as const),
      fc.record({ hyperliquidChain: chain, destination: address, amount, time }).map((m) => ['buildUsdSendSig', m] as const),
      fc.record({ hyperliquidChain: chain, destination: address, amount, time }).map((m) => ['buildWithdrawSig', m] as const),
      fc.record({ hyperliquidChain: chain, amount, toPerp: fc.boolean(), nonce: time }).map((m) => ['buildUsdClassSendSig', m] as const),
    );
    fc.assert(
      fc.property(cases, ([method, message]) => {
        expect(ours[method](message)).toEqual(plain[method](message));
      }),
      { numRuns: 200 },
    );
  });

  it('signs digests at the edges of the scalar field as ccxt does', () => {
    const plain = hyperliquid();
    const ours = hyperliquid();
    installFastSigner(ours, { signer: SIGNER });
    for (const digest of ['00'.repeat(32), 'ff'.repeat(32), 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', '00'.repeat(31) + '01']) {
      const hash = '0x' + digest;
      expect(ours.signHash(hash, TEST_FIXTURE_PRIVATE_KEY.slice(-64))).toEqual(plain.signHash(hash, TEST_FIXTURE_PRIVATE_KEY.slice(-64)));
    }
  });

  it('leaves to ccxt what it does not handle: unknown types, odd data, bad keys, a changed zero address', () => {
    const plain = hyperliquid();
    const ours = hyperliquid();
    installFastSigner(ours, { signer: SIGNER });
    const n = 1_760_000_000_000;
    const actions: unknown[] = [
      { type: 'setReferrer', code: 'CCXT1' },
      { type: 'createSubAccount', name: 'sub' },
      { type: 'order', orders: [], grouping: 'na', odd: 2 ** 60 },
      { type: 'order', orders: [], grouping: 'na', lone: '\ud800' },
      { type: 'cancel', cancels: [{ a: 1, o: 1.5 }], f: -1e300, g: Number.NaN },
    ];
    for (const action of actions) expect(outcome(() => ours.signL1Action(action, n))).toEqual(outcome(() => plain.signL1Action(action, n)));
    for (const exchange of [ours, plain]) exchange.options['zeroAddress'] = '0x' + '00'.repeat(19) + '01';
    expect(ours.signL1Action({ type: 'cancel', cancels: [{ a: 1, o: 2 }] }, n)).toEqual(plain.signL1Action({ type: 'cancel', cancels: [{ a: 1, o: 2 }] }, n));
    for (const exchange of [ours, plain]) exchange.privateKey = '0x' + '00'.repeat(32);
    expect(outcome(() => ours.signL1Action({ type: 'cancel', cancels: [{ a: 1, o: 2 }] }, n))).toEqual(outcome(() => plain.signL1Action({ type: 'cancel', cancels: [{ a: 1, o: 2 }] }, n)));
  });

  it('packs JSON-like data byte-identically to ccxt whenever packLikeCcxt accepts it', () => {
    const exchange = hyperliquid();
    const data = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: -70_000, max: 70_000 }),
        fc.double(),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.boolean(),
        fc.constantFrom(null, undefined, 2 ** 53, -(2 ** 60), 2 ** 64),
        fc.array(tie('value'), { maxLength: 20 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 20 }),
      ),
    })).value;
    let accepted = 0;
    fc.assert(
      fc.property(data, (value) => {
        const ours = packLikeCcxt(value);
        if (ours === undefined) return;
        accepted++;
        expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(exchange.packb(value)).toString('hex'));
      }),
      { numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(1_500);
    // The encoder itself is @msgpack/msgpack; make sure its default would have differed where we refuse.
    expect(Buffer.from(encode(2 ** 60)).equals(Buffer.from(exchange.packb(2 ** 60)))).toBe(false);
  });

  it('installs libsecp256k1 when it loads, and leaves ccxt\'s signer in place when it does not', () => {
    if (NATIVE === undefined) {
      // Not installed in this tree: the installer must then leave ccxt's signer in place.
      const exchange = hyperliquid();
      const before = exchange.signL1Action;
      expect(installFastSigner(exchange)).toEqual({ installed: false, backend: 'ccxt' });
      expect(exchange.signL1Action).toBe(before);
      return;
    }
    const exchange = hyperliquid();
    expect(installFastSigner(exchange)).toEqual({ installed: true, backend: 'libsecp256k1' });
    expect(installFastSigner(exchange)).toEqual({ installed: true, backend: 'libsecp256k1' });
  });
});

function hexString(bytes: number): fc.Arbitrary<string> {
  return fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
}
