import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ERROR_CODES, InvariantError, OspreyError, VenueError, policyOf } from '../../src/core/errors.js';

describe('error codes', () => {
  it('every code is documented in docs/errors.md with its policy', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, { policy }] of Object.entries(ERROR_CODES)) {
      expect(doc, `docs/errors.md lacks ${code}`).toMatch(new RegExp(`\\| \`${code}\` \\| ${policy} \\|`));
    }
  });

  it('the class carries the policy; unknown errors count as broken invariants', () => {
    expect(new VenueError('TIMEOUT', 'no answer').policy).toBe('retry');
    expect(new VenueError('RATE_LIMITED', '429').policy).toBe('backoff');
    expect(new InvariantError('x').policy).toBe('fatal');
    expect(policyOf(new Error('plain'))).toBe('fatal');
    expect(policyOf(new VenueError('ORDER_REJECTED', 'min notional'))).toBe('reject');
  });

  it('a config error lists every problem with its key path', () => {
    const e = new ConfigError([{ path: 'rpc.port', message: 'expected a number' }, { path: 'risk.maxDrawdownPct', message: 'must be <= 100' }]);
    expect(e).toBeInstanceOf(OspreyError);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toBe('CONFIG_INVALID: rpc.port: expected a number; risk.maxDrawdownPct: must be <= 100');
  });
});
