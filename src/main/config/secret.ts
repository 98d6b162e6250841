import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/** Every secret value ever loaded, so the logger can scrub one that slipped into free text. */
const knownValues = new Set<string>();

/**
 * A secret value that prints as [REDACTED] in every form (String, JSON, util.inspect, template
 * strings). Only `reveal()` gives the value, so a leak needs an explicit call that a reviewer sees.
 */
export class Secret {
  readonly #value: string;
  /** Where it came from ("age:secrets.age#hyperliquid_private_key"), safe to print. */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
    // Very short values would make the scrubber redact ordinary words; they are rejected by the schema.
    if (value.length >= 6) knownValues.add(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/** Replaces every known secret value in `text`. The last line of defence, for logs and error text. */
export function scrubSecrets(text: string): string {
  if (knownValues.size === 0) return text;
  let out = text;
  for (const value of knownValues) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out;
}

export { REDACTED };
