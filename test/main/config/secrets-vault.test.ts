import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { loadConfig } from '../../../src/main/config/load.js';
import { configSchema, type VaultConfig } from '../../../src/main/config/schema.js';
import { readVaultSecrets } from '../../../src/main/config/secrets-vault.js';
import { TEST_SECRETS } from '../../kit/secrets.js';
import { closedLoopbackPort, FakeVault } from '../../kit/vault-server.js';
import { expectNoSecrets, LOCAL_SECRETS, TempDir } from './fixtures.js';

const tmp = new TempDir();
let vault: FakeVault;
const tokenEnv = { VAULT_TOKEN: TEST_SECRETS.vaultToken };

beforeAll(async () => {
  vault = await FakeVault.start({
    tokens: [TEST_SECRETS.vaultToken],
    mounts: {
      secret: {
        'osprey/prod': { data: { hyperliquid_private_key: TEST_SECRETS.hyperliquidPrivateKey, rpc_token: TEST_SECRETS.rpcToken, lot: 3 }, version: 3 },
        'osprey/old': { data: {}, deleted: true },
        'osprey/locked': { data: { rpc_token: TEST_SECRETS.rpcToken } },
      },
    },
    deniedPaths: ['secret/osprey/locked'],
    approle: { roleId: 'osprey-role', secretId: LOCAL_SECRETS.approleSecretId, clientToken: LOCAL_SECRETS.approleClientToken },
  });
});
afterEach(() => {
  vault.sealedFor = 0;
  vault.rateLimitedFor = 0;
  vault.requests.length = 0;
});
afterAll(async () => {
  await vault.close();
  tmp.cleanup();
});

/** A vault section as the schema would produce it, with short timings so failures are quick. */
function settings(overrides: Record<string, unknown> = {}): VaultConfig {
  return configSchema.shape.secrets.parse({ vault: { addr: vault.addr, path: 'osprey/prod', timeoutMs: 500, startupDeadlineMs: 3000, ...overrides } }).vault as VaultConfig;
}

async function vaultError(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).code).toBe('SECRET_SOURCE_FAILED');
  expectNoSecrets((error as ConfigError).message);
  return error as ConfigError;
}

describe('Vault KV v2', () => {
  it('reads data.data with a static token from VAULT_TOKEN, sending it only as X-Vault-Token', async () => {
    const read = await readVaultSecrets(settings(), { env: tokenEnv });
    expect(read.version).toBe(3);
    expect(read.values.get('rpc_token') === TEST_SECRETS.rpcToken).toBe(true);
    expect(vault.requests).toEqual([{ method: 'GET', path: '/v1/secret/data/osprey/prod', hadToken: true, namespace: undefined, status: 200 }]);
  });

  it('reads the token from tokenFile, and sends the namespace header when configured', async () => {
    const tokenFile = tmp.write('vault-token', `${TEST_SECRETS.vaultToken}\n`);
    await readVaultSecrets(settings({ tokenFile, namespace: 'team-a' }), { env: {} });
    expect(vault.requests[0]).toMatchObject({ hadToken: true, namespace: 'team-a', status: 200 });
  });

  it('logs in with AppRole, then reads with the client token', async () => {
    const secretIdFile = tmp.write('secret-id', LOCAL_SECRETS.approleSecretId);
    const read = await readVaultSecrets(settings({ roleId: 'osprey-role', secretIdFile }), { env: {} });
    expect(read.values.has('hyperliquid_private_key')).toBe(true);
    expect(vault.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /v1/auth/approle/login 200', 'GET /v1/secret/data/osprey/prod 200']);
  });

  it('reports a refused AppRole login', async () => {
    const secretIdFile = tmp.write('wrong-secret-id', LOCAL_SECRETS.wrongVaultToken);
    const error = await vaultError(readVaultSecrets(settings({ roleId: 'osprey-role', secretIdFile }), { env: {} }));
    expect(error.problems[0]).toMatchObject({ path: 'secrets.vault.roleId', message: expect.stringMatching(/AppRole login .* refused \(invalid role or secret ID\)/) });
  });

  it('turns 403 into "permission denied" at once, for a bad token and for a denied path', async () => {
    const badToken = await vaultError(readVaultSecrets(settings(), { env: { VAULT_TOKEN: LOCAL_SECRETS.wrongVaultToken } }));
    expect(badToken.problems[0]).toMatchObject({ path: 'secrets.vault.path', message: expect.stringMatching(/^permission denied \(403 for secret\/osprey\/prod at http:\/\/127\.0\.0\.1:\d+\): the token in VAULT_TOKEN/) });
    const denied = await vaultError(readVaultSecrets(settings({ path: 'osprey/locked' }), { env: tokenEnv }));
    expect(denied.problems[0]?.message).toMatch(/^permission denied \(403 for secret\/osprey\/locked/);
    expect(vault.requests).toHaveLength(2);
  });

  it('turns 404 into "not found" at once, and tells a deleted version apart', async () => {
    const missing = await vaultError(readVaultSecrets(settings({ path: 'osprey/nothing' }), { env: tokenEnv }));
    expect(missing.problems[0]).toMatchObject({ path: 'secrets.vault.path', message: expect.stringMatching(/^not found: Vault has no secret there \(404 for secret\/osprey\/nothing/) });
    const deleted = await vaultError(readVaultSecrets(settings({ path: 'osprey/old' }), { env: tokenEnv }));
    expect(deleted.problems[0]?.message).toMatch(/its latest version is deleted/);
    expect(vault.requests).toHaveLength(2);
  });

  it('retries while sealed (503) or rate limited (429), then reads', async () => {
    vault.sealedFor = 2;
    vault.rateLimitedFor = 1;
    const read = await readVaultSecrets(settings(), { env: tokenEnv });
    expect(read.values.size).toBe(3);
    expect(vault.requests.map((r) => r.status)).toEqual([503, 503, 429, 200]);
  });

  it('gives up at the start-up deadline, naming VAULT_ADDR, the path and the last failure', async () => {
    vault.sealedFor = Number.POSITIVE_INFINITY;
    const started = Date.now();
    const error = await vaultError(readVaultSecrets(settings({ startupDeadlineMs: 5000 }), { env: tokenEnv, deadlineMs: 700 }));
    expect(Date.now() - started).toBeLessThan(2500);
    expect(vault.requests.length).toBeGreaterThan(1);
    expect(error.problems[0]).toMatchObject({
      path: 'secrets.vault.addr',
      message: expect.stringMatching(/^Vault \(VAULT_ADDR http:\/\/127\.0\.0\.1:\d+\) did not serve secret\/osprey\/prod within 700 ms \(last attempt: HTTP 503 "Vault is sealed"\)/),
    });
  });

  it('gives up on an unreachable address (closed loopback port)', async () => {
    const port = await closedLoopbackPort();
    const error = await vaultError(readVaultSecrets(settings({ addr: `http://127.0.0.1:${port}`, startupDeadlineMs: 600 }), { env: tokenEnv }));
    expect(error.problems[0]?.message).toMatch(new RegExp(`VAULT_ADDR http://127.0.0.1:${port}\\) did not serve .* \\(last attempt: unreachable \\(ECONNREFUSED\\)\\)`));
  });

  it('refuses http:// to a non-loopback host before sending anything, and asks for credentials', async () => {
    const insecure = { ...settings(), addr: 'http://192.0.2.10:8200' };
    const error = await vaultError(readVaultSecrets(insecure, { env: tokenEnv }));
    expect(error.problems[0]).toMatchObject({ path: 'secrets.vault.addr', message: expect.stringMatching(/refusing http:\/\//) });
    const none = await vaultError(readVaultSecrets(settings(), { env: {} }));
    expect(none.problems[0]).toMatchObject({ path: 'secrets.vault', message: expect.stringMatching(/no Vault credentials; allowed: VAULT_TOKEN/) });
    expect(vault.requests).toHaveLength(0);
  });
});

describe('Vault secrets through loadConfig', () => {
  it('resolves secret fields from Vault and refuses a value that is not text', async () => {
    const file = tmp.write(
      'vault.yaml',
      [`secrets: { vault: { addr: "${vault.addr}", path: osprey/prod } }`, 'rpc: { token: "secret:rpc_token", readOnlyTokens: ["secret:lot"] }'].join('\n'),
    );
    const error: unknown = await loadConfig({ file, env: tokenEnv }).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([{ code: 'SECRET_MISSING', path: 'rpc.readOnlyTokens.0', message: 'secret "lot" in vault:secret/osprey/prod@v3 is a number, not text; allowed: a text value' }]);

    const good = tmp.write('vault-good.yaml', [`secrets: { vault: { addr: "${vault.addr}", path: osprey/prod } }`, 'rpc: { token: "secret:rpc_token" }'].join('\n'));
    const config = await loadConfig({ file: good, env: tokenEnv });
    expect(config.rpc.token?.source).toBe('vault:secret/osprey/prod@v3#rpc_token');
    expect(config.rpc.token?.reveal() === TEST_SECRETS.rpcToken).toBe(true);
  });
});
