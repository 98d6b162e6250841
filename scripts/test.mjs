#!/usr/bin/env node
// Runs the vitest suite and then greps everything it produced for the test secrets: every line the
// suite printed (reporter output, console output, pino lines from test workers, error messages and
// stacks of failures) plus the capture folder where tests record their children's output and the error
// texts they caught. A secret found anywhere fails the run, even when every test passed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const secrets = JSON.parse(readFileSync(join(root, 'test/kit/secrets.json'), 'utf8'));
const captureDir = mkdtempSync(join(tmpdir(), 'osprey-capture-'));

const vitest = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  env: { ...process.env, OSPREY_TEST_CAPTURE_DIR: captureDir },
  stdio: ['inherit', 'pipe', 'pipe'],
});
const chunks = [];
for (const [from, to] of [[vitest.stdout, process.stdout], [vitest.stderr, process.stderr]]) {
  from.on('data', (chunk) => {
    chunks.push(chunk);
    to.write(chunk);
  });
}

const code = await new Promise((resolve) => vitest.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));

const sources = [['vitest output', Buffer.concat(chunks).toString('utf8')]];
for (const name of readdirSync(captureDir)) sources.push([name, readFileSync(join(captureDir, name), 'utf8')]);
rmSync(captureDir, { recursive: true, force: true });

const leaks = [];
let bytes = 0;
for (const [source, text] of sources) {
  bytes += text.length;
  for (const [name, value] of Object.entries(secrets)) {
    if (text.includes(value) || text.includes(value.replace(/^0x/, ''))) leaks.push(`${name} in ${source}`);
  }
}
if (leaks.length > 0) {
  process.stderr.write(`\nsecret scan FAILED: test secrets appear in ${leaks.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(`\nsecret scan: ${sources.length} sources, ${bytes} characters of output and errors, no test secret found\n`);
process.exit(code);
