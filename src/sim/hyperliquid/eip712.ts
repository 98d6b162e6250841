import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * The slice of EIP-712 that Hyperliquid uses: flat structs of string, bytes32, address, bool and
 * uint fields (no nested structs, no arrays). Kept to that slice on purpose: a general encoder would be
 * code the simulator never runs.
 */

export interface TypedField {
  readonly name: string;
  readonly type: 'string' | 'bytes32' | 'address' | 'bool' | 'uint64' | 'uint256';
}

export interface Eip712Domain {
  readonly name: string;
  readonly version: string;
  readonly chainId: number;
  readonly verifyingContract: string;
}

export interface RsvSignature {
  readonly r: string;
  readonly s: string;
  readonly v: number;
}

/** A field value the typed-data encoder cannot represent (wrong type, bad hex, negative number). */
export class TypedDataError extends Error {}

const DOMAIN_FIELDS: readonly TypedField[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
];

const utf8 = new TextEncoder();

export const ZERO_ADDRESS = '0x' + '00'.repeat(20);

export function hexToBytes(hex: string, expectedLength?: number): Uint8Array {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new TypedDataError(`not hex: ${hex.slice(0, 70)}`);
  if (expectedLength !== undefined && digits.length !== expectedLength * 2) {
    throw new TypedDataError(`expected ${expectedLength} bytes of hex, got ${digits.length / 2}`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return '0x' + Buffer.from(bytes).toString('hex');
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function uint256(value: unknown): Uint8Array {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(value)) n = BigInt(value);
  else throw new TypedDataError(`not an unsigned integer: ${String(value).slice(0, 40)}`);
  if (n < 0n || n >= 1n << 256n) throw new TypedDataError(`integer out of range: ${n}`);
  return hexToBytes(n.toString(16).padStart(64, '0'));
}

function encodeValue(field: TypedField, value: unknown): Uint8Array {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') throw new TypedDataError(`${field.name}: expected a string`);
      return keccak_256(utf8.encode(value));
    case 'bytes32':
      if (typeof value !== 'string') throw new TypedDataError(`${field.name}: expected hex`);
      return hexToBytes(value, 32);
    case 'address':
      if (typeof value !== 'string') throw new TypedDataError(`${field.name}: expected an address`);
      return concatBytes(new Uint8Array(12), hexToBytes(value, 20));
    case 'bool':
      if (typeof value !== 'boolean') throw new TypedDataError(`${field.name}: expected a boolean`);
      return uint256(value ? 1 : 0);
    case 'uint64':
    case 'uint256':
      return uint256(value);
  }
}

function hashStruct(typeName: string, fields: readonly TypedField[], message: Readonly<Record<string, unknown>>): Uint8Array {
  const signature = `${typeName}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`;
  return keccak_256(concatBytes(keccak_256(utf8.encode(signature)), ...fields.map((f) => encodeValue(f, message[f.name]))));
}

/** The 32-byte digest a wallet signs for `eth_signTypedData_v4`. */
export function typedDataDigest(
  domain: Eip712Domain,
  primaryType: string,
  fields: readonly TypedField[],
  message: Readonly<Record<string, unknown>>,
): Uint8Array {
  const domainHash = hashStruct('EIP712Domain', DOMAIN_FIELDS, { ...domain });
  return keccak_256(concatBytes(new Uint8Array([0x19, 0x01]), domainHash, hashStruct(primaryType, fields, message)));
}

function scalarFromHex(hex: unknown): bigint {
  if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(hex)) throw new TypedDataError('signature r/s must be 0x-prefixed hex of at most 32 bytes');
  return BigInt(hex);
}

/**
 * The lower-case address whose key produced `signature` over `digest`. Any well-formed signature
 * recovers *some* address, which is why a tampered request shows up as an unknown signer rather than
 * as a verification failure. Throws TypedDataError when r/s/v cannot form a signature at all.
 */
export function recoverAddress(digest: Uint8Array, signature: RsvSignature): string {
  const recoveryBit = signature.v >= 27 ? signature.v - 27 : signature.v;
  if (recoveryBit !== 0 && recoveryBit !== 1) throw new TypedDataError(`bad signature v: ${signature.v}`);
  try {
    // Signers may drop leading zero nibbles of r and s, so they are read as numbers, not fixed-width bytes.
    const r = scalarFromHex(signature.r);
    const s = scalarFromHex(signature.s);
    const publicKey = new secp256k1.Signature(r, s).addRecoveryBit(recoveryBit).recoverPublicKey(digest).toBytes(false);
    return bytesToHex(keccak_256(publicKey.slice(1)).slice(-20));
  } catch (error) {
    if (error instanceof TypedDataError) throw error;
    throw new TypedDataError(`signature does not recover: ${error instanceof Error ? error.message : String(error)}`);
  }
}
