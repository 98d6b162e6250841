import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSPREY_BIN, ROOT, runOsprey, type CliResult } from '../../kit/cli.js';
import { TEST_SECRETS } from '../../kit/secrets.js';
import { closedLoopbackPort, FakeVault } from '../../kit/vault-server.js';
import { type AgeKey, encryptAge, expectNoSecrets, identityFileText, LOCAL_SECRETS, newAgeKey, secretsYaml, TempDir } from './fixtures.js';

/**
 * `osprey config check FILE` run as a child process, the way an operator runs it: malformed configs
 * exit 2 with one line per problem naming the key path, start nothing, and leak no secret.
 */

const tmp = new TempDir();
let vault: FakeVault;
let key: AgeKey;
let identityFile: string;
let ageFile: string;

beforeAll(async () => {
  ensureBuilt();
  vault = await FakeVault.start({ tokens: [TEST_SECRETS.vaultToken], mounts: { secret: { 'osprey/prod': { data: { vault_rpc_token: TEST_SECRETS.rpcToken }, version: 2 } } } });
  key = await newAgeKey();
  identityFile = tmp.write('identity.txt', identityFileText(key));
  ageFile = tmp.write('secrets.age', await encryptAge(key.recipient, secretsYaml()));
});
afterAll(async () => {
  await vault?.close();
  tmp.cleanup();
});

/** `npm test` builds first; when only this folder's tests run on a stale dist, build so the CLI under test is this code. */
function ensureBuilt(): void {
  const built = join(ROOT, 'dist/src/cli/commands/config-check.js');
  const sources = ['src/cli/osprey.ts', 'src/cli/commands/config-check.ts', 'src/core/errors.ts', 'src/main/config'].map((p) => join(ROOT, p));
  const newest = Math.max(...sources.flatMap((p) => (statSync(p).isDirectory() ? listTs(p) : [p])).map((f) => statSync(f).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return;
  spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(built) || statSync(built).mtimeMs < newest) throw new Error(`npm run build did not produce a fresh ${built}; run it and read its errors`);
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

interface Case {
  readonly name: string;
  /** The key path the problem line must start with. */
  readonly path: string | RegExp;
  /** Config lines below dataDir; `dir` is the case's own temp folder. */
  readonly yaml: (dir: TempDir) => string[] | Promise<string[]>;
  readonly env?: () => Record<string, string>;
  readonly args?: readonly string[];
}

const ageSecrets = () => `secrets: { ageFile: ${ageFile}, ageIdentityFile: ${identityFile} }`;
const vaultSecrets = (addr: string, path = 'osprey/prod') => `secrets: { vault: { addr: "${addr}", path: ${path} } }`;

const CASES: readonly Case[] = [
  { name: 'wrong type', path: 'rpc.port', yaml: () => ['rpc: { port: seventy }'] },
  { name: 'unknown key', path: 'rpc.prot', yaml: () => ['rpc: { prot: 7400 }'] },
  { name: 'secret referenced with no secret source', path: 'rpc.token', yaml: () => ['rpc: { token: "secret:rpc_token" }'] },
  { name: 'secret missing from the age file', path: 'venues.binance.apiKey', yaml: () => [ageSecrets(), 'venues: { binance: { apiKey: "secret:binance_api_key" } }'] },
  { name: 'secret pasted in clear', path: 'venues.binance.apiSecret', yaml: () => [`venues: { binance: { apiSecret: "${TEST_SECRETS.binanceApiSecret}" } }`] },
  { name: 'risk limit out of range', path: 'risk.limits.sim.maxDrawdownPct', yaml: () => ['risk: { limits: { sim: { maxDrawdownPct: 150 } } }'] },
  { name: 'shutdown timeout above 10 s', path: 'shutdown.timeoutMs', yaml: () => ['shutdown: { timeoutMs: 20000 }'] },
  {
    name: 'unreadable encrypted file',
    path: 'secrets.ageFile',
    yaml: (dir) => {
      mkdirSync(dir.path('secrets.age'));
      return [`secrets: { ageFile: ${dir.path('secrets.age')}, ageIdentityFile: ${identityFile} }`, 'rpc: { token: "secret:rpc_token" }'];
    },
  },
  {
    name: 'wrong age key',
    path: 'secrets.ageFile',
    yaml: async (dir) => [`secrets: { ageFile: ${ageFile}, ageIdentityFile: ${dir.write('other.txt', identityFileText(await newAgeKey()))} }`],
  },
  {
    name: 'corrupt age file',
    path: 'secrets.ageFile',
    yaml: (dir) => {
      const bytes = Buffer.from(readFileSync(ageFile));
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x55;
      return [`secrets: { ageFile: ${dir.write('corrupt.age', bytes)}, ageIdentityFile: ${identityFile} }`];
    },
  },
  {
    name: 'unreachable Vault (closed loopback port)',
    path: 'secrets.vault.addr',
    yaml: async () => [vaultSecrets(`http://127.0.0.1:${await closedLoopbackPort()}`), 'rpc: { token: "secret:vault_rpc_token" }'],
    env: () => ({ VAULT_TOKEN: TEST_SECRETS.vaultToken }),
    args: ['--vault-deadline-ms', '500'],
  },
  { name: 'Vault 403 (wrong token)', path: 'secrets.vault.path', yaml: () => [vaultSecrets(vault.addr)], env: () => ({ VAULT_TOKEN: LOCAL_SECRETS.wrongVaultToken }) },
  { name: 'Vault 404', path: 'secrets.vault.path', yaml: () => [vaultSecrets(vault.addr, 'osprey/nothing')], env: () => ({ VAULT_TOKEN: TEST_SECRETS.vaultToken }) },
  { name: 'bad YAML syntax', path: /^\S+\.yaml:\d+:\d+$/, yaml: () => ['rpc:', '  port: 7400', '   host: [127.0.0.1'] },
  { name: 'env override of an unknown key', path: 'rpc.prot', yaml: () => [], env: () => ({ OSPREY_RPC__PROT: '7401' }) },
  { name: 'http:// Vault on a non-loopback host', path: 'secrets.vault.addr', yaml: () => [vaultSecrets('http://192.0.2.10:8200')], env: () => ({ VAULT_TOKEN: TEST_SECRETS.vaultToken }) },
  { name: 'RPC on a public address', path: 'rpc.host', yaml: () => ['rpc: { host: 0.0.0.0 }'] },
  { name: 'live mode without credentials', path: 'venues.hyperliquid.privateKey', yaml: () => ['mode: live', 'venues: { hyperliquid: { enabled: true } }'] },
  { name: 'duplicate strategy id', path: 'strategies.1.id', yaml: () => ['strategies: [{ id: a, name: sma-cross, instrument: sim:BTC-PERP }, { id: a, name: sma-cross, instrument: sim:ETH-PERP }]'] },
];

/** A child environment with nothing from this process but PATH: no stray OSPREY_* or VAULT_TOKEN. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.root, ...extra };
}

async function check(dir: TempDir, lines: string[], env: Record<string, string> = {}, args: readonly string[] = []): Promise<{ result: CliResult; dataDir: string; file: string }> {
  const dataDir = dir.path('var');
  const file = dir.write('config.yaml', [`dataDir: ${dataDir}`, ...lines].join('\n') + '\n');
  const result = await runOsprey(['config', 'check', file, ...args], { env: childEnv(env), cwd: dir.root });
  return { result, dataDir, file };
}

describe('osprey config check FILE', () => {
  it(`has at least 12 malformed cases (${CASES.length})`, () => expect(CASES.length).toBeGreaterThanOrEqual(12));

  it.each(CASES)('$name: exit 2, one line naming the key path, nothing started', async (c) => {
    const dir = tmp.sub();
    const { result, dataDir } = await check(dir, await c.yaml(dir), c.env?.() ?? {}, c.args ?? []);
    const lines = result.stderr.trimEnd().split('\n');
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    for (const line of lines) expect(line).toMatch(/^\S+: \S/);
    const paths = lines.map((line) => line.slice(0, line.indexOf(': ')));
    expect(paths.some((p) => (typeof c.path === 'string' ? p === c.path : c.path.test(p)))).toBe(true);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\bready\b/);
    expect(existsSync(dataDir)).toBe(false);
    expectNoSecrets(result.stdout + result.stderr, { ageIdentity: key.identity });
  });

  it('prints one line per problem when a file has several', async () => {
    const { result } = await check(tmp.sub(), ['mode: papr', 'rpc: { port: -1, prot: 1 }', 'shutdown: { policy: nap }']);
    expect(result.code).toBe(2);
    const paths = result.stderr.trimEnd().split('\n').map((l) => l.split(': ')[0]);
    expect(paths.sort()).toEqual(['mode', 'rpc.port', 'rpc.prot', 'shutdown.policy']);
  });

  it('accepts a valid file whose secrets come from the age file and Vault: exit 0, "ok: FILE"', async () => {
    const dir = tmp.sub();
    const lines = [
      `secrets: { ageFile: ${ageFile}, ageIdentityFile: ${identityFile}, vault: { addr: "${vault.addr}", path: osprey/prod } }`,
      'rpc: { token: "secret:vault_rpc_token" }',
      'mode: live',
      'venues: { hyperliquid: { enabled: true, walletAddress: 0x0123456789abcdef0123456789abcdef01234567, privateKey: secret:hyperliquid_private_key } }',
      'risk: { limits: { hyperliquid: { maxOrderSize: 0.01, maxPositionNotional: 1000, maxLeverage: 2, priceBandBps: 100, maxOrdersPerSecond: 1, maxOpenOrders: 4, maxDailyLoss: 100, maxDrawdownPct: 5 } } }',
    ];
    const { result, file, dataDir } = await check(dir, lines, { VAULT_TOKEN: TEST_SECRETS.vaultToken });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: `ok: ${file}\n`, stderr: '' });
    expect(existsSync(dataDir)).toBe(false);
    expectNoSecrets(result.stdout + result.stderr, { ageIdentity: key.identity });
  });

  it.each([
    [['config'], /missing subcommand/],
    [['config', 'check'], /missing FILE/],
    [['config', 'frob', 'x.yaml'], /unknown subcommand "frob"/],
    [['config', 'check', 'a.yaml', 'b.yaml'], /only one FILE/],
  ])('usage error for %j: exit 2 with usage on stderr', async (args, reason) => {
    const result = await runOsprey(args, { env: childEnv(), cwd: tmp.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toMatch(/usage: osprey config check FILE/);
  });

  it('runs the built CLI', () => expect(existsSync(OSPREY_BIN)).toBe(true));
});
