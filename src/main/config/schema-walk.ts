import * as z from 'zod';

/**
 * Navigation of the config schema by key path. The loader uses it to match environment variables to
 * keys, to find the fields that hold secrets, and to say what a field allows; `isRuntimeUpdatable`
 * uses it to find the marks. Kept apart from schema.ts so the schema file stays a readable list of
 * fields.
 */

type Schema = z.ZodType;

/** The wrapper layers of a field (optional, default, ...) from outside in, ending at the real type. */
export function layersOf(schema: Schema): Schema[] {
  const layers: Schema[] = [schema];
  let current = schema;
  for (;;) {
    const next = innerOf(current);
    if (next === undefined) return layers;
    layers.push(next);
    current = next;
  }
}

function innerOf(schema: Schema): Schema | undefined {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodReadonly ||
    schema instanceof z.ZodNonOptional ||
    schema instanceof z.ZodCatch
  ) {
    return schema.def.innerType as Schema;
  }
  if (schema instanceof z.ZodPipe) return schema.def.in as Schema;
  return undefined;
}

/** The real type under optional/default/... wrappers. */
export function unwrap(schema: Schema): Schema {
  const layers = layersOf(schema);
  return layers[layers.length - 1] ?? schema;
}

/** The keys an object field accepts, or undefined when the field is not an object. */
export function objectKeys(schema: Schema): string[] | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : undefined;
}

/**
 * The schema of `key` under `schema`: an object's field, a record's value, or a list's element (for
 * lists any segment is accepted, an index or a strategy id alike). Undefined for an unknown key.
 */
export function childSchema(schema: Schema, key: string): Schema | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, Schema>;
    return Object.hasOwn(shape, key) ? shape[key] : undefined;
  }
  if (inner instanceof z.ZodRecord) return inner.def.valueType as Schema;
  if (inner instanceof z.ZodArray) return inner.def.element as Schema;
  return undefined;
}

/** Every schema from the root to the end of `path` (root first), or undefined if the path leaves the schema. */
export function schemasAlong(root: Schema, path: readonly string[]): Schema[] | undefined {
  const along: Schema[] = [root];
  let current = root;
  for (const key of path) {
    const next = childSchema(current, key);
    if (next === undefined) return undefined;
    along.push(next);
    current = next;
  }
  return along;
}

export function schemaAt(root: Schema, path: readonly string[]): Schema | undefined {
  return schemasAlong(root, path)?.at(-1);
}

/** True when a value for this field is text as written (so an env value "0x12" stays a string). */
export function takesText(schema: Schema, isTextLeaf: (s: Schema) => boolean): boolean {
  const inner = unwrap(schema);
  return inner instanceof z.ZodString || inner instanceof z.ZodStringFormat || inner instanceof z.ZodEnum || isTextLeaf(inner);
}

/** "a number > 0 and <= 100", "one of "paper", "live"", ... for "what is allowed" in problem text. */
export function describeAllowed(schema: Schema, describeCustom: (s: Schema) => string | undefined): string {
  const inner = unwrap(schema);
  const custom = describeCustom(inner);
  if (custom !== undefined) return custom;
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.map((o) => JSON.stringify(o)).join(', ')}`;
  if (inner instanceof z.ZodBoolean) return 'true or false';
  if (inner instanceof z.ZodNumber) return describeNumber(inner);
  if (inner instanceof z.ZodURL) return 'a URL';
  if (inner instanceof z.ZodString) return (inner.minLength ?? 0) > 0 ? 'a non-empty string' : 'a string';
  if (inner instanceof z.ZodArray) return `a list of ${describeAllowed(inner.def.element as Schema, describeCustom)}`;
  if (inner instanceof z.ZodRecord) return `a mapping of names to ${describeAllowed(inner.def.valueType as Schema, describeCustom)}`;
  if (inner instanceof z.ZodObject) return `a mapping with keys ${Object.keys(inner.shape).join(', ')}`;
  return 'a JSON value (string, number, boolean, list or mapping)';
}

function describeNumber(schema: z.ZodNumber): string {
  const parts: string[] = [schema.isInt ? 'an integer' : 'a number'];
  const bounds: string[] = [];
  for (const check of schema.def.checks ?? []) {
    const def = check._zod.def as { check: string; value?: unknown; inclusive?: boolean };
    if (def.check === 'greater_than') bounds.push(`${def.inclusive ? '>=' : '>'} ${String(def.value)}`);
    if (def.check === 'less_than') bounds.push(`${def.inclusive ? '<=' : '<'} ${String(def.value)}`);
  }
  if (bounds.length > 0) parts.push(bounds.join(' and '));
  return parts.join(' ');
}

/** The closest known key, for "did you mean" hints on typos; undefined when nothing is close. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
