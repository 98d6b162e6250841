import * as z from 'zod';
import { dottedPath, problem, unknownKeyProblem, type Problem } from './problems.js';
import { secretField } from './fields.js';
import { childSchema, takesText, unwrap } from './schema-walk.js';
import { isPlainObject, parseYamlText } from './yaml-text.js';

/**
 * Environment overrides: `OSPREY_<KEY>` with `__` between nested keys, matched against the schema's
 * keys case-insensitively (`OSPREY_RPC__PORT` -> rpc.port, `OSPREY_DATADIR` -> dataDir). A new key
 * in a free-form mapping (an account in risk.limits) is taken in lower case. A list is entered by
 * index or by an element's `id` (`OSPREY_STRATEGIES__SMA1__ENABLED`). Values are YAML scalars,
 * except where the field takes text, which is kept exactly as written.
 */

const PREFIX = 'OSPREY_';

/** OSPREY_ variables that carry something other than a config value. */
export const NOT_CONFIG_OVERRIDES: ReadonlySet<string> = new Set(['OSPREY_CONFIG', 'OSPREY_AGE_IDENTITY', 'OSPREY_AGE_IDENTITY_FILE', 'OSPREY_TEST_CAPTURE_DIR']);

/** Applies every override to `tree` in place and returns the problems (unknown keys, bad YAML). */
export function applyEnvOverrides(tree: Record<string, unknown>, env: NodeJS.ProcessEnv, root: z.ZodType): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(PREFIX) && !NOT_CONFIG_OVERRIDES.has(name))
    .sort();
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined) continue;
    const failure = applyOne(tree, name, raw, root);
    if (failure !== undefined) problems.push(failure);
  }
  return problems;
}

function applyOne(tree: Record<string, unknown>, name: string, raw: string, root: z.ZodType): Problem | undefined {
  const segments = name.slice(PREFIX.length).split('__');
  const origin = ` (from environment variable ${name})`;
  if (segments.some((s) => s === '')) {
    return problem('CONFIG_INVALID', `env ${name}`, 'malformed name; allowed: OSPREY_KEY or OSPREY_SECTION__KEY with "__" between nested keys');
  }
  let schema = root;
  let node: unknown = tree;
  const path: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const inner = unwrap(schema);
    const key = keyFor(inner, node, segment);
    if (key === undefined) {
      if (inner instanceof z.ZodObject) {
        // OSPREY_LOG_LEVEL for OSPREY_LOG__LEVEL is the likely slip; say so.
        const hint = segment.includes('_') ? `; nested keys are separated by "__"` : '';
        return unknownKeyProblem(root, path, segment.toLowerCase(), `${origin.slice(0, -1)}${hint})`);
      }
      if (inner instanceof z.ZodArray) {
        return problem('CONFIG_INVALID', dottedPath([...path, segment]), `no list item with index or id "${segment}"${origin}; allowed: an existing index or id`);
      }
      return problem('CONFIG_INVALID', dottedPath([...path, segment]), `${dottedPath(path)} has no nested keys${origin}; allowed: ${schemaPath(path)} alone`);
    }
    const next = childSchema(inner, key);
    if (next === undefined) return unknownKeyProblem(root, path, key, origin);
    const container = node as Record<string, unknown>;
    path.push(key);
    schema = next;
    if (i === segments.length - 1) return setLeaf(container, key, raw, schema, path, origin);
    if (container[key] === undefined) container[key] = unwrap(schema) instanceof z.ZodArray ? [] : {};
    node = container[key];
    if (!isPlainObject(node) && !Array.isArray(node)) {
      return problem('CONFIG_INVALID', dottedPath(path), `is not a mapping, so ${name} cannot set a key inside it${origin}`);
    }
  }
  return undefined;
}

/** The real key for one name segment at this level, or undefined if there is none. */
function keyFor(schema: z.ZodType, node: unknown, segment: string): string | undefined {
  const lower = segment.toLowerCase();
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape).find((k) => k.toLowerCase() === lower);
  if (schema instanceof z.ZodRecord) {
    // Record keys are free-form names: reuse the spelling a file already gave, else lower case, the
    // convention of account ids and component names (env names are usually upper case).
    return (isPlainObject(node) ? Object.keys(node).find((k) => k.toLowerCase() === lower) : undefined) ?? lower;
  }
  if (schema instanceof z.ZodArray && Array.isArray(node)) {
    if (/^\d+$/.test(segment)) return Number(segment) < node.length ? segment : undefined;
    const index = node.findIndex((item) => isPlainObject(item) && String(item.id).toLowerCase() === lower);
    return index >= 0 ? String(index) : undefined;
  }
  return undefined;
}

function setLeaf(container: Record<string, unknown>, key: string, raw: string, schema: z.ZodType, path: string[], origin: string): Problem | undefined {
  if (takesText(schema, (s) => s === secretField)) {
    container[key] = raw;
    return undefined;
  }
  const parsed = parseYamlText(raw);
  if (!parsed.ok) {
    const reasons = parsed.errors.map((e) => e.reason).join('; ');
    return problem('CONFIG_INVALID', dottedPath(path), `value is not valid YAML${origin}: ${reasons}`);
  }
  // null ("~" or "null") unsets the key, as it does in a file, so the default applies again.
  if (parsed.value === null) delete container[key];
  else container[key] = parsed.value;
  return undefined;
}

function schemaPath(path: readonly string[]): string {
  return path.length === 0 ? 'the top level' : path.join('.');
}
