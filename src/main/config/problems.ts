import type * as z from 'zod';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { secretField } from './fields.js';
import { scrubSecrets } from './secret.js';
import { closestKey, describeAllowed, objectKeys, schemaAt } from './schema-walk.js';

/**
 * Turns everything wrong with a config into problems an operator can act on: the dotted key path,
 * what was wrong, what is allowed. Values are described by type ("a string of 12 characters"),
 * never echoed, because the wrong value may be a secret in the wrong place.
 */

export type ProblemCode = 'CONFIG_INVALID' | 'CONFIG_UNREADABLE' | 'SECRET_MISSING' | 'SECRET_SOURCE_FAILED';

export interface Problem extends ConfigProblem {
  readonly code: ProblemCode;
}

export function problem(code: ProblemCode, path: string, message: string): Problem {
  return { code, path, message };
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

/** The most specific code wins, so a caller sees "the age file failed" rather than "invalid". */
const CODE_ORDER: readonly ProblemCode[] = ['CONFIG_UNREADABLE', 'SECRET_SOURCE_FAILED', 'SECRET_MISSING', 'CONFIG_INVALID'];

export function configErrorOf(problems: readonly Problem[]): ConfigError {
  const code = CODE_ORDER.find((c) => problems.some((p) => p.code === c)) ?? 'CONFIG_INVALID';
  // One line per problem, and a last scrub in case a value slipped into free text.
  const clean = problems.map((p) => ({ ...p, message: scrubSecrets(p.message).replace(/\s*\n\s*/g, ' ') }));
  return new ConfigError(clean, code);
}

const describeSecret = (s: z.ZodType): string | undefined => (s === secretField ? 'a secret reference "secret:NAME"' : undefined);

export function allowedAt(root: z.ZodType, path: readonly string[]): string {
  const schema = schemaAt(root, path);
  return schema === undefined ? 'nothing (unknown key)' : describeAllowed(schema, describeSecret);
}

/** Converts zod issues, skipping paths already explained by another problem (a failed secret). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], root: z.ZodType, skip: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    const dotted = dottedPath(path);
    if ([...skip].some((s) => dotted === s || dotted.startsWith(`${s}.`))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(unknownKeyProblem(root, path, key));
      continue;
    }
    out.push(problem('CONFIG_INVALID', dotted, messageFor(issue, root, path)));
  }
  return out;
}

export function unknownKeyProblem(root: z.ZodType, parent: readonly string[], key: string, origin = ''): Problem {
  const parentSchema = schemaAt(root, parent);
  const known = (parentSchema && objectKeys(parentSchema)) ?? [];
  const guess = closestKey(key, known);
  const where = parent.length === 0 ? 'at the top level' : `under ${parent.join('.')}`;
  return problem(
    'CONFIG_INVALID',
    dottedPath([...parent, key]),
    `unknown key${origin}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; allowed ${where}: ${known.join(', ')}`,
  );
}

function messageFor(issue: z.core.$ZodIssue, root: z.ZodType, path: readonly string[]): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? `required but missing; allowed: ${allowedAt(root, path)}`
        : `got ${describeValue(input)}; allowed: ${allowedAt(root, path)}`;
    case 'invalid_value':
      // An enum's options are words, not secrets: show a short word so the typo is visible.
      return typeof input === 'string' && /^[\w.:-]{1,24}$/.test(input)
        ? `got "${input}"; allowed: ${allowedAt(root, path)}`
        : `got ${describeValue(input)}; allowed: ${allowedAt(root, path)}`;
    case 'too_big':
    case 'too_small':
    case 'not_multiple_of':
      return `got ${describeValue(input)}; allowed: ${allowedAt(root, path)}`;
    case 'invalid_key':
      return `invalid name; ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_union':
      return `got ${describeValue(input)}; allowed: ${allowedAt(root, path)}`;
    case 'invalid_format':
      return issue.message.startsWith('allowed:') ? `malformed value; ${issue.message}` : issue.message;
    default:
      return issue.message;
  }
}

/** What a value is, without the value itself (numbers and booleans are safe to show). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return `a list of ${value.length} items`;
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
