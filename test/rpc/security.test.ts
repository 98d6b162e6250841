import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/main/config/secret.js';
import { TokenAuthority } from '../../src/rpc/auth.js';
import { RPC_ERRORS } from '../../src/rpc/errors.js';
import { RpcServer } from '../../src/rpc/server.js';
import { ensureTokenFile } from '../../src/rpc/token-file.js';
import { captureText } from '../kit/capture-output.js';
import { leakedSecrets, TEST_SECRETS } from '../kit/secrets.js';
import { FULL_TOKEN, READ_TOKEN, req, RpcSocket, startHarness, TRANSPORTS, type Harness } from './kit.js';

/**
 * The control socket lets in only its operator: no token, a wrong token, a token of another length, a
 * read-only token calling a mutating method, a peer beyond this machine, a non-loopback bind, all
 * refused, and every refusal is the same fixed bytes, revealing nothing about the engine.
 */

const UNAUTHORIZED_BODY = JSON.stringify({ jsonrpc: '2.0', id: null, error: RPC_ERRORS.UNAUTHORIZED });
const BAD_HEADERS = {
  none: null,
  wrong: FULL_TOKEN.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
  shorter: FULL_TOKEN.slice(0, -1),
  longer: `${FULL_TOKEN}x`,
  huge: 'x'.repeat(4000),
  empty: '',
} as const;

const harnesses: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const transport of TRANSPORTS) {
  describe(`${transport}: authentication`, () => {
    it('refuses HTTP requests without the right token with fixed bytes, and counts them', async () => {
      const h = await startHarness(transport);
      harnesses.push(h);
      for (const [name, token] of Object.entries(BAD_HEADERS)) {
        const reply = await h.http(req('engine.status'), { token });
        expect([name, reply.status, reply.text]).toEqual([name, 401, UNAUTHORIZED_BODY]);
        expect(reply.headers.get('www-authenticate')).toBe('Bearer');
      }
      const basic = await fetch(h.url.http, { method: 'POST', headers: { authorization: `Basic ${FULL_TOKEN}` }, body: '{}' });
      expect(basic.status).toBe(401);
      expect(h.server.core.stats.refusals.unauthorized).toBe(Object.keys(BAD_HEADERS).length + 1);
      expect(h.facade.latency.stages()).toEqual([]); // refused before any JSON-RPC work was done
    });

    it('refuses WebSocket upgrades without the right token, before any frame', async () => {
      const h = await startHarness(transport);
      harnesses.push(h);
      for (const token of [null, BAD_HEADERS.wrong, BAD_HEADERS.shorter, BAD_HEADERS.huge]) {
        const refused = await RpcSocket.connect(h.url.ws, token).then(
          () => undefined,
          (error: { status?: number; body?: string }) => error,
        );
        expect(refused).toMatchObject({ status: 401, body: UNAUTHORIZED_BODY });
      }
      expect(h.server.core.stats.openConnections).toBe(0);
    });

    it('lets a read-only token read and subscribe, never change anything', async () => {
      const h = await startHarness(transport);
      harnesses.push(h);
      const reader = await h.ws(READ_TOKEN);
      expect((await reader.call('engine.status')).result).toMatchObject({ state: 'running' });
      expect((await reader.call('subscribe', { topics: ['risk.state'] })).result).toEqual({ topics: ['risk.state'] });
      for (const [method, params] of [['engine.pause', {}], ['risk.limits.set', { account: 'sim', limits: { maxLeverage: 1 } }], ['risk.state.set', { state: 'HALTED' }], ['engine.shutdown', {}], ['strategies.params.set', { id: 'sma-btc', params: { fast: 1 } }]] as const) {
        expect((await reader.call(method, params)).error).toEqual(RPC_ERRORS.FORBIDDEN);
      }
      const overHttp = await h.http([req('engine.pause', undefined, 1), req('health.get', undefined, 2)], { token: READ_TOKEN });
      expect((overHttp.json as { error?: unknown }[]).map((r) => r.error)).toEqual([RPC_ERRORS.FORBIDDEN, undefined]);
      expect(h.facade.controls.paused).toBe(false);
      expect(h.facade.controls.tradingState).toBe('ACTIVE');
      expect(h.facade.controls.riskLimits().sim?.maxLeverage).toBe(5);
      expect(h.shutdownRequests).toEqual([]);
      expect(h.server.core.stats.refusals.forbidden).toBe(6);
    });

    it('serves /metrics to any valid token only, and /health as a bare status word without one', async () => {
      const h = await startHarness(transport);
      harnesses.push(h);
      expect((await h.http(undefined, { method: 'GET', path: '/metrics', token: null })).status).toBe(401);
      const metrics = await h.http(undefined, { method: 'GET', path: '/metrics', token: READ_TOKEN });
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const bare = await h.http(undefined, { method: 'GET', path: '/health', token: null });
      expect(bare.json).toEqual({ status: expect.stringMatching(/^(ok|degraded)$/) });
      const full = await h.http(undefined, { method: 'GET', path: '/health', token: READ_TOKEN });
      expect(full.json).toMatchObject({ components: expect.any(Array), eventLoop: expect.any(Object) });
      expect((await h.http(undefined, { method: 'GET', path: '/nowhere' })).status).toBe(404);
    });

    it('never puts a secret value in a reply, not even one the caller sent', async () => {
      const secret = new Secret(TEST_SECRETS.rpcToken, 'test:rpc_token');
      const h = await startHarness(transport, {}, { configure: (c) => ({ ...c, rpc: { ...c.rpc, token: secret } }) });
      harnesses.push(h);
      const config = await h.http(req('config.get', { path: 'rpc' }));
      expect((config.json as { result: { token: string } }).result.token).toBe('[REDACTED]');
      const echoed = await h.http(req('risk.limits.get', { account: TEST_SECRETS.rpcToken.slice(0, 40) }));
      captureText('rpc replies', config.text + echoed.text);
      expect(leakedSecrets(config.text + echoed.text)).toEqual([]);
      expect(echoed.text).toContain('[REDACTED]');
    });
  });
}

describe('where the server listens and who may reach it', () => {
  it('refuses to bind beyond loopback unless allowed, with a message that says what to do', async () => {
    const h = await startHarness('uws');
    harnesses.push(h);
    const options = { host: '0.0.0.0', port: 0, maxConnections: 4, maxFrameBytes: 4096, maxBatch: 10, requestsPerSecond: 10, maxBufferedBytes: 65536, allowNonLoopback: false };
    await expect(RpcServer.start(h.facade, new TokenAuthority(FULL_TOKEN), options)).rejects.toThrow(/refusing to listen on 0\.0\.0\.0.*TLS.*allowNonLoopback/);
    await expect(RpcServer.start(h.facade, new TokenAuthority(FULL_TOKEN), { ...options, host: '192.0.2.10' })).rejects.toThrow(/refusing to listen/);
  });

  it('fails to start, saying so, when the port is taken (never sharing it with another engine)', async () => {
    const h = await startHarness('uws');
    harnesses.push(h);
    const taken = { host: '127.0.0.1', port: h.server.port, maxConnections: 4, maxFrameBytes: 4096, maxBatch: 10, requestsPerSecond: 10, maxBufferedBytes: 65536, allowNonLoopback: false };
    for (const transport of TRANSPORTS) {
      await expect(RpcServer.start(h.facade, new TokenAuthority(FULL_TOKEN), { ...taken, transport })).rejects.toThrow(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${h.server.port}`));
    }
    expect((await h.http(req('engine.status'))).status).toBe(200);
  });

  it('refuses a peer that is not on this machine with fixed bytes, token or not', async () => {
    const h = await startHarness('uws');
    harnesses.push(h);
    const core = h.server.core;
    for (const address of ['10.1.2.3', '192.0.2.7', '2001:db8::1', '::ffff:10.0.0.1', 'not-an-address']) {
      const refusal = core.admit(`Bearer ${FULL_TOKEN}`, address);
      expect(refusal).toMatchObject({ status: '403 Forbidden', body: JSON.stringify({ jsonrpc: '2.0', id: null, error: RPC_ERRORS.NOT_LOOPBACK }) });
      expect(core.health(undefined, address).status).toBe('403 Forbidden');
    }
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) expect(core.admit(`Bearer ${FULL_TOKEN}`, address)).toBe('full');
    expect(core.stats.refusals.not_loopback).toBe(10);
  });
});

describe('tokens', () => {
  it('compares any length of candidate without throwing, and tells roles apart', () => {
    const authority = new TokenAuthority(FULL_TOKEN, [READ_TOKEN]);
    expect(authority.roleOf(`Bearer ${FULL_TOKEN}`)).toBe('full');
    expect(authority.roleOf(`bearer   ${READ_TOKEN}`)).toBe('read');
    for (const candidate of ['', 'a', FULL_TOKEN.slice(1), `${FULL_TOKEN}${FULL_TOKEN}`, 'é'.repeat(300)]) expect(authority.roleOf(`Bearer ${candidate}`)).toBeUndefined();
    expect(authority.roleOf(undefined)).toBeUndefined();
    expect(authority.roleOf(FULL_TOKEN)).toBeUndefined(); // no scheme
  });

  it('creates <dataDir>/rpc.token with mode 0600 once, then reuses it; tightens a loose one; refuses a symlink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-token-'));
    dirs.push(dir);
    const first = await ensureTokenFile(join(dir, 'var'));
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const again = await ensureTokenFile(join(dir, 'var'));
    expect([again.created, again.token === first.token]).toEqual([false, true]);
    chmodSync(first.path, 0o644);
    expect((await ensureTokenFile(join(dir, 'var'))).tightenedFrom).toBe('0644');
    expect(statSync(first.path).mode & 0o777).toBe(0o600);

    const planted = join(dir, 'planted');
    writeFileSync(join(dir, 'chosen'), 'attacker-chosen-token\n');
    symlinkSync(join(dir, 'chosen'), join(planted, '..', 'rpc.token'));
    await expect(ensureTokenFile(dir)).rejects.toThrow(/symlink/);
  });
});
