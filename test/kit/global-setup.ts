import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leakedSecrets } from './secrets.js';

/**
 * Gives the whole suite one capture folder, and after the last test greps everything captured (every
 * worker's stdout/stderr, every child's output, every error text the tests recorded) for the test
 * secrets. A leak fails the run.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-capture-'));
  process.env.OSPREY_TEST_CAPTURE_DIR = dir;
  return () => {
    const leaks: string[] = [];
    let bytes = 0;
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      bytes += text.length;
      for (const secret of leakedSecrets(text)) leaks.push(`${secret} in ${name}`);
    }
    rmSync(dir, { recursive: true, force: true });
    if (leaks.length > 0) throw new Error(`test secrets leaked into captured output: ${leaks.join(', ')}`);
    process.stdout.write(`secret scan: ${bytes} bytes of captured output, no test secret found\n`);
  };
}
