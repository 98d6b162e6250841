import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the compiled strategy worker (dist/src/workers/worker.js). Worker threads run plain
 * JavaScript, so when this module itself runs from TypeScript sources (tests under vitest) it points at
 * the build under the package root instead; `npm test` builds first. Throws naming the fix when the
 * build is missing, rather than letting piscina fail on a path nobody recognises.
 */
export function strategyWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), '..', '..', 'workers', 'worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${here}`);
    dir = parent;
  }
  const built = join(dir, 'dist', 'src', 'workers', 'worker.js');
  if (!existsSync(built)) throw new Error(`strategy worker not built: ${built} is missing; run "npm run build"`);
  return built;
}
