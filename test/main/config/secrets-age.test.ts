import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { loadConfig } from '../../../src/main/config/load.js';
import { isSecret } from '../../../src/main/config/secret.js';
import { readAgeSecrets } from '../../../src/main/config/secrets-age.js';
import { TEST_SECRETS } from '../../kit/secrets.js';
import { type AgeKey, encryptAge, expectNoSecrets, identityFileText, LOCAL_SECRETS, newAgeKey, secretsYaml, TempDir } from './fixtures.js';

const tmp = new TempDir();
let key: AgeKey;
let identityFile: string;
let secretsFile: string;

beforeAll(async () => {
  key = await newAgeKey();
  identityFile = tmp.write('identity.txt', identityFileText(key));
  secretsFile = tmp.write('secrets.age', await encryptAge(key.recipient, secretsYaml()));
});
afterAll(() => tmp.cleanup());

async function sourceError(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.code).toBe('SECRET_SOURCE_FAILED');
  expectNoSecrets(configError.message, { identity: key.identity });
  return configError;
}

describe('age-encrypted secrets', () => {
  it('decrypts a file written by the age library, with an identity file as age-keygen writes it', async () => {
    const secrets = await readAgeSecrets({ file: secretsFile, identityFile });
    expect([...secrets.keys()]).toEqual(['hyperliquid_private_key', 'rpc_token', 'binance_api_secret']);
    // Unquoted 0x7e57... stays the exact text, not a number.
    expect(secrets.get('hyperliquid_private_key') === TEST_SECRETS.hyperliquidPrivateKey).toBe(true);
  });

  it('reads ASCII-armored files and JSON plaintext', async () => {
    const armored = tmp.write('armored.age', await encryptAge(key.recipient, JSON.stringify({ token: LOCAL_SECRETS.ageOnly }), true));
    expect(readFileSync(armored, 'utf8')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    const secrets = await readAgeSecrets({ file: armored, identityFile });
    expect(secrets.get('token') === LOCAL_SECRETS.ageOnly).toBe(true);
  });

  it('takes the identity from OSPREY_AGE_IDENTITY or OSPREY_AGE_IDENTITY_FILE before the config', async () => {
    const wrongFile = tmp.write('wrong-identity.txt', identityFileText(await newAgeKey()));
    expect((await readAgeSecrets({ file: secretsFile, identityFile: wrongFile, env: { OSPREY_AGE_IDENTITY: key.identity } })).size).toBe(3);
    expect((await readAgeSecrets({ file: secretsFile, identityFile: wrongFile, env: { OSPREY_AGE_IDENTITY_FILE: identityFile } })).size).toBe(3);
  });

  it('says "wrong key" for an identity the file was not encrypted to', async () => {
    const other = tmp.write('other-identity.txt', identityFileText(await newAgeKey()));
    const error = await sourceError(readAgeSecrets({ file: secretsFile, identityFile: other }));
    expect(error.problems).toEqual([{ code: 'SECRET_SOURCE_FAILED', path: 'secrets.ageFile', message: expect.stringMatching(/cannot decrypt .*secrets\.age \(wrong key/) }]);
  });

  it('says "corrupt" for a damaged file, and names an unreadable one', async () => {
    const bytes = Buffer.from(readFileSync(secretsFile));
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
    const corrupt = await sourceError(readAgeSecrets({ file: tmp.write('corrupt.age', bytes), identityFile }));
    expect(corrupt.problems[0]?.message).toMatch(/corrupt\.age is corrupt or not an age-encrypted file/);
    const missing = await sourceError(readAgeSecrets({ file: tmp.path('absent.age'), identityFile }));
    expect(missing.problems[0]).toMatchObject({ path: 'secrets.ageFile', message: expect.stringMatching(/cannot read .*absent\.age \(ENOENT\)/) });
  });

  it('refuses plaintext that is not a flat mapping, without quoting it', async () => {
    const list = tmp.write('list.age', await encryptAge(key.recipient, `- ${TEST_SECRETS.rpcToken}\n`));
    expect((await sourceError(readAgeSecrets({ file: list, identityFile }))).problems[0]?.message).toMatch(/is not a mapping/);
    const nested = tmp.write('nested.age', await encryptAge(key.recipient, `outer:\n  inner: ${TEST_SECRETS.rpcToken}\n`));
    expect((await sourceError(readAgeSecrets({ file: nested, identityFile }))).problems[0]?.message).toMatch(/"outer" in .* holds a nested mapping/);
  });

  it('reports a missing identity and a missing file together', async () => {
    const both = await sourceError(readAgeSecrets({ file: tmp.path('absent.age') }));
    expect(both.problems.map((p) => p.path)).toEqual(['secrets.ageIdentityFile', 'secrets.ageFile']);
  });

  it('refuses a missing or malformed identity without echoing it', async () => {
    const none = await sourceError(readAgeSecrets({ file: secretsFile }));
    expect(none.problems[0]).toMatchObject({ path: 'secrets.ageIdentityFile', message: expect.stringMatching(/OSPREY_AGE_IDENTITY/) });
    const bad = await sourceError(readAgeSecrets({ file: secretsFile, env: { OSPREY_AGE_IDENTITY: LOCAL_SECRETS.ageOnly } }));
    expect(bad.problems[0]?.message).toMatch(/key 1 of the age identity from OSPREY_AGE_IDENTITY is not a valid X25519 identity/);
    expectNoSecrets(bad.message);
  });
});

describe('age secrets through loadConfig', () => {
  it('puts a Secret into each secret field, labelled with its source', async () => {
    const file = tmp.write(
      'with-age.yaml',
      [`secrets: { ageFile: ${secretsFile}, ageIdentityFile: ${identityFile} }`, 'rpc: { token: "secret:rpc_token" }', 'venues:', '  hyperliquid: { privateKey: secret:hyperliquid_private_key }'].join('\n'),
    );
    const config = await loadConfig({ file, env: {} });
    const pk = config.venues.hyperliquid.privateKey;
    expect(isSecret(pk)).toBe(true);
    expect(pk?.reveal() === TEST_SECRETS.hyperliquidPrivateKey).toBe(true);
    expect(pk?.source).toBe('age:secrets.age#hyperliquid_private_key');
    expect(config.rpc.token?.source).toBe('age:secrets.age#rpc_token');
    expectNoSecrets(JSON.stringify(config));
  });

  it('names the field and the available names when a secret is missing', async () => {
    const file = tmp.write('missing-name.yaml', [`secrets: { ageFile: ${secretsFile}, ageIdentityFile: ${identityFile} }`, 'venues:', '  binance: { apiKey: secret:binance_api_key }'].join('\n'));
    const error: unknown = await loadConfig({ file, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('SECRET_MISSING');
    expect((error as ConfigError).problems).toEqual([
      {
        code: 'SECRET_MISSING',
        path: 'venues.binance.apiKey',
        message: 'secret "binance_api_key" is not in age:secrets.age; names available: hyperliquid_private_key, rpc_token, binance_api_secret',
      },
    ]);
  });
});

const ageCli = spawnSync('age', ['--version']).status === 0 && spawnSync('age-keygen', ['--help']).error === undefined;
const skipReason = ageCli ? '' : ' [SKIPPED: the age binary is not installed; apt-get install -y age]';

describe.skipIf(!ageCli)(`interop with the age command-line tool${skipReason}`, () => {
  const run = (cmd: string, args: string[]) => {
    const result = spawnSync(cmd, args, { encoding: 'utf8' });
    expect({ cmd, status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ cmd, status: 0, stderr: '' });
    return result;
  };

  it('decrypts what `age -r` encrypted to a key from `age-keygen`, binary and armored', async () => {
    const cliIdentity = tmp.path('cli-identity.txt');
    run('age-keygen', ['-o', cliIdentity]);
    const recipient = /# public key: (age1\w+)/.exec(readFileSync(cliIdentity, 'utf8'))?.[1] ?? '';
    const plain = tmp.write('cli-plain.yaml', secretsYaml());
    run('age', ['-r', recipient, '-o', tmp.path('cli.age'), plain]);
    run('age', ['-a', '-r', recipient, '-o', tmp.path('cli-armored.age'), plain]);
    for (const file of ['cli.age', 'cli-armored.age']) {
      const secrets = await readAgeSecrets({ file: tmp.path(file), identityFile: cliIdentity });
      expect(secrets.get('rpc_token') === TEST_SECRETS.rpcToken).toBe(true);
    }
  });

  it('writes files the CLI decrypts, and decrypts CLI files for a library-made key', async () => {
    expect(run('age', ['-d', '-i', identityFile, secretsFile]).stdout === secretsYaml()).toBe(true);
    const plain = tmp.write('cli-plain-2.yaml', 'token: ' + LOCAL_SECRETS.ageOnly + '\n');
    run('age', ['-r', key.recipient, '-o', tmp.path('cli-to-lib.age'), plain]);
    expect((await readAgeSecrets({ file: tmp.path('cli-to-lib.age'), identityFile })).get('token') === LOCAL_SECRETS.ageOnly).toBe(true);
  });
});

if (!ageCli) process.stderr.write(`secrets-age.test.ts:${skipReason}\n`);
