import secrets from './secrets.json' with { type: 'json' };

/**
 * The secret values every test uses (test/kit/secrets.json, also read by scripts/test.mjs). They are
 * distinctive so a leak is found by grep: `npm test` scans everything the suite printed, every child's
 * output and every error text the tests recorded, and fails when one of these appears.
 */
export const TEST_SECRETS = {
  hyperliquidPrivateKey: secrets.testFixtureHyperliquidPrivateKey,
  rpcToken: secrets.rpcToken,
  vaultToken: secrets.vaultToken,
  binanceApiSecret: secrets.binanceApiSecret,
} as const;

export const TEST_SECRET_VALUES: readonly string[] = Object.values(TEST_SECRETS);

/** Names each test secret found in `text`, for an assertion message that does not print the value. */
export function leakedSecrets(text: string): string[] {
  return Object.entries(TEST_SECRETS)
    .filter(([, value]) => text.includes(value) || text.includes(value.replace(/^0x/, '')))
    .map(([name]) => name);
}
