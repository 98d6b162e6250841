#!/usr/bin/env node
// After the build: the files package.json names as bins get their executable bit. tsc writes them 0644,
// and a bin link that npx made before a rebuild (it installs this project into its cache once) points at
// the new file and would fail with "Permission denied".
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of Object.values(bin)) chmodSync(join(root, file), 0o755);
