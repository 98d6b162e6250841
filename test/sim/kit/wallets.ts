import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { TEST_SECRETS } from '../../kit/secrets.js';

/**
 * Test wallets for the simulated venue. The keys are fixtures, never funded anywhere: the master key is
 * the suite's scanned test secret (so a leak into any log fails the run), the agent key a second
 * obviously fake value.
 */
export const TEST_FIXTURE_PRIVATE_KEY: string = TEST_SECRETS.hyperliquidPrivateKey;
export const TEST_FIXTURE_AGENT_PRIVATE_KEY = '0x' + 'a9e7'.repeat(16);
export const TEST_FIXTURE_OTHER_PRIVATE_KEY = '0x' + '0dd5'.repeat(16);

/** The lower-case Ethereum address of a private key. */
export function addressOf(privateKey: string): string {
  const publicKey = secp256k1.getPublicKey(Buffer.from(privateKey.slice(2), 'hex'), false);
  return '0x' + Buffer.from(keccak_256(publicKey.slice(1)).slice(-20)).toString('hex');
}
