import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Logging } from '../../../src/main/audit/logger.js';
import { Secret } from '../../../src/main/config/secret.js';
import { leakedSecrets, TEST_SECRETS } from '../../kit/secrets.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe('Logging', () => {
  it('writes JSON lines with the component and honours per-component levels', () => {
    const { lines, destination } = capture();
    const logging = new Logging({ level: 'info', components: { state: 'debug', exchange: 'warn' }, stdout: false, destination });
    logging.forComponent('state').debug('loaded');
    logging.forComponent('exchange').info('hidden');
    logging.forComponent('exchange').warn('shown');
    logging.forComponent('bus').debug('hidden too');
    const parsed = lines.map((l) => JSON.parse(l) as { component: string; msg: string; level: number });
    expect(parsed.map((p) => `${p.component}:${p.msg}`)).toEqual(['state:loaded', 'exchange:shown']);
  });

  it('never writes a secret: Secret objects, secret-named keys, and secret text inside messages and errors', () => {
    const { lines, destination } = capture();
    const logging = new Logging({ level: 'trace', stdout: false, destination });
    const key = new Secret(TEST_SECRETS.hyperliquidPrivateKey, 'age:test#hl');
    const token = new Secret(TEST_SECRETS.rpcToken, 'vault:secret/osprey#rpc');
    const log = logging.forComponent('config');
    log.info({ venue: { privateKey: key, walletAddress: '0xabc' } }, 'venue configured');
    log.info({ token: TEST_SECRETS.rpcToken, headers: { authorization: `Bearer ${TEST_SECRETS.rpcToken}` } }, 'raw values under secret keys');
    log.warn(`someone interpolated ${token.reveal()} into a message`);
    log.error({ err: new Error(`failed with key ${key.reveal()}`) }, 'error with secret text');
    log.info({ nested: { list: [`x${TEST_SECRETS.rpcToken}y`] } }, 'deep value');
    expect(lines).toHaveLength(5);
    const all = lines.join('\n');
    expect(leakedSecrets(all)).toEqual([]);
    expect(all).toContain('[REDACTED]');
    expect(all).toContain('0xabc'); // non-secrets stay
    expect(`${key}`).toBe('[REDACTED]');
    expect(JSON.stringify({ key })).toBe('{"key":"[REDACTED]"}');
  });
});
