import { LineCounter, parseDocument, type Tags } from 'yaml';

/**
 * YAML parsing for config files and environment values. Two deliberate departures from YAML 1.2:
 * hex and octal integers stay text, because `walletAddress: 0xAbC…` unquoted must not become a
 * float that lost its digits; and errors carry position and kind but never the parser's excerpt of
 * the source line, which could show a secret pasted on that line.
 */

export interface YamlError {
  readonly line: number;
  readonly col: number;
  /** The parser's one-line description, e.g. "Map keys must be unique". */
  readonly reason: string;
}

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly errors: readonly YamlError[] };

const withoutHexAndOctal = (tags: Tags): Tags =>
  tags.filter((tag) => typeof tag === 'string' || !(tag.tag === 'tag:yaml.org,2002:int' && 'format' in tag && (tag.format === 'HEX' || tag.format === 'OCT')));

export function parseYamlText(text: string): YamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, customTags: withoutHexAndOctal });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        // Messages of yaml's errors without prettyErrors are fixed phrases; keep only the first line anyway.
        return { line: pos.line, col: pos.col, reason: e.message.split('\n')[0] ?? e.code };
      }),
    };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
