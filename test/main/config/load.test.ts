import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { defaultConfigFile, loadConfig, mergeLayers } from '../../../src/main/config/load.js';
import { TempDir } from './fixtures.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

/** The ConfigError `promise` rejects with (fails the test if it resolves or throws anything else). */
async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const paths = (error: ConfigError) => error.problems.map((p) => p.path);

describe('layering', () => {
  it('loads the embedded default from the package, whatever the working directory', async () => {
    const config = await loadConfig({ env: {}, cwd: tmp.root });
    expect(defaultConfigFile()).toMatch(/config\/default\.yaml$/);
    expect(config.mode).toBe('paper');
    expect(config.rpc.host).toBe('127.0.0.1');
    expect(config.rpc.port).toBe(7400);
    expect(config.strategies.map((s) => s.instrument)).toEqual(['sim:BTC-PERP']);
    expect(config.risk.limits.sim?.maxDrawdownPct).toBe(20);
  });

  it('lets the operator file override defaults key by key, replace lists, and unset with null', async () => {
    const file = tmp.write(
      'layer.yaml',
      ['rpc:', '  port: 7501', 'log:', '  components: { exchange: debug }', 'strategies: []', 'risk:', '  limits:', '    sim: ~'].join('\n'),
    );
    const config = await loadConfig({ file, env: {} });
    expect(config.rpc.port).toBe(7501);
    expect(config.rpc.host).toBe('127.0.0.1');
    expect(config.log).toEqual({ level: 'info', components: { exchange: 'debug' }, file: { enabled: true } });
    expect(config.strategies).toEqual([]);
    expect(config.risk.limits).toEqual({});
  });

  it('takes the file from OSPREY_CONFIG, and --config wins over it', async () => {
    const fromEnv = tmp.write('from-env.yaml', 'rpc: { port: 7601 }\n');
    const fromFlag = tmp.write('from-flag.yaml', 'rpc: { port: 7602 }\n');
    expect((await loadConfig({ env: { OSPREY_CONFIG: fromEnv } })).rpc.port).toBe(7601);
    expect((await loadConfig({ file: fromFlag, env: { OSPREY_CONFIG: fromEnv } })).rpc.port).toBe(7602);
  });

  it('puts environment variables above the file, matched case-insensitively, values as YAML scalars', async () => {
    const file = tmp.write('env-base.yaml', 'dataDir: /from/file\nrpc: { port: 7701 }\n');
    const config = await loadConfig({
      file,
      env: {
        OSPREY_DATADIR: '/from/env',
        OSPREY_RPC__PORT: '7401',
        OSPREY_Rpc__AllowNonLoopback: 'true',
        OSPREY_RPC__HOST: '0.0.0.0',
        OSPREY_LOG__COMPONENTS__BUS: 'warn',
        OSPREY_RISK__LIMITS__SIM__MAXDRAWDOWNPCT: '12.5',
        OSPREY_STRATEGIES__0__ENABLED: 'false',
        'OSPREY_STRATEGIES__SMA-BTC__PARAMS__FAST': '7',
        OSPREY_VENUES__HYPERLIQUID__WALLETADDRESS: '0x0123456789abcdef0123456789abcdef01234567',
      },
    });
    expect(config.dataDir).toBe('/from/env');
    expect(config.rpc).toMatchObject({ port: 7401, allowNonLoopback: true, host: '0.0.0.0' });
    expect(config.log.components).toEqual({ bus: 'warn' });
    expect(config.risk.limits.sim?.maxDrawdownPct).toBe(12.5);
    expect(config.strategies[0]).toMatchObject({ enabled: false, params: { fast: 7, slow: 20 } });
    // A text field keeps the text: YAML would have read 0x... as a number.
    expect(config.venues.hyperliquid.walletAddress).toBe('0x0123456789abcdef0123456789abcdef01234567');
  });

  it('keeps an unquoted hex address in a file as text', async () => {
    const file = tmp.write('hex.yaml', 'venues:\n  hyperliquid:\n    walletAddress: 0x0123456789abcdef0123456789abcdef01234567\n');
    expect((await loadConfig({ file, env: {} })).venues.hyperliquid.walletAddress).toBe('0x0123456789abcdef0123456789abcdef01234567');
  });

  it('reports an env var naming an unknown key, by key path and variable', async () => {
    const error = await configError(loadConfig({ env: { OSPREY_RPC__PROT: '7401', OSPREY_NOPE: '1', OSPREY_LOG_LEVEL: 'debug' } }));
    expect(paths(error)).toEqual(['log_level', 'nope', 'rpc.prot']);
    expect(error.problems[0]?.message).toMatch(/^unknown key \(from environment variable OSPREY_LOG_LEVEL; nested keys are separated by "__"\); allowed at the top level: dataDir, mode, log,/);
    expect(error.problems[2]?.message).toMatch(/unknown key \(from environment variable OSPREY_RPC__PROT\) \(did you mean "port"\?\); allowed under rpc: host, port/);
  });

  it('does not treat OSPREY_CONFIG or the age identity variables as overrides', async () => {
    await expect(loadConfig({ env: { OSPREY_CONFIG: '', OSPREY_AGE_IDENTITY_FILE: '/nowhere' } })).resolves.toBeDefined();
  });
});

describe('problems', () => {
  it('reports every problem at once, each with its key path, what was wrong and what is allowed', async () => {
    const file = tmp.write(
      'many.yaml',
      ['mode: papr', 'rpc:', '  port: seventy', '  prot: 1', 'risk:', '  limits:', '    sim: { maxDrawdownPct: 150 }', 'shutdown: { timeoutMs: 20000 }'].join('\n'),
    );
    const error = await configError(loadConfig({ file, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    const byPath = Object.fromEntries(error.problems.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(['mode', 'risk.limits.sim.maxDrawdownPct', 'rpc.port', 'rpc.prot', 'shutdown.timeoutMs']);
    expect(byPath.mode).toBe('got "papr"; allowed: one of "paper", "live", "sim"');
    expect(byPath['rpc.port']).toBe('got a string of 7 characters; allowed: an integer >= 0 and <= 65535');
    expect(byPath['risk.limits.sim.maxDrawdownPct']).toBe('got 150; allowed: a number > 0 and <= 100');
    expect(byPath['shutdown.timeoutMs']).toBe('got 20000; allowed: an integer >= 100 and <= 10000');
    // The file's partial entry merges into the default one, so only the bad limit is reported.
    expect(error.message).not.toMatch(/maxOrderSize/);
  });

  it('names the file and position of a YAML syntax error, without quoting the line', async () => {
    const file = tmp.write('broken.yaml', 'rpc:\n  port: 7400\n  host: "127.0.0.1\nmode: paper\n');
    const error = await configError(loadConfig({ file, env: {} }));
    expect(error.code).toBe('CONFIG_UNREADABLE');
    expect(error.problems[0]?.path).toMatch(/broken\.yaml:\d+:\d+$/);
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('reports an unreadable file and a file that is not a mapping', async () => {
    const missing = await configError(loadConfig({ file: tmp.path('absent.yaml'), env: {} }));
    expect(missing.problems[0]?.message).toMatch(/cannot read the config file \(ENOENT\)/);
    const list = await configError(loadConfig({ file: tmp.write('list.yaml', '- a\n- b\n'), env: {} }));
    expect(list.problems[0]?.message).toMatch(/holds a list; allowed: a YAML mapping/);
  });

  it('keeps a "__proto__" key a key, reported as unknown', async () => {
    const error = await configError(loadConfig({ file: tmp.write('proto.yaml', '__proto__: { polluted: true }\n'), env: {} }));
    expect(paths(error)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the loaded config', () => {
  it('is deeply frozen', async () => {
    const config = await loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.rpc)).toBe(true);
    expect(Object.isFrozen(config.strategies)).toBe(true);
    expect(Object.isFrozen(config.strategies[0]?.params)).toBe(true);
    expect(() => {
      (config.risk.limits.sim as { maxOrderSize: number }).maxOrderSize = 1000;
    }).toThrow(TypeError);
  });

  it('merges without touching its inputs', () => {
    const lower = { a: { b: 1, c: [1, 2] } };
    const upper = { a: { c: [3] }, d: null };
    expect(mergeLayers(lower, upper)).toEqual({ a: { b: 1, c: [3] } });
    expect(lower).toEqual({ a: { b: 1, c: [1, 2] } });
  });
});
