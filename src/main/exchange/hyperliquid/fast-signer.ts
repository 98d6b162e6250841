import { createRequire } from 'node:module';
import type ccxt from 'ccxt';
import { ZERO_ADDRESS, agentDigest, connectionId, packLikeCcxt } from './l1-digest.js';

/**
 * A faster signer for ccxt's Hyperliquid class. ccxt 4.5.84 signs each L1 action through its generic
 * EIP-712 encoder and pure-JS @noble/curves ECDSA (about 0.5 to 1 ms per order on a 2-core machine);
 * here the digest uses precomputed EIP-712 constants (l1-digest.ts) and the signature comes from
 * libsecp256k1 (the `secp256k1` package's native binding, about 40 µs). Both are deterministic RFC 6979
 * with low S, so the output is byte-identical to ccxt's; the property test proves it on generated
 * actions. Anything outside the proven ground goes to ccxt's own method, unchanged.
 */

/** A recoverable secp256k1 signer over a 32-byte digest (RFC 6979 nonce, low S). */
export interface RecoverableSigner {
  readonly name: string;
  sign(digest: Uint8Array, secretKey: Uint8Array): { signature: Uint8Array; recid: number };
}

/** What ccxt puts in the request body: r and s as unpadded lower-case hex, v = 27 + recovery bit. */
export interface HyperliquidSignature {
  r: string;
  s: string;
  v: number;
}

/** The shape of the `secp256k1` package's binding module (its package ships no types). */
interface Secp256k1Binding {
  ecdsaSign(message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
}

/**
 * libsecp256k1 through the `secp256k1` package. We require its `bindings` entry, not the package root:
 * the root silently swaps in a pure-JS `elliptic` port when the native addon fails to load, which would
 * be slower than ccxt's noble, so a failed load must surface as `undefined` here instead.
 */
export function loadNativeSecp256k1(): RecoverableSigner | undefined {
  try {
    const binding = createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Binding;
    return { name: 'libsecp256k1', sign: (digest, key) => binding.ecdsaSign(digest, key) };
  } catch {
    return undefined;
  }
}

/** L1 action types whose signatures the property test compares with ccxt's; others go to ccxt. */
export const FAST_L1_ACTION_TYPES: ReadonlySet<string> = new Set([
  'order',
  'cancel',
  'cancelByCloid',
  'modify',
  'batchModify',
  'updateLeverage',
  'updateIsolatedMargin',
  'scheduleCancel',
]);

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** ccxt formats r and s with bigint.toString(16): no leading zeros. */
function unpaddedHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').replace(/^0+(?=.)/, '');
}

/**
 * Decoded secret keys by the string ccxt holds, so 64 hex characters are not decoded per order. ccxt
 * hands us two spellings of one key (`privateKey` in signL1Action, its last 64 characters in signHash),
 * hence a few entries; the cap bounds it if a caller rotates keys on the instance.
 */
export class KeyCache {
  private readonly byText = new Map<string, Uint8Array>();

  /** ccxt uses `privateKey.slice(-64)` as hex; anything else is left to ccxt (and its errors). */
  get(privateKey: unknown): Uint8Array | undefined {
    if (typeof privateKey !== 'string') return undefined;
    const cached = this.byText.get(privateKey);
    if (cached !== undefined) return cached;
    const hex = privateKey.slice(-64);
    if (!HEX64.test(hex)) return undefined;
    if (this.byText.size >= 4) this.byText.clear();
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    this.byText.set(privateKey, bytes);
    return bytes;
  }
}

/** The secp256k1 group order n, big-endian. */
const CURVE_ORDER = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex');

/**
 * noble reduces a digest >= n before deriving the RFC 6979 nonce; the libsecp256k1 in the `secp256k1`
 * package does not, so their signatures differ there (the test shows it). A keccak output lands there
 * with probability 2^-128, but exactness is the contract: such digests go to ccxt.
 */
const belowOrder = (digest: Uint8Array): boolean => Buffer.compare(digest, CURVE_ORDER) < 0;

/** Signs a digest like ccxt's signHash, or undefined if the signer rejects the key (ccxt then throws). */
function signWith(signer: RecoverableSigner, digest: Uint8Array, key: Uint8Array): HyperliquidSignature | undefined {
  if (!belowOrder(digest)) return undefined;
  let result: { signature: Uint8Array; recid: number };
  try {
    result = signer.sign(digest, key);
  } catch {
    return undefined;
  }
  const { signature, recid } = result;
  return { r: '0x' + unpaddedHex(signature.subarray(0, 32)), s: '0x' + unpaddedHex(signature.subarray(32, 64)), v: 27 + recid };
}

type Hyperliquid = InstanceType<typeof ccxt.hyperliquid>;

/** ccxt reads its network as `safeBool(options, 'sandboxMode', false)`. */
function isTestnet(options: unknown): boolean {
  const value = (options as Record<string, unknown> | undefined)?.['sandboxMode'];
  return typeof value === 'boolean' ? value : false;
}

/**
 * Our L1 signature for an action, or undefined when ccxt must sign it: unknown action type, data our
 * msgpack cannot match, a nonce or vault outside ccxt's documented layout, a changed zero address, or
 * a key the signer refuses. The installer wraps this; it is exported for callers that hold an instance's
 * options and key but sign outside ccxt's methods.
 */
export function fastSignL1Action(
  exchange: Pick<Hyperliquid, 'options' | 'privateKey'>,
  signer: RecoverableSigner,
  keys: { get(privateKey: unknown): Uint8Array | undefined },
  action: unknown,
  nonce: unknown,
  vaultAddress: unknown,
  expiresAfter: unknown,
): HyperliquidSignature | undefined {
  if (typeof action !== 'object' || action === null) return undefined;
  const type = (action as { type?: unknown }).type;
  if (typeof type !== 'string' || !FAST_L1_ACTION_TYPES.has(type)) return undefined;
  const options = exchange.options as Record<string, unknown> | undefined;
  if (options?.['zeroAddress'] !== ZERO_ADDRESS) return undefined;
  const key = keys.get(exchange.privateKey);
  if (key === undefined) return undefined;
  const packed = packLikeCcxt(action);
  if (packed === undefined) return undefined;
  const id = connectionId(packed, nonce, vaultAddress, expiresAfter);
  if (id === undefined) return undefined;
  return signWith(signer, agentDigest(id, isTestnet(options)), key);
}

export interface FastSignerStatus {
  /** True when the instance now signs with our code; false leaves ccxt's signer untouched. */
  readonly installed: boolean;
  readonly backend: string;
}

const installed = new WeakMap<object, FastSignerStatus>();

/**
 * Replaces `signL1Action` and `signHash` on this one instance. Every ccxt path that signs (createOrder,
 * cancelOrder, editOrder, the WebSocket `post` path of ccxt.pro, setLeverage...) calls these two through
 * `this`, so an instance override covers them all without touching ccxt's prototype or other instances.
 * `signHash` serves the user-signed actions (approveBuilderFee, transfers) and any L1 action the fast
 * path declines: ccxt still builds their digest, only the ECDSA step is native.
 *
 * Without a usable secp256k1 backend nothing is installed and ccxt signs as before.
 */
export function installFastSigner(exchange: Hyperliquid, options: { signer?: RecoverableSigner } = {}): FastSignerStatus {
  const existing = installed.get(exchange);
  if (existing !== undefined) return existing;
  const signer = options.signer ?? loadNativeSecp256k1();
  // Not remembered: a later call with an explicit signer may still install.
  if (signer === undefined) return { installed: false, backend: 'ccxt' };
  const keys = new KeyCache();
  const ccxtSignL1Action = exchange.signL1Action;
  const ccxtSignHash = exchange.signHash;

  exchange.signL1Action = function signL1Action(this: Hyperliquid, action, nonce, vaultAddress, expiresAfter) {
    return fastSignL1Action(this, signer, keys, action, nonce, vaultAddress, expiresAfter) ?? ccxtSignL1Action.call(this, action, nonce, vaultAddress, expiresAfter);
  };
  exchange.signHash = function signHash(this: Hyperliquid, hash: string, privateKey: string) {
    const key = keys.get(privateKey);
    const digest = typeof hash === 'string' ? hash.slice(-64) : '';
    const fast = key !== undefined && HEX64.test(digest) ? signWith(signer, Buffer.from(digest, 'hex'), key) : undefined;
    return fast ?? ccxtSignHash.call(this, hash, privateKey);
  };
  const status = { installed: true, backend: signer.name };
  installed.set(exchange, status);
  return status;
}
