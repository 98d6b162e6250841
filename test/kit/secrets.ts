/**
 * The secret values every test uses. They are distinctive so a leak is found by grep: the suite's
 * global teardown scans every captured log line, child output and error text for them.
 */
export const TEST_SECRETS = {
  hyperliquidPrivateKey: '0x' + '7e57'.repeat(16),
  rpcToken: 'osprey-test-secret-rpc-token-5f1c9a',
  vaultToken: 'osprey-test-secret-vault-token-b8e2d4',
  binanceApiSecret: 'osprey-test-secret-binance-api-9c3e71',
} as const;

export const TEST_SECRET_VALUES: readonly string[] = Object.values(TEST_SECRETS);

/** Names each test secret found in `text`, for an assertion message that does not print the value. */
export function leakedSecrets(text: string): string[] {
  return Object.entries(TEST_SECRETS)
    .filter(([, value]) => text.includes(value) || text.includes(value.replace(/^0x/, '')))
    .map(([name]) => name);
}
