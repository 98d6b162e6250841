import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureText } from '../kit/capture-output.js';
import { OSPREY_BIN, ROOT, runOsprey } from '../kit/cli.js';
import { leakedSecrets } from '../kit/secrets.js';
import { TempDir, encryptAge, identityFileText, newAgeKey, secretsYaml } from '../main/config/fixtures.js';

/**
 * End to end: an engine whose config pulls every test secret from an age file, logging at trace level,
 * started, stopped, and made to fail; then every byte it wrote (stdout, stderr, log files, the LMDB
 * store and journal) is searched for the secrets. The suite-wide scan in scripts/test.mjs covers the
 * rest of the tests' output.
 */
const tmp = new TempDir();
afterAll(() => tmp.cleanup());

async function secretConfig(dir: TempDir, extra: string[] = []): Promise<string> {
  const key = await newAgeKey();
  dir.write('secrets.age', await encryptAge(key.recipient, secretsYaml()));
  const identityFile = dir.write('identity.txt', identityFileText(key));
  return dir.write(
    'osprey.yaml',
    [
      `dataDir: ${dir.path('var')}`,
      'log: { level: trace }',
      `secrets: { ageFile: ${dir.path('secrets.age')}, ageIdentityFile: ${identityFile} }`,
      'rpc: { port: 0, token: "secret:rpc_token" }',
      ...extra,
    ].join('\n'),
  );
}

function everyFileUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? everyFileUnder(path) : [path];
  });
}

describe('secrets never leak', () => {
  it('an engine started and stopped with secrets at trace level writes none of them anywhere', async () => {
    const dir = tmp.sub();
    const config = await secretConfig(dir);
    const child = spawn(process.execPath, [OSPREY_BIN, 'start', '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (d.includes('"msg":"ready"')) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    captureText('osprey start with secrets', output);
    expect(output).toContain('"msg":"ready"');
    expect(code).toBe(0);
    expect(leakedSecrets(output)).toEqual([]);
    const written = everyFileUnder(dir.path('var'));
    expect(written.some((f) => f.endsWith('osprey.log'))).toBe(true);
    expect(written.some((f) => f.endsWith('state.lmdb'))).toBe(true);
    for (const file of written) {
      expect(leakedSecrets(readFileSync(file).toString('latin1')), file).toEqual([]);
    }
  });

  it('config errors in a file that also holds secrets name the problem, not the values', async () => {
    const dir = tmp.sub();
    const config = await secretConfig(dir, ['risk: { limits: { sim: { maxOrderSize: -1 } } }', 'venues: { binance: { apiKey: "secret:binance_api_key" } }']);
    const result = await runOsprey(['config', 'check', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/risk\.limits\.sim/);
    expect(result.stderr).toMatch(/venues\.binance\.apiKey/);
    expect(leakedSecrets(result.stdout + result.stderr)).toEqual([]);
  });
});
