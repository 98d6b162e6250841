import { encode as msgpackEncode } from '@msgpack/msgpack';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  ZERO_ADDRESS,
  bytesToHex,
  concatBytes,
  hexToBytes,
  recoverAddress,
  typedDataDigest,
  type RsvSignature,
  type TypedField,
} from './eip712.js';

/**
 * Who signed a Hyperliquid /exchange request. Two schemes exist (../refs hyperliquid §5):
 * - L1 actions (order, cancel, ...): the action is msgpack-hashed with the nonce, vault and expiry into a
 *   "connection id", and a phantom `Agent{source, connectionId}` struct is signed; source "a" is mainnet
 *   and "b" testnet.
 * - user-signed actions (transfers, approvals): the action's own fields are the EIP-712 message, under
 *   the `HyperliquidSignTransaction` domain on the chain the action names in `signatureChainId`.
 */

export type Network = 'mainnet' | 'testnet';

/** The /exchange body after JSON parsing. `action` keeps the key order it arrived with: the hash depends on it. */
export interface SignedRequest {
  readonly action: Readonly<Record<string, unknown>> & { readonly type: string };
  readonly nonce: number;
  readonly signature: RsvSignature;
  /** With or without 0x; ccxt strips it. */
  readonly vaultAddress?: string | null | undefined;
  readonly expiresAfter?: number | null | undefined;
}

interface UserSignedSpec {
  readonly primaryType: string;
  readonly fields: readonly TypedField[];
  /** Values signed for fields a client may leave out of the body (the SDKs drop an unnamed agent's name). */
  readonly defaults?: Readonly<Record<string, unknown>>;
}

const CHAIN: TypedField = { name: 'hyperliquidChain', type: 'string' };
const NONCE: TypedField = { name: 'nonce', type: 'uint64' };
const TIME: TypedField = { name: 'time', type: 'uint64' };
const str = (name: string): TypedField => ({ name, type: 'string' });

/** Every user-signed action type Hyperliquid accepts, with its EIP-712 struct (field order is part of the type hash). */
export const USER_SIGNED_ACTIONS: Readonly<Record<string, UserSignedSpec>> = {
  approveBuilderFee: {
    primaryType: 'HyperliquidTransaction:ApproveBuilderFee',
    fields: [CHAIN, str('maxFeeRate'), { name: 'builder', type: 'address' }, NONCE],
  },
  approveAgent: {
    primaryType: 'HyperliquidTransaction:ApproveAgent',
    fields: [CHAIN, { name: 'agentAddress', type: 'address' }, str('agentName'), NONCE],
    defaults: { agentName: '' },
  },
  usdSend: { primaryType: 'HyperliquidTransaction:UsdSend', fields: [CHAIN, str('destination'), str('amount'), TIME] },
  spotSend: {
    primaryType: 'HyperliquidTransaction:SpotSend',
    fields: [CHAIN, str('destination'), str('token'), str('amount'), TIME],
  },
  withdraw3: { primaryType: 'HyperliquidTransaction:Withdraw', fields: [CHAIN, str('destination'), str('amount'), TIME] },
  usdClassTransfer: {
    primaryType: 'HyperliquidTransaction:UsdClassTransfer',
    fields: [CHAIN, str('amount'), { name: 'toPerp', type: 'bool' }, NONCE],
  },
  sendAsset: {
    primaryType: 'HyperliquidTransaction:SendAsset',
    fields: [CHAIN, str('destination'), str('sourceDex'), str('destinationDex'), str('token'), str('amount'), str('fromSubAccount'), NONCE],
  },
  tokenDelegate: {
    primaryType: 'HyperliquidTransaction:TokenDelegate',
    fields: [CHAIN, { name: 'validator', type: 'address' }, { name: 'wei', type: 'uint64' }, { name: 'isUndelegate', type: 'bool' }, NONCE],
  },
  userDexAbstraction: {
    primaryType: 'HyperliquidTransaction:UserDexAbstraction',
    fields: [CHAIN, { name: 'user', type: 'address' }, { name: 'enabled', type: 'bool' }, NONCE],
  },
  userSetAbstraction: {
    primaryType: 'HyperliquidTransaction:UserSetAbstraction',
    fields: [CHAIN, { name: 'user', type: 'address' }, str('abstraction'), NONCE],
  },
  convertToMultiSigUser: {
    primaryType: 'HyperliquidTransaction:ConvertToMultiSigUser',
    fields: [CHAIN, str('signers'), NONCE],
  },
};

export function isUserSignedAction(type: string): boolean {
  return Object.hasOwn(USER_SIGNED_ACTIONS, type);
}

const L1_DOMAIN = { name: 'Exchange', version: '1', chainId: 1337, verifyingContract: ZERO_ADDRESS } as const;
const AGENT_FIELDS: readonly TypedField[] = [
  { name: 'source', type: 'string' },
  { name: 'connectionId', type: 'bytes32' },
];

function u64BigEndian(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

/**
 * keccak256(msgpack(action) ‖ nonce u64 BE ‖ vault tag [‖ 0x00 ‖ expiresAfter u64 BE]). msgpack of the
 * parsed JSON reproduces the client's bytes because JSON.parse keeps key order and @msgpack/msgpack
 * picks the narrowest integer encodings, as the SDKs' encoders do.
 */
export function l1ConnectionId(request: Pick<SignedRequest, 'action' | 'nonce' | 'vaultAddress' | 'expiresAfter'>): Uint8Array {
  const vault = request.vaultAddress;
  const parts: Uint8Array[] = [
    msgpackEncode(request.action),
    u64BigEndian(request.nonce),
    vault === undefined || vault === null ? new Uint8Array([0]) : concatBytes(new Uint8Array([1]), hexToBytes(vault, 20)),
  ];
  if (request.expiresAfter !== undefined && request.expiresAfter !== null) parts.push(new Uint8Array([0]), u64BigEndian(request.expiresAfter));
  return keccak_256(concatBytes(...parts));
}

/** The EIP-712 digest the client signed for this request, under the given network's rules. */
export function requestDigest(request: SignedRequest, network: Network): Uint8Array {
  const spec = USER_SIGNED_ACTIONS[request.action.type];
  if (spec === undefined) {
    const connectionId = bytesToHex(l1ConnectionId(request));
    return typedDataDigest(L1_DOMAIN, 'Agent', AGENT_FIELDS, { source: network === 'mainnet' ? 'a' : 'b', connectionId });
  }
  const chainId = request.action['signatureChainId'];
  const domain = {
    name: 'HyperliquidSignTransaction',
    version: '1',
    chainId: typeof chainId === 'string' ? Number.parseInt(chainId, 16) : Number.NaN,
    verifyingContract: ZERO_ADDRESS,
  };
  const message = { ...spec.defaults };
  for (const [key, value] of Object.entries(request.action)) if (value !== null && value !== undefined) message[key] = value;
  return typedDataDigest(domain, spec.primaryType, spec.fields, message);
}

/**
 * The lower-case address that signed `request`. A wrong network byte, a changed byte anywhere in the
 * action, or another nonce yields a different (unknown) address, not an error. Throws TypedDataError
 * only when the request cannot be hashed or the signature is not a curve point.
 */
export function recoverSigner(request: SignedRequest, network: Network): string {
  return recoverAddress(requestDigest(request, network), request.signature);
}
