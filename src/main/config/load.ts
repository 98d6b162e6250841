import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEnvOverrides } from './env-overrides.js';
import { configErrorOf, problem, problemsFromIssues, type Problem } from './problems.js';
import { resolveSecretRefs } from './resolve-secrets.js';
import { configSchema, type OspreyConfig } from './schema.js';
import { errnoOf } from './secrets-age.js';
import { isPlainObject, parseYamlText } from './yaml-text.js';

/**
 * Layered loading, lowest first: schema defaults < config/default.yaml (the package's own) < the
 * operator's file (--config or OSPREY_CONFIG) < OSPREY_* environment variables. Then secrets are
 * resolved and the result validated. Every problem found is reported at once, in one ConfigError.
 */

export interface LoadConfigOptions {
  /** The operator's file (--config FILE); when absent, OSPREY_CONFIG. */
  readonly file?: string;
  /** Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Base of relative paths (files to read, secrets files); defaults to process.cwd(). */
  readonly cwd?: string;
  /** The embedded defaults; defaults to config/default.yaml under the package root. */
  readonly defaultsFile?: string;
  /** Caps secrets.vault.startupDeadlineMs, so `config check` gives up on an unreachable Vault sooner. */
  readonly vaultDeadlineMs?: number;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<OspreyConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: Problem[] = [];

  const defaults = await readLayer(options.defaultsFile ?? defaultConfigFile(), problems);
  const file = options.file ?? (env.OSPREY_CONFIG === '' ? undefined : env.OSPREY_CONFIG);
  const operator = file === undefined ? {} : await readLayer(resolve(cwd, file), problems);
  // Without the whole file, every later message would be about keys it may well have set.
  if (problems.length > 0) throw configErrorOf(problems);

  const tree = mergeLayers(defaults, operator);
  problems.push(...applyEnvOverrides(tree, env, configSchema));
  const secrets = await resolveSecretRefs(tree, { env, cwd, ...(options.vaultDeadlineMs === undefined ? {} : { vaultDeadlineMs: options.vaultDeadlineMs }) });
  problems.push(...secrets.problems);

  const parsed = configSchema.safeParse(tree, { reportInput: true });
  if (!parsed.success) problems.push(...problemsFromIssues(parsed.error.issues, configSchema, secrets.failedPaths));
  if (problems.length > 0 || !parsed.success) throw configErrorOf(problems);
  return deepFreeze(parsed.data) as OspreyConfig;
}

let packageRoot: string | undefined;

/** config/default.yaml beside package.json, found from this module so it works from src and dist alike. */
export function defaultConfigFile(): string {
  if (packageRoot === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    packageRoot = dir;
  }
  return join(packageRoot, 'config', 'default.yaml');
}

async function readLayer(file: string, problems: Problem[]): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    problems.push(problem('CONFIG_UNREADABLE', file, `cannot read the config file (${errnoOf(error)}); allowed: a readable YAML file`));
    return {};
  }
  const parsed = parseYamlText(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      problems.push(problem('CONFIG_UNREADABLE', `${file}:${e.line}:${e.col}`, `YAML syntax error: ${e.reason}; allowed: valid YAML`));
    }
    return {};
  }
  if (parsed.value === null || parsed.value === undefined) return {};
  if (!isPlainObject(parsed.value)) {
    problems.push(problem('CONFIG_UNREADABLE', file, `the file holds ${Array.isArray(parsed.value) ? 'a list' : 'a single value'}; allowed: a YAML mapping of config keys`));
    return {};
  }
  return parsed.value;
}

/**
 * Mappings merge key by key; anything else (lists included) is replaced whole. A null value removes
 * the key, so a file can undo a default (`ageFile: ~`) and the schema default applies again.
 */
export function mergeLayers(lower: Record<string, unknown>, upper: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(lower)) if (value !== null) define(out, key, copy(value));
  for (const [key, value] of Object.entries(upper)) {
    if (value === null) delete out[key];
    else define(out, key, isPlainObject(value) && isPlainObject(out[key]) ? mergeLayers(out[key], value) : copy(value));
  }
  return out;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) return mergeLayers({}, value);
  return value;
}

/** defineProperty, not assignment: a "__proto__" key must stay a key (and fail validation), not a prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
