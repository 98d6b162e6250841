import { basename, resolve } from 'node:path';
import * as z from 'zod';
import { ConfigError } from '../../core/errors.js';
import { dottedPath, problem, type Problem } from './problems.js';
import { secretField, SECRET_REF } from './fields.js';
import { configSchema, type SecretsConfig, type VaultConfig } from './schema.js';
import { Secret } from './secret.js';
import { unwrap } from './schema-walk.js';
import { readAgeSecrets } from './secrets-age.js';
import { readVaultSecrets } from './secrets-vault.js';
import { isPlainObject } from './yaml-text.js';

/**
 * Replaces every "secret:NAME" in a secret field with a `Secret` holding the value from the age file
 * or Vault (age first). Runs before validation, on the merged raw tree. Every configured source is
 * opened even when nothing refers to it yet, so `config check` catches a broken source early.
 */

export interface SecretResolveOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Base of relative file paths in `secrets`. */
  readonly cwd: string;
  readonly vaultDeadlineMs?: number;
}

export interface SecretResolution {
  readonly problems: Problem[];
  /** Fields already reported here; validation must not report them again as "written in clear". */
  readonly failedPaths: Set<string>;
}

interface SecretRef {
  readonly container: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly path: string;
  /** Undefined when the reference is malformed. */
  readonly name: string | undefined;
}

interface Source {
  /** Safe to print: "age:secrets.age", "vault:secret/osprey/prod@v3". */
  readonly label: string;
  readonly values: ReadonlyMap<string, unknown>;
}

export async function resolveSecretRefs(tree: Record<string, unknown>, options: SecretResolveOptions): Promise<SecretResolution> {
  const problems: Problem[] = [];
  const failedPaths = new Set<string>();
  const refs: SecretRef[] = [];
  collectRefs(tree, configSchema, [], refs);
  for (const ref of refs.filter((r) => r.name === undefined)) {
    problems.push(problem('CONFIG_INVALID', ref.path, 'malformed secret reference; allowed: "secret:NAME" (NAME: letters, digits, _ . / -, up to 128)'));
    failedPaths.add(ref.path);
  }
  const settings = configSchema.shape.secrets.safeParse(tree.secrets ?? {});
  if (!settings.success) {
    // Validation reports what is wrong with `secrets`; the fields that needed it stay unresolved.
    for (const ref of refs) failedPaths.add(ref.path);
    return { problems, failedPaths };
  }
  const { sources, failed } = await openSources(settings.data, options, problems);
  for (const ref of refs) {
    if (ref.name === undefined) continue;
    const found = sources.find((s) => s.values.has(ref.name as string));
    const value = found?.values.get(ref.name);
    if (found !== undefined && typeof value === 'string') {
      (ref.container as Record<string | number, unknown>)[ref.key] = new Secret(value, `${found.label}#${ref.name}`);
      continue;
    }
    failedPaths.add(ref.path);
    problems.push(problem('SECRET_MISSING', ref.path, missingMessage(ref.name, found, value, sources, failed)));
  }
  return { problems, failedPaths };
}

function missingMessage(name: string, found: Source | undefined, value: unknown, sources: Source[], failed: string[]): string {
  if (found !== undefined) return `secret "${name}" in ${found.label} is ${kindOf(value)}, not text; allowed: a text value`;
  if (failed.length > 0) return `secret "${name}" cannot be resolved: ${failed.join(' and ')} failed, as reported`;
  if (sources.length === 0) return `secret "${name}" is referenced but no secret source is configured; allowed: set secrets.ageFile or secrets.vault`;
  const names = sources.flatMap((s) => [...s.values.keys()]).slice(0, 20);
  return `secret "${name}" is not in ${sources.map((s) => s.label).join(' or ')}; names available: ${names.join(', ') || '(none)'}`;
}

/** The kind of a non-text value, never the value (a number in a secret store may still be secret). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

async function openSources(settings: SecretsConfig, options: SecretResolveOptions, problems: Problem[]): Promise<{ sources: Source[]; failed: string[] }> {
  const path = (p: string | undefined) => (p === undefined ? undefined : resolve(options.cwd, p));
  const ageFile = path(settings.ageFile);
  const identityFile = path(settings.ageIdentityFile);
  const vault = settings.vault === undefined ? undefined : withAbsolutePaths(settings.vault, path);
  const [age, vaultRead] = await Promise.allSettled([
    ageFile === undefined ? undefined : readAgeSecrets({ file: ageFile, env: options.env, ...(identityFile === undefined ? {} : { identityFile }) }),
    vault === undefined
      ? undefined
      : readVaultSecrets(vault, { env: options.env, ...(options.vaultDeadlineMs === undefined ? {} : { deadlineMs: options.vaultDeadlineMs }) }),
  ]);
  const sources: Source[] = [];
  const failed: string[] = [];
  if (age.status === 'fulfilled' && age.value !== undefined && ageFile !== undefined) sources.push({ label: `age:${basename(ageFile)}`, values: age.value });
  if (age.status === 'rejected') failed.push(recordFailure(age.reason, 'the age file (secrets.ageFile)', problems));
  if (vaultRead.status === 'fulfilled' && vaultRead.value !== undefined && vault !== undefined) {
    const version = vaultRead.value.version === undefined ? '' : `@v${vaultRead.value.version}`;
    sources.push({ label: `vault:${vault.mount}/${vault.path}${version}`, values: vaultRead.value.values });
  }
  if (vaultRead.status === 'rejected') failed.push(recordFailure(vaultRead.reason, 'Vault (secrets.vault)', problems));
  return { sources, failed };
}

function withAbsolutePaths(vault: VaultConfig, path: (p: string | undefined) => string | undefined): VaultConfig {
  const tokenFile = path(vault.tokenFile);
  const secretIdFile = path(vault.secretIdFile);
  return { ...vault, ...(tokenFile === undefined ? {} : { tokenFile }), ...(secretIdFile === undefined ? {} : { secretIdFile }) };
}

/** Source errors are ConfigErrors by contract; anything else is a bug and is rethrown. */
function recordFailure(reason: unknown, source: string, problems: Problem[]): string {
  if (!(reason instanceof ConfigError)) throw reason;
  for (const p of reason.problems) problems.push(problem('SECRET_SOURCE_FAILED', p.path, p.message));
  return source;
}

/** Finds every secret field holding a "secret:..." string, by walking the tree along the schema. */
function collectRefs(value: unknown, schema: z.ZodType, path: (string | number)[], out: SecretRef[], container?: SecretRef['container'], key?: string | number): void {
  const inner = unwrap(schema);
  if (inner === secretField) {
    if (typeof value === 'string' && value.startsWith('secret:') && container !== undefined && key !== undefined) {
      out.push({ container, key, path: dottedPath(path), name: SECRET_REF.exec(value)?.[1] });
    }
    return;
  }
  if (inner instanceof z.ZodObject && isPlainObject(value)) {
    for (const [k, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      if (Object.hasOwn(value, k)) collectRefs(value[k], child, [...path, k], out, value, k);
    }
  } else if (inner instanceof z.ZodRecord && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) collectRefs(v, inner.def.valueType as z.ZodType, [...path, k], out, value, k);
  } else if (inner instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((v, i) => collectRefs(v, inner.def.element as z.ZodType, [...path, i], out, value, i));
  }
}
