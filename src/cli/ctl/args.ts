import { UsageError } from './client.js';

/** Argument helpers for ospreyctl subcommands: flags with values, key=value pairs, durations. */

/** Removes every `--name VALUE` / `--name=VALUE` from args and returns the values. */
export function takeAll(args: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; ) {
    const arg = args[i]!;
    if (arg === name) {
      const value = args[i + 1];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      values.push(value);
      args.splice(i, 2);
    } else if (arg.startsWith(`${name}=`)) {
      values.push(arg.slice(name.length + 1));
      args.splice(i, 1);
    } else i++;
  }
  return values;
}

export function takeOne(args: string[], name: string): string | undefined {
  const values = takeAll(args, name);
  if (values.length > 1) throw new UsageError(`${name} given more than once`);
  return values[0];
}

/** Removes a boolean `--name`; true if it was there. */
export function takeSwitch(args: string[], name: string): boolean {
  const at = args.indexOf(name);
  if (at === -1) return false;
  args.splice(at, 1);
  return true;
}

export function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer, got "${text}"`);
  return n;
}

/** "90s", "15m", "2h", "1d" (or plain seconds) as milliseconds. */
export function duration(text: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text);
  if (match === null) throw new UsageError(`${name} must be a duration such as 90s, 15m, 2h or 1d, got "${text}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit * 1000;
}

/**
 * key=value pairs as an object. Values that read as JSON (numbers, true/false, null, quoted strings,
 * lists, objects) are taken as such, anything else as text: fast=8 is a number, mode=fast a string.
 */
export function pairs(args: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, got "${arg}"`);
    const key = arg.slice(0, eq);
    const raw = arg.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: the text itself.
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Refuses whatever a command did not consume, so a typo'd flag is an error, not ignored. */
export function noneLeft(args: readonly string[], usage: string): void {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"; usage: ${usage}`);
}
