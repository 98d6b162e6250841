import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let packageRoot: string | undefined;

/**
 * The package root: the nearest folder above this module holding a package.json. Found by walking up
 * because this file runs both from src/data (tests) and from dist/src/data (built benches and CLI), at
 * different depths, and the working directory can be anything.
 */
function findPackageRoot(): string {
  if (packageRoot !== undefined) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (packageRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Absolute path of a recorded market data file, `data/market/<file>` under the package root. */
export function dataPath(file: string): string {
  return join(findPackageRoot(), 'data', 'market', file);
}
