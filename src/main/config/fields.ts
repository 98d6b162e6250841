import * as z from 'zod';
import { Secret } from './secret.js';

/**
 * The building blocks the config schema is made of: the secret field, and the small field types
 * several sections share. schema.ts is then a readable list of sections.
 */

/** Shorter secrets would make the log scrubber (secret.ts) redact ordinary words. */
export const MIN_SECRET_LENGTH = 8;
/** How a config file names a secret: "secret:NAME", NAME being a key in the age file or Vault secret. */
export const SECRET_REF = /^secret:([A-Za-z0-9_][A-Za-z0-9_./-]{0,127})$/;

/**
 * A field that holds a secret. Files say "secret:NAME"; the loader swaps in a `Secret` before
 * validation, so a plain string reaching this schema is a value pasted in clear.
 */
export const secretField = z
  .custom<Secret>((value) => value instanceof Secret, { error: (issue) => secretFieldProblem(issue.input) })
  .refine((secret) => secret.reveal().length >= MIN_SECRET_LENGTH, {
    error: (issue) =>
      `the secret from ${issue.input instanceof Secret ? issue.input.source : 'its source'} is too short; allowed: at least ${MIN_SECRET_LENGTH} characters`,
  });

function secretFieldProblem(input: unknown): string {
  if (typeof input === 'string' && input.startsWith('secret:')) {
    return 'malformed secret reference; allowed: "secret:NAME" (NAME: letters, digits, _ . / -)';
  }
  if (typeof input === 'string') {
    return 'a secret may not be written in clear; write "secret:NAME" and store the value under NAME in the age file (secrets.ageFile) or Vault (secrets.vault)';
  }
  return `expected a secret reference, got ${input === undefined ? 'nothing' : typeof input}; allowed: "secret:NAME"`;
}

/** 127.0.0.0/8, ::1 and localhost: the addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

export const port = z.int().min(0).max(65535);
export const filePath = z.string().min(1);
export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
export const wsUrl = z.url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL' });
export const logLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const nameKey = z.string().regex(NAME, { error: 'allowed: 1-64 letters, digits, _ . : - (starting with a letter or digit)' });
