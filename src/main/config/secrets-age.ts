import { readFile } from 'node:fs/promises';
import { Decrypter, armor, identityToRecipient } from 'age-encryption';
import { parse } from 'yaml';
import { ConfigError } from '../../core/errors.js';
import { configErrorOf, problem } from './problems.js';
import { isPlainObject } from './yaml-text.js';

/**
 * Secrets from an age-encrypted file (binary or ASCII-armored, as `age -e` / `age -a` write it),
 * decrypted with X25519 identities. The plaintext is a YAML or JSON mapping of NAME -> value.
 * Every failure is a ConfigError (SECRET_SOURCE_FAILED) naming the file and the config key; none
 * carries plaintext, an identity, or the parser's excerpt of either.
 */

export interface AgeSecretsOptions {
  /** Absolute path of the encrypted file (secrets.ageFile). */
  readonly file: string;
  /** Absolute path of secrets.ageIdentityFile, if configured. */
  readonly identityFile?: string;
  /** Read for OSPREY_AGE_IDENTITY (the key itself) and OSPREY_AGE_IDENTITY_FILE. */
  readonly env?: NodeJS.ProcessEnv;
}

const FILE_KEY = 'secrets.ageFile';
const IDENTITY_KEY = 'secrets.ageIdentityFile';
/** A secrets file is a handful of keys; anything near this size is the wrong file. */
const MAX_FILE_BYTES = 1024 * 1024;
const ARMOR_HEADER = '-----BEGIN AGE ENCRYPTED FILE-----';

export async function readAgeSecrets(options: AgeSecretsOptions): Promise<ReadonlyMap<string, string>> {
  // Both checked before either failure is thrown, so a missing identity does not hide a missing file.
  const [identities, ciphertext] = await Promise.allSettled([loadIdentities(options), readCiphertext(options.file)]);
  if (identities.status === 'rejected' || ciphertext.status === 'rejected') {
    const reasons = [identities, ciphertext].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const unexpected = reasons.find((r) => !(r instanceof ConfigError));
    if (unexpected !== undefined) throw unexpected;
    throw configErrorOf(reasons.flatMap((r) => (r as ConfigError).problems.map((p) => problem('SECRET_SOURCE_FAILED', p.path, p.message))));
  }
  const plaintext = await decrypt(ciphertext.value, identities.value, options.file);
  return parsePlaintext(plaintext, options.file);
}

function failure(path: string, message: string): ConfigError {
  return configErrorOf([problem('SECRET_SOURCE_FAILED', path, message)]);
}

/** Precedence: OSPREY_AGE_IDENTITY, then OSPREY_AGE_IDENTITY_FILE, then secrets.ageIdentityFile. */
async function loadIdentities(options: AgeSecretsOptions): Promise<{ keys: string[]; origin: string }> {
  const env = options.env ?? {};
  let text: string;
  let origin: string;
  if (env.OSPREY_AGE_IDENTITY !== undefined && env.OSPREY_AGE_IDENTITY !== '') {
    text = env.OSPREY_AGE_IDENTITY;
    origin = 'OSPREY_AGE_IDENTITY';
  } else {
    const file = env.OSPREY_AGE_IDENTITY_FILE || options.identityFile;
    if (file === undefined) {
      throw failure(IDENTITY_KEY, `${FILE_KEY} is set but no identity can decrypt it; allowed: set ${IDENTITY_KEY}, OSPREY_AGE_IDENTITY_FILE or OSPREY_AGE_IDENTITY`);
    }
    origin = env.OSPREY_AGE_IDENTITY_FILE ? `OSPREY_AGE_IDENTITY_FILE (${file})` : `${IDENTITY_KEY} (${file})`;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw failure(IDENTITY_KEY, `cannot read the age identity file ${file} (${errnoOf(error)}); allowed: a readable file as age-keygen writes it`);
    }
  }
  // age-keygen writes comment lines ("# public key: age1...") around the key; skip them.
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0) throw failure(IDENTITY_KEY, `the age identity from ${origin} holds no key; allowed: lines of AGE-SECRET-KEY-1...`);
  for (const [i, key] of keys.entries()) {
    try {
      await identityToRecipient(key);
    } catch {
      throw failure(IDENTITY_KEY, `key ${i + 1} of the age identity from ${origin} is not a valid X25519 identity; allowed: AGE-SECRET-KEY-1... as age-keygen writes it`);
    }
  }
  return { keys, origin };
}

async function readCiphertext(file: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw failure(FILE_KEY, `cannot read the age-encrypted file ${file} (${errnoOf(error)}); allowed: a readable file written by age -e`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw failure(FILE_KEY, `${file} is larger than 1 MiB; allowed: a small age-encrypted file of NAME: value pairs`);
  const text = bytes.toString('latin1').trimStart();
  if (!text.startsWith(ARMOR_HEADER)) return bytes;
  try {
    return armor.decode(bytes.toString('utf8'));
  } catch {
    throw failure(FILE_KEY, `${file} has an age armor header but a corrupt body; allowed: a file written by age -e or age -e -a`);
  }
}

async function decrypt(ciphertext: Uint8Array, identities: { keys: string[]; origin: string }, file: string): Promise<string> {
  const decrypter = new Decrypter();
  for (const key of identities.keys) decrypter.addIdentity(key);
  try {
    return await decrypter.decrypt(ciphertext, 'text');
  } catch (error) {
    const reason = error instanceof Error ? error.message : '';
    if (reason.includes('no identity matched')) {
      throw failure(FILE_KEY, `the identity from ${identities.origin} cannot decrypt ${file} (wrong key: the file was encrypted to other recipients)`);
    }
    // typage's messages are fixed phrases ("invalid tag"); anything else is not shown.
    const detail = /^[\w\s',.-]{1,80}$/.test(reason) ? `: ${reason}` : '';
    throw failure(FILE_KEY, `${file} is corrupt or not an age-encrypted file${detail}; allowed: a file written by age -e`);
  }
}

function parsePlaintext(plaintext: string, file: string): ReadonlyMap<string, string> {
  let value: unknown;
  try {
    // failsafe: every scalar stays the exact text written (a hex key must not become a number).
    value = parse(plaintext, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
  } catch {
    throw failure(FILE_KEY, `the decrypted content of ${file} is not valid YAML or JSON; allowed: a mapping of NAME: value`);
  }
  if (!isPlainObject(value)) {
    throw failure(FILE_KEY, `the decrypted content of ${file} is not a mapping; allowed: a YAML or JSON mapping of NAME: value`);
  }
  const secrets = new Map<string, string>();
  for (const [name, secret] of Object.entries(value)) {
    if (typeof secret !== 'string') {
      throw failure(FILE_KEY, `"${name}" in ${file} holds a nested ${Array.isArray(secret) ? 'list' : 'mapping'}; allowed: a text value per name`);
    }
    secrets.set(name, secret);
  }
  return secrets;
}

export function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
