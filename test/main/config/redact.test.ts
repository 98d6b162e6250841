import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config/load.js';
import { redactedConfig } from '../../../src/main/config/redact.js';
import type { OspreyConfig } from '../../../src/main/config/schema.js';
import { TEST_SECRETS } from '../../kit/secrets.js';
import { encryptAge, expectNoSecrets, identityFileText, newAgeKey, secretsYaml, TempDir } from './fixtures.js';

const tmp = new TempDir();
let config: OspreyConfig;

beforeAll(async () => {
  const key = await newAgeKey();
  const identityFile = tmp.write('identity.txt', identityFileText(key));
  const ageFile = tmp.write('secrets.age', await encryptAge(key.recipient, secretsYaml()));
  const file = tmp.write(
    'config.yaml',
    [
      `secrets: { ageFile: ${ageFile}, ageIdentityFile: ${identityFile} }`,
      'rpc: { token: "secret:rpc_token", readOnlyTokens: ["secret:binance_api_secret"] }',
      'venues: { hyperliquid: { privateKey: "secret:hyperliquid_private_key" } }',
      // An operator pasting a known secret into free-form params: scrubbed too.
      `strategies: [{ id: leaky, name: sma-cross, instrument: sim:BTC-PERP, params: { note: "key ${TEST_SECRETS.rpcToken}" } }]`,
    ].join('\n'),
  );
  config = await loadConfig({ file, env: {} });
});
afterAll(() => tmp.cleanup());

describe('redactedConfig', () => {
  it('shows every secret as [REDACTED], in fields, lists and free text', () => {
    const redacted = redactedConfig(config);
    expect(redacted.rpc.token).toBe('[REDACTED]');
    expect(redacted.rpc.readOnlyTokens).toEqual(['[REDACTED]']);
    expect(redacted.venues.hyperliquid.privateKey).toBe('[REDACTED]');
    expect(redacted.strategies[0]?.params.note).toBe('key [REDACTED]');
    expectNoSecrets(JSON.stringify(redacted));
    expectNoSecrets(inspect(redacted, { depth: null }));
  });

  it('is plain JSON that round-trips, apart from the frozen original', () => {
    const redacted = redactedConfig(config);
    expect(JSON.parse(JSON.stringify(redacted))).toEqual(redacted);
    expect(Object.isFrozen(redacted)).toBe(false);
    redacted.rpc.port = 1;
    expect(config.rpc.port).toBe(7400);
    expect(config.rpc.token?.reveal() === TEST_SECRETS.rpcToken).toBe(true);
  });

  it('keeps every non-secret value as it was', () => {
    const redacted = redactedConfig(config);
    expect(redacted.risk).toEqual(config.risk);
    expect(redacted.sim).toEqual(config.sim);
    expect(redacted.secrets).toEqual(config.secrets);
  });
});
