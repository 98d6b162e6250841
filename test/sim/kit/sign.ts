import { secp256k1 } from '@noble/curves/secp256k1.js';
import { requestDigest, type Network, type SignedRequest } from '../../../src/sim/hyperliquid/signing.js';

/**
 * Builds signed /exchange bodies for server tests, for actions ccxt has no helper for (approveAgent)
 * or when a test needs exact control of nonce, vault and expiry. ccxt-produced signatures are checked
 * against the same digest in signing.test.ts, so this signer and ccxt agree.
 */
export function signedBody(
  privateKey: string,
  action: SignedRequest['action'],
  nonce: number,
  options: { network?: Network; vaultAddress?: string; expiresAfter?: number } = {},
): SignedRequest {
  const unsigned = { action, nonce, vaultAddress: options.vaultAddress, expiresAfter: options.expiresAfter, signature: { r: '0x0', s: '0x0', v: 27 } };
  const digest = requestDigest(unsigned, options.network ?? 'mainnet');
  const signature = secp256k1.Signature.fromBytes(secp256k1.sign(digest, Buffer.from(privateKey.slice(2), 'hex'), { prehash: false, format: 'recovered' }), 'recovered');
  const body: Record<string, unknown> = {
    action,
    nonce,
    signature: { r: `0x${signature.r.toString(16).padStart(64, '0')}`, s: `0x${signature.s.toString(16).padStart(64, '0')}`, v: 27 + (signature.recovery ?? 0) },
  };
  if (options.vaultAddress !== undefined) body['vaultAddress'] = options.vaultAddress;
  if (options.expiresAfter !== undefined) body['expiresAfter'] = options.expiresAfter;
  return body as unknown as SignedRequest;
}

/** POSTs JSON to the simulator and returns status, content type and parsed (or raw) body. */
export async function post(url: string, body: unknown, init: { contentType?: string; raw?: string } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: init.raw ?? JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}
