import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../kit/cli.js';

const bins = Object.entries((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);

describe('the commands package.json names', () => {
  it.each(bins)('%s runs as a program straight from the build (shebang and executable bit)', async (_name, file) => {
    const path = join(ROOT, file);
    expect(readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => accessSync(path, constants.X_OK)).not.toThrow();
    // Run as the file itself, as npx and a shell do, not as `node FILE`.
    const { stdout, stderr } = await promisify(execFile)(path, ['--help'], { cwd: ROOT });
    expect(`${stdout}${stderr}`).toMatch(/usage: osprey/);
  });
});
