import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { expect } from 'vitest';
import { TEST_SECRETS, leakedSecrets } from '../../kit/secrets.js';

/** Secrets only the config tests use; distinctive like the kit's, and checked by `expectNoSecrets`. */
export const LOCAL_SECRETS = {
  approleSecretId: 'osprey-test-secret-approle-secret-id-4d2a61',
  wrongVaultToken: 'osprey-test-secret-wrong-vault-token-77e1c0',
  approleClientToken: 'osprey-test-secret-approle-client-token-0b9f',
  ageOnly: 'osprey-test-secret-age-only-value-31b9e8',
} as const;

/** The names of every known test secret (kit + local + extra, e.g. an age identity) found in `text`. */
export function leakedNames(text: string, extra: Record<string, string> = {}): string[] {
  const local = Object.entries({ ...LOCAL_SECRETS, ...extra })
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
  return [...leakedSecrets(text), ...local];
}

/** Fails naming the leaked secrets, never printing their values. */
export function expectNoSecrets(text: string, extra: Record<string, string> = {}): void {
  expect(leakedNames(text, extra)).toEqual([]);
}

/** A temp folder per test file (`cleanup` in afterAll), with a fresh subfolder per case. */
export class TempDir {
  readonly root: string;

  constructor(parent?: string) {
    this.root = mkdtempSync(join(parent ?? tmpdir(), parent === undefined ? 'osprey-config-test-' : 'case-'));
  }

  path(name: string): string {
    return join(this.root, name);
  }

  /** A subfolder, so cases do not see each other's files; removed with the parent. */
  sub(): TempDir {
    return new TempDir(this.root);
  }

  write(name: string, content: string | Uint8Array, mode = 0o600): string {
    const file = this.path(name);
    writeFileSync(file, content, { mode });
    return file;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface AgeKey {
  readonly identity: string;
  readonly recipient: string;
}

export async function newAgeKey(): Promise<AgeKey> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** The file age-keygen writes: comments around the key, which the loader must skip. */
export function identityFileText(key: AgeKey): string {
  return `# created: 2026-11-01T10:00:00Z\n# public key: ${key.recipient}\n${key.identity}\n`;
}

export async function encryptAge(recipient: string, plaintext: string, armored = false): Promise<Uint8Array | string> {
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  const bytes = await encrypter.encrypt(plaintext);
  return armored ? armor.encode(bytes) : bytes;
}

/** The YAML an operator would encrypt: every kit secret by a snake_case name. */
export function secretsYaml(extra: Record<string, string> = {}): string {
  const entries = {
    hyperliquid_private_key: TEST_SECRETS.hyperliquidPrivateKey,
    rpc_token: TEST_SECRETS.rpcToken,
    binance_api_secret: TEST_SECRETS.binanceApiSecret,
    ...extra,
  };
  return Object.entries(entries)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
