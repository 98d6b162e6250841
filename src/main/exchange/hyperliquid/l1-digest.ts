import { Encoder } from '@msgpack/msgpack';
import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * The 32-byte digest ccxt 4.5.84 signs for a Hyperliquid L1 action, computed without ccxt's generic
 * EIP-712 encoder: the domain separator and the Agent struct prefix are constants, so a signature costs
 * three keccak blocks plus msgpack instead of ccxt's typed-data walk over hex strings.
 *
 * Every function here returns `undefined` instead of guessing when its input lies outside what it has
 * been proven byte-identical to ccxt on (test/main/exchange/hyperliquid/fast-signer.test.ts); callers
 * then fall back to ccxt's own code, which keeps ccxt's behaviour (and its errors) for odd inputs.
 */

const utf8 = new TextEncoder();
const keccakText = (text: string): Uint8Array => keccak_256(utf8.encode(text));

function u256(value: number): Uint8Array {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setUint32(28, value);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** EIP-712 domain separator: keccak(typeHash ‖ keccak(name) ‖ keccak(version) ‖ chainId ‖ zero address). */
function domainSeparator(name: string, version: string, chainId: number): Uint8Array {
  const typeHash = keccakText('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)');
  return keccak_256(concat([typeHash, keccakText(name), keccakText(version), u256(chainId), new Uint8Array(32)]));
}

/** ccxt's `options.zeroAddress`; the precomputed domain assumes it, so the signer checks it per call. */
export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** ccxt signs every L1 action in the "Exchange" domain, version 1, chain 1337 (hyperliquid.js signL1Action). */
export const EXCHANGE_DOMAIN_SEPARATOR = domainSeparator('Exchange', '1', 1337);

const AGENT_TYPE_HASH = keccakText('Agent(string source,bytes32 connectionId)');

/**
 * hashStruct(Agent) input with the first 64 bytes fixed per network (type hash, keccak(source)); only the
 * connection id changes. Source "a" is mainnet, "b" testnet (ccxt constructPhantomAgent).
 */
const agentInput = (source: string): Uint8Array => concat([AGENT_TYPE_HASH, keccakText(source), new Uint8Array(32)]);
const AGENT_MAINNET = agentInput('a');
const AGENT_TESTNET = agentInput('b');
/** 0x19 0x01 ‖ domain separator ‖ struct hash: only the last 32 bytes change. */
const DIGEST_INPUT = concat([new Uint8Array([0x19, 0x01]), EXCHANGE_DOMAIN_SEPARATOR, new Uint8Array(32)]);

/** The EIP-712 digest of the phantom agent `{source, connectionId}` that ccxt signs. */
export function agentDigest(connectionId: Uint8Array, testnet: boolean): Uint8Array {
  const agent = testnet ? AGENT_TESTNET : AGENT_MAINNET;
  agent.set(connectionId, 64);
  DIGEST_INPUT.set(keccak_256(agent), 34);
  return keccak_256(DIGEST_INPUT);
}

/**
 * ccxt appends the nonce as `'00000' + n.toString(16)`, which is the 8-byte big-endian u64 only when the
 * hex has exactly 11 digits, i.e. 2^40 <= n < 2^44 (millisecond clocks from 2004 to 2527). Outside that,
 * ccxt emits something else (or throws on odd hex), so we decline.
 */
const U64_LOW = 2 ** 40;
const U64_HIGH = 2 ** 44;
const isCcxtU64 = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= U64_LOW && n < U64_HIGH;
const VAULT_HEX = /^[0-9a-fA-F]{40}$/;

/** Tail = nonce u64 ‖ (0x00 | 0x01 ‖ vault) [‖ 0x00 ‖ expiresAfter u64]; at most 8 + 21 + 9 bytes. */
const tail = new Uint8Array(38);
const tailView = new DataView(tail.buffer);

function writeU64(at: number, n: number): void {
  tailView.setUint32(at, Math.floor(n / 0x1_0000_0000));
  tailView.setUint32(at + 4, n >>> 0);
}

/**
 * ccxt actionHash: keccak(msgpack(action) ‖ tail). `vaultHex` is what ccxt passes (no 0x, the callers
 * strip it). Returns undefined for inputs ccxt would encode differently from the documented layout.
 */
export function connectionId(packed: Uint8Array, nonce: unknown, vaultHex: unknown, expiresAfter: unknown): Uint8Array | undefined {
  if (!isCcxtU64(nonce)) return undefined;
  writeU64(0, nonce);
  let at = 8;
  if (vaultHex === undefined) {
    tail[at++] = 0;
  } else {
    if (typeof vaultHex !== 'string' || !VAULT_HEX.test(vaultHex)) return undefined;
    tail[at++] = 1;
    tail.set(Buffer.from(vaultHex, 'hex'), at);
    at += 20;
  }
  if (expiresAfter !== undefined) {
    if (!isCcxtU64(expiresAfter)) return undefined;
    tail[at++] = 0;
    writeU64(at, expiresAfter);
    at += 8;
  }
  return keccak_256.create().update(packed).update(tail.subarray(0, at)).digest();
}

/*
 * msgpack: ccxt has its own encoder (base/functions/msgpack.js). @msgpack/msgpack with ignoreUndefined
 * writes the same bytes for plain JSON-like data: narrowest ints, float64 for non-integers, undefined
 * dropped from maps and nil in arrays, str8/array16/map16 headers. They differ on integers beyond 2^53
 * (we write a float, ccxt an int), lone UTF-16 surrogates, Dates, typed arrays, bigints and non-plain
 * objects, so `packLikeCcxt` refuses all of those rather than encode them.
 */
const encoder = new Encoder({ ignoreUndefined: true });
const LONE_SURROGATE = /\p{Cs}/u;
const MAX_DEPTH = 32;

function plainData(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
      return true;
    case 'string':
      return !LONE_SURROGATE.test(value);
    case 'number':
      return !Number.isInteger(value) || Number.isSafeInteger(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!plainData(value[i], depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      for (const key in record) if (!plainData(record[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** msgpack(action) exactly as ccxt's packb writes it, or undefined if that cannot be guaranteed. */
export function packLikeCcxt(action: unknown): Uint8Array | undefined {
  if (!plainData(action, 0)) return undefined;
  // The shared buffer is consumed by connectionId before the next encode, so no copy is needed.
  return encoder.encodeSharedRef(action);
}
