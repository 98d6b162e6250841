import type { OspreyConfig } from './schema.js';
import { REDACTED, Secret, scrubSecrets } from './secret.js';

/**
 * The config as plain JSON for RPC `config.get` and logs: every Secret becomes "[REDACTED]", and
 * any string that happens to contain a known secret value (a key pasted into strategy params) is
 * scrubbed too. The result shares nothing with the frozen config, so callers may serialise or edit it.
 */

/** The JSON shape of T with every Secret replaced by a string. */
export type Redacted<T> = T extends Secret
  ? string
  : T extends readonly (infer U)[]
    ? Redacted<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Redacted<T[K]> }
      : T;

export function redactedConfig(config: OspreyConfig): Redacted<OspreyConfig> {
  return redactValue(config) as Redacted<OspreyConfig>;
}

function redactValue(value: unknown): unknown {
  if (value instanceof Secret) return REDACTED;
  if (typeof value === 'string') return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const redacted = redactValue(child);
      if (redacted !== undefined) out[key] = redacted;
    }
    return out;
  }
  // Numbers, booleans and null are JSON already; functions and symbols have no place in a config.
  return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? undefined : value;
}
