/**
 * Human output for ospreyctl: aligned tables and key/value blocks. Numbers right-aligned, everything
 * else left; nested values printed as compact JSON so nothing is hidden. Scripts use --json instead.
 */

export type Row = Readonly<Record<string, unknown>>;

export interface Column {
  readonly key: string;
  readonly title?: string;
  readonly format?: (value: unknown, row: Row) => string;
}

export function cell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function table(rows: readonly Row[], columns: readonly (Column | string)[], empty = '(none)'): string {
  if (rows.length === 0) return `${empty}\n`;
  const cols = columns.map((c) => (typeof c === 'string' ? { key: c } : c));
  const header = cols.map((c) => c.title ?? c.key);
  const body = rows.map((row) => cols.map((c) => (c.format ? c.format(row[c.key], row) : cell(row[c.key]))));
  const isNumber = (text: string) => /^-?[\d.,]+(e[+-]?\d+)?( ?[a-zµ%]+)?$/i.test(text);
  // A column of numbers (and dashes for none) is right-aligned; a column of dashes alone is not.
  const numeric = cols.map((_, i) => body.some((r) => isNumber(r[i]!)) && body.every((r) => isNumber(r[i]!) || r[i] === '-'));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')}\n`;
}

/** "key: value" lines, keys aligned. */
export function keyValues(entries: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(entries);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${`${k}:`.padEnd(width + 1)} ${cell(entries[k])}`).join('\n') + '\n';
}

/** Microseconds as the unit a person reads best: 850us, 12.3ms, 1.20s. */
export function micros(us: number): string {
  if (us < 1000) return `${Math.round(us)}us`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

export function timestamp(ms: unknown): string {
  return typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}
