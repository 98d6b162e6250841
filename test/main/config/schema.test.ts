import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/main/config/secret.js';
import { isLoopbackHost } from '../../../src/main/config/fields.js';
import { configSchema, isRuntimeUpdatable, RUNTIME_UPDATABLE } from '../../../src/main/config/schema.js';
import { schemaAt } from '../../../src/main/config/schema-walk.js';
import { TEST_SECRETS } from '../../kit/secrets.js';

const sim = { maxOrderSize: 0.1, maxPositionNotional: 50_000, maxLeverage: 5, priceBandBps: 500, maxOrdersPerSecond: 5, maxOpenOrders: 20, maxDailyLoss: 5000, maxDrawdownPct: 20 };

function issuesOf(input: unknown): string[] {
  const result = configSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}|${i.code}`);
}

describe('config schema', () => {
  it('fills every section from defaults when given nothing', () => {
    const config = configSchema.parse({});
    expect(config.dataDir).toBe('./var');
    expect(config.mode).toBe('paper');
    expect(config.rpc).toMatchObject({ host: '127.0.0.1', port: 7400, allowNonLoopback: false, readOnlyTokens: [] });
    expect(config.shutdown).toEqual({ policy: 'cancel-open-orders', timeoutMs: 8000 });
    expect(config.venues.hyperliquid.enabled).toBe(false);
    expect(config.secrets).toEqual({});
  });

  it('rejects unknown keys at every depth', () => {
    expect(issuesOf({ colour: 'blue' })).toEqual(['|unrecognized_keys']);
    expect(issuesOf({ rpc: { prot: 1 } })).toEqual(['rpc|unrecognized_keys']);
    expect(issuesOf({ risk: { limits: { sim: { ...sim, maxOrderSise: 1 } } } })).toEqual(['risk.limits.sim|unrecognized_keys']);
  });

  it('keeps risk limits positive and in range', () => {
    expect(issuesOf({ risk: { limits: { sim } } })).toEqual([]);
    expect(issuesOf({ risk: { limits: { sim: { ...sim, maxDrawdownPct: 0 } } } })).toEqual(['risk.limits.sim.maxDrawdownPct|too_small']);
    expect(issuesOf({ risk: { limits: { sim: { ...sim, maxDrawdownPct: 100.5 } } } })).toEqual(['risk.limits.sim.maxDrawdownPct|too_big']);
    expect(issuesOf({ risk: { limits: { sim: { ...sim, maxOrderSize: -1 } } } })).toEqual(['risk.limits.sim.maxOrderSize|too_small']);
    expect(issuesOf({ risk: { limits: { sim: { ...sim, maxOpenOrders: 2.5 } } } })).toEqual(['risk.limits.sim.maxOpenOrders|invalid_type']);
    const { maxDailyLoss: _, ...missingOne } = sim;
    expect(issuesOf({ risk: { limits: { sim: missingOne } } })).toEqual(['risk.limits.sim.maxDailyLoss|invalid_type']);
  });

  it('takes tighter limits per strategy and per instrument, refusing empty scopes, unknown ids and bad keys', () => {
    const strategies = [{ id: 'mm', name: 'market-maker', instrument: 'sim:BTC-PERP' }];
    const scoped = { limits: { sim: { ...sim, maxPosition: 0.05 } }, strategies: { mm: { maxOrderSize: 0.01, maxOpenOrders: 4 } }, instruments: { 'sim:BTC-PERP': { maxPosition: 0.02 } } };
    const config = configSchema.parse({ strategies, risk: scoped });
    expect(config.risk.strategies).toEqual({ mm: { maxOrderSize: 0.01, maxOpenOrders: 4 } });
    expect(config.risk.instruments['sim:BTC-PERP']).toEqual({ maxPosition: 0.02 });
    expect(config.risk.limits.sim?.maxPosition).toBe(0.05);
    expect(configSchema.parse({}).risk).toEqual({ limits: {}, strategies: {}, instruments: {} });
    expect(issuesOf({ strategies, risk: { strategies: { mm: {} } } })).toEqual(['risk.strategies.mm|custom']);
    expect(issuesOf({ strategies, risk: { strategies: { nm: { maxPosition: 1 } } } })).toEqual(['risk.strategies.nm|custom']);
    expect(configSchema.safeParse({ strategies, risk: { strategies: { nm: { maxPosition: 1 } } } }).error?.issues[0]?.message).toBe('no strategy has id "nm"; allowed: mm');
    expect(issuesOf({ strategies, risk: { strategies: { mm: { maxPosition: 1, maxLeverage: 2 } } } })).toEqual(['risk.strategies.mm|unrecognized_keys']);
    expect(issuesOf({ risk: { instruments: { 'BTC-PERP': { maxPosition: 1 } } } })).toEqual(['risk.instruments.BTC-PERP|invalid_key']);
    expect(issuesOf({ risk: { instruments: { 'sim:BTC-PERP': { maxPosition: -1 } } } })).toEqual(['risk.instruments.sim:BTC-PERP.maxPosition|too_small']);
  });

  it('caps the shutdown timeout at 10 s', () => {
    expect(issuesOf({ shutdown: { timeoutMs: 10_000 } })).toEqual([]);
    expect(issuesOf({ shutdown: { timeoutMs: 10_001 } })).toEqual(['shutdown.timeoutMs|too_big']);
  });

  it('accepts a Secret in a secret field, refuses a value in clear or a too-short secret', () => {
    const key = new Secret(TEST_SECRETS.hyperliquidPrivateKey, 'test');
    expect(issuesOf({ venues: { hyperliquid: { privateKey: key } } })).toEqual([]);
    const clear = configSchema.safeParse({ venues: { hyperliquid: { privateKey: TEST_SECRETS.hyperliquidPrivateKey } } });
    expect(clear.success).toBe(false);
    expect(clear.error?.issues[0]?.message).toMatch(/may not be written in clear; write "secret:NAME"/);
    expect(issuesOf({ rpc: { token: new Secret('short', 'test') } })).toEqual(['rpc.token|custom']);
  });

  it('keeps RPC on loopback unless non-loopback is asked for', () => {
    expect(issuesOf({ rpc: { host: '0.0.0.0' } })).toEqual(['rpc.host|custom']);
    expect(issuesOf({ rpc: { host: '0.0.0.0', allowNonLoopback: true } })).toEqual([]);
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '128.0.0.1', 'vault.example.com', '::'].some(isLoopbackHost)).toBe(false);
  });

  it('refuses http:// Vault off loopback unless allowed, and half an AppRole', () => {
    const vault = { path: 'osprey/prod' };
    expect(issuesOf({ secrets: { vault: { ...vault, addr: 'http://127.0.0.1:8200' } } })).toEqual([]);
    expect(issuesOf({ secrets: { vault: { ...vault, addr: 'https://vault.example.com' } } })).toEqual([]);
    expect(issuesOf({ secrets: { vault: { ...vault, addr: 'http://vault.example.com' } } })).toEqual(['secrets.vault.addr|custom']);
    expect(issuesOf({ secrets: { vault: { ...vault, addr: 'http://vault.example.com', allowInsecureHttp: true } } })).toEqual([]);
    expect(issuesOf({ secrets: { vault: { ...vault, addr: 'https://v', roleId: 'r' } } })).toEqual(['secrets.vault.secretIdFile|custom']);
    expect(issuesOf({ secrets: { vault: { ...vault, addr: 'https://user:pw@vault.example.com' } } })).toEqual(['secrets.vault.addr|custom']);
  });

  it('requires credentials and risk limits for a venue traded live', () => {
    const issues = issuesOf({ mode: 'live', venues: { binance: { enabled: true } } });
    expect(issues).toEqual(['venues.binance.apiKey|custom', 'venues.binance.apiSecret|custom', 'risk.limits.binance|custom']);
    expect(issuesOf({ mode: 'live' })).toEqual(['venues|custom']);
  });

  it('refuses duplicate strategy ids and malformed instruments', () => {
    const s = { id: 'a', name: 'sma-cross', instrument: 'sim:BTC-PERP' };
    expect(issuesOf({ strategies: [s, { ...s }] })).toEqual(['strategies.1.id|custom']);
    expect(issuesOf({ strategies: [{ ...s, instrument: 'kraken:BTC' }] })).toEqual(['strategies.0.instrument|invalid_format']);
  });
});

describe('runtime-updatable fields', () => {
  it('marks exactly risk limits, strategy params and enabled, and log levels', () => {
    expect(RUNTIME_UPDATABLE).toEqual(['log.level', 'log.components', 'risk.limits', 'strategies.*.params', 'strategies.*.enabled']);
    for (const path of [
      'log.level',
      'log.components.exchange',
      'risk.limits',
      'risk.limits.sim',
      'risk.limits.hyperliquid.maxDrawdownPct',
      'strategies.0.params',
      'strategies.sma-btc.params.fast',
      'strategies.sma-btc.enabled',
    ]) {
      expect({ path, updatable: isRuntimeUpdatable(path) }).toEqual({ path, updatable: true });
    }
  });

  it('leaves everything else to a restart, and unknown paths are not updatable', () => {
    for (const path of ['dataDir', 'mode', 'log', 'log.file.enabled', 'rpc.port', 'risk', 'strategies', 'strategies.0', 'strategies.0.instrument', 'strategies.0.name', 'venues.hyperliquid.privateKey', 'risk.limits.sim.bogus', 'log.levels', '', 'risk..limits']) {
      expect({ path, updatable: isRuntimeUpdatable(path) }).toEqual({ path, updatable: false });
    }
  });

  it('names only paths that exist in the schema', () => {
    for (const pattern of RUNTIME_UPDATABLE) expect(schemaAt(configSchema, pattern.split('.'))).toBeDefined();
  });
});
