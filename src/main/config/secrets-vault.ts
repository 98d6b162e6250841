import { readFile } from 'node:fs/promises';
import { ExponentialBackoff, TaskCancelledError, TimeoutStrategy, handleWhen, retry, timeout, wrap } from 'cockatiel';
import type { ConfigError } from '../../core/errors.js';
import { configErrorOf, problem } from './problems.js';
import { isLoopbackHost } from './fields.js';
import type { VaultConfig } from './schema.js';
import { Secret } from './secret.js';
import { errnoOf } from './secrets-age.js';

/**
 * Secrets from HashiCorp Vault KV version 2 (shared/refs/vault-kv2.md), with a static token or an
 * AppRole login. 404 and 403 are configuration errors at once; unreachable, sealed, 5xx and 429 are
 * retried with backoff until the start-up deadline. No message carries the token, the secret ID or
 * a value: only the address, mount, path and status.
 */

export interface VaultReadOptions {
  /** Read for VAULT_TOKEN. */
  readonly env?: NodeJS.ProcessEnv;
  /** Caps secrets.vault.startupDeadlineMs (`config check` waits less than a starting engine). */
  readonly deadlineMs?: number;
}

export interface VaultSecrets {
  readonly values: ReadonlyMap<string, unknown>;
  /** The KV version read, for Secret.source. */
  readonly version: number | undefined;
}

/** Worth another attempt: the answer may differ once Vault is reachable, unsealed or less busy. */
class TransientVaultError extends Error {}

/** Held as Secrets so the log scrubber knows them too, should one ever slip into text. */
type Credentials = { kind: 'token'; token: Secret; origin: string } | { kind: 'approle'; roleId: string; secretId: Secret; origin: string };

export async function readVaultSecrets(vault: VaultConfig, options: VaultReadOptions = {}): Promise<VaultSecrets> {
  const base = new URL(vault.addr);
  // The schema checks this too; checked again here because this is where the token leaves.
  if (base.protocol === 'http:' && !vault.allowInsecureHttp && !isLoopbackHost(base.hostname)) {
    throw failure('secrets.vault.addr', `refusing http:// to non-loopback ${base.origin}; allowed: https://, or secrets.vault.allowInsecureHttp: true`);
  }
  const credentials = await loadCredentials(vault, options.env ?? {});
  const where = `${vault.mount}/${vault.path} at ${base.origin}`;
  const deadlineMs = Math.min(vault.startupDeadlineMs, options.deadlineMs ?? Number.POSITIVE_INFINITY);
  let lastFailure = 'no answer';

  const attempt = wrap(
    retry(handleWhen((e) => e instanceof TransientVaultError || e instanceof TaskCancelledError), {
      maxAttempts: Number.MAX_SAFE_INTEGER,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }),
    })
      // The deadline's own timer keeps the process alive while retrying; an unref'd backoff timer
      // just lets a process that has given up exit at once instead of sleeping out the last delay.
      .dangerouslyUnref(),
    timeout(vault.timeoutMs, TimeoutStrategy.Aggressive),
  );
  const send = (url: string, init: RequestInit, deadline: AbortSignal) =>
    attempt.execute(async ({ signal }) => {
      if (deadline.aborted) throw new TaskCancelledError();
      try {
        return await request(url, { ...init, signal });
      } catch (error) {
        lastFailure = error instanceof TransientVaultError ? error.message : `no answer within ${vault.timeoutMs} ms`;
        throw error;
      }
    }, deadline);

  try {
    return await timeout(deadlineMs, TimeoutStrategy.Aggressive).execute(async ({ signal }) => {
      const token = credentials.kind === 'token' ? credentials.token : await login(vault, credentials, send, signal);
      const response = await send(kvUrl(vault), { headers: headers(vault, token.reveal()) }, signal);
      return interpretRead(response, where, credentials.origin);
    });
  } catch (error) {
    // Only the deadline ends the retries; a transient error escaping here means the same thing.
    if (!(error instanceof TaskCancelledError || error instanceof TransientVaultError)) throw error;
    throw failure(
      'secrets.vault.addr',
      `Vault (VAULT_ADDR ${base.origin}) did not serve ${vault.mount}/${vault.path} within ${deadlineMs} ms (last attempt: ${lastFailure}); allowed: a reachable, unsealed Vault at secrets.vault.addr`,
    );
  }
}

function failure(path: string, message: string): ConfigError {
  return configErrorOf([problem('SECRET_SOURCE_FAILED', path, message)]);
}

/** Precedence: AppRole when configured, then secrets.vault.tokenFile, then VAULT_TOKEN. */
async function loadCredentials(vault: VaultConfig, env: NodeJS.ProcessEnv): Promise<Credentials> {
  if (vault.roleId !== undefined && vault.secretIdFile !== undefined) {
    const secretId = await readCredentialFile(vault.secretIdFile, 'secrets.vault.secretIdFile', 'AppRole secret ID');
    return { kind: 'approle', roleId: vault.roleId, secretId, origin: `the token from AppRole ${vault.roleId}` };
  }
  if (vault.tokenFile !== undefined) {
    return { kind: 'token', token: await readCredentialFile(vault.tokenFile, 'secrets.vault.tokenFile', 'token'), origin: `the token in ${vault.tokenFile}` };
  }
  const token = env.VAULT_TOKEN?.trim();
  if (token === undefined || token === '') {
    throw failure('secrets.vault', 'no Vault credentials; allowed: VAULT_TOKEN in the environment, secrets.vault.tokenFile, or secrets.vault.roleId with secrets.vault.secretIdFile');
  }
  checkHeaderSafe(token, 'secrets.vault', 'VAULT_TOKEN');
  return { kind: 'token', token: new Secret(token, 'env:VAULT_TOKEN'), origin: 'the token in VAULT_TOKEN' };
}

async function readCredentialFile(file: string, key: string, what: string): Promise<Secret> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw failure(key, `cannot read the Vault ${what} file ${file} (${errnoOf(error)}); allowed: a readable file holding the ${what}`);
  }
  if (text === '') throw failure(key, `the Vault ${what} file ${file} is empty; allowed: a file holding the ${what}`);
  checkHeaderSafe(text, key, file);
  return new Secret(text, `file:${file}`);
}

/** fetch would reject a bad header with a message that quotes it; say it here without the value. */
function checkHeaderSafe(value: string, key: string, origin: string): void {
  if (!/^[\x21-\x7e]+$/.test(value)) throw failure(key, `the credential in ${origin} has spaces or control characters; allowed: a single-line Vault token or secret ID`);
}

function headers(vault: VaultConfig, token?: string): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) h['x-vault-token'] = token;
  if (vault.namespace !== undefined) h['x-vault-namespace'] = vault.namespace;
  return h;
}

function kvUrl(vault: VaultConfig): string {
  const encode = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  return `${vault.addr.replace(/\/+$/, '')}/v1/${encode(vault.mount)}/data/${encode(vault.path)}`;
}

interface VaultResponse {
  readonly status: number;
  readonly body: unknown;
}

async function request(url: string, init: RequestInit): Promise<VaultResponse> {
  let response: Response;
  try {
    // No redirects: following one would send the token to wherever it points.
    response = await fetch(url, { ...init, redirect: 'manual' });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new TransientVaultError(`unreachable (${networkReason((error as { cause?: unknown }).cause)})`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 500 || response.status === 429) {
    throw new TransientVaultError(`HTTP ${response.status}${vaultErrors(body)}`);
  }
  return { status: response.status, body };
}

/** "ECONNREFUSED", or fetch's short reason ("bad port"); never a long text that might quote a request. */
function networkReason(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const message = cause instanceof Error ? cause.message : '';
  return /^[\w\s.:-]{1,60}$/.test(message) ? message : 'network error';
}

/** Vault's own error phrases ("Vault is sealed"), shortened; they never hold request values. */
function vaultErrors(body: unknown): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  return ` "${String(errors[0]).replace(/\s+/g, ' ').slice(0, 80)}"`;
}

type Send = (url: string, init: RequestInit, deadline: AbortSignal) => Promise<VaultResponse>;

async function login(vault: VaultConfig, credentials: Extract<Credentials, { kind: 'approle' }>, send: Send, deadline: AbortSignal): Promise<Secret> {
  const url = `${vault.addr.replace(/\/+$/, '')}/v1/auth/approle/login`;
  const body = JSON.stringify({ role_id: credentials.roleId, secret_id: credentials.secretId.reveal() });
  const response = await send(url, { method: 'POST', headers: { ...headers(vault), 'content-type': 'application/json' }, body }, deadline);
  const token = (response.body as { auth?: { client_token?: unknown } } | undefined)?.auth?.client_token;
  if (response.status === 200 && typeof token === 'string' && /^[\x21-\x7e]+$/.test(token)) return new Secret(token, 'vault:approle');
  const reason = response.status === 400 ? 'invalid role or secret ID' : `HTTP ${response.status}${vaultErrors(response.body)}`;
  throw failure('secrets.vault.roleId', `AppRole login to ${new URL(vault.addr).origin} refused (${reason}); allowed: the role ID and secret ID of an AppRole that may read ${vault.mount}/${vault.path}`);
}

function interpretRead(response: VaultResponse, where: string, origin: string): VaultSecrets {
  const data = (response.body as { data?: { data?: unknown; metadata?: { version?: unknown; deletion_time?: unknown; destroyed?: unknown } } } | undefined)?.data;
  if (response.status === 200 && data?.data !== null && typeof data?.data === 'object' && !Array.isArray(data.data)) {
    const version = typeof data.metadata?.version === 'number' ? data.metadata.version : undefined;
    return { values: new Map(Object.entries(data.data as Record<string, unknown>)), version };
  }
  if (response.status === 200) {
    throw failure('secrets.vault.mount', `Vault's answer for ${where} is not a KV version 2 secret; allowed: a mount of a KV v2 engine`);
  }
  if (response.status === 404) {
    const deleted = typeof data?.metadata?.deletion_time === 'string' && data.metadata.deletion_time !== '';
    const what = deleted || data?.metadata?.destroyed === true ? 'its latest version is deleted' : 'no secret there';
    throw failure('secrets.vault.path', `not found: Vault has ${what} (404 for ${where}); allowed: the path of an existing KV v2 secret`);
  }
  if (response.status === 403) {
    throw failure('secrets.vault.path', `permission denied (403 for ${where}): ${origin} is invalid, expired, or its policy does not allow read; allowed: a token whose policy reads this path`);
  }
  throw failure('secrets.vault.path', `Vault answered HTTP ${response.status}${vaultErrors(response.body)} for ${where}`);
}
