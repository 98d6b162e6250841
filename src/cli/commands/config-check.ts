import { ConfigError } from '../../core/errors.js';
import { loadConfig } from '../../main/config/load.js';
import { scrubSecrets } from '../../main/config/secret.js';

/**
 * `osprey config check FILE`: loads FILE exactly as `osprey start --config FILE` would (defaults,
 * environment overrides, secrets from the age file or Vault) without starting anything. Exit 0 and
 * "ok: FILE" when valid; exit 2 with one line per problem on stderr otherwise (CONTRACTS.md).
 */

const DEFAULT_VAULT_DEADLINE_MS = 5000;

const USAGE = `usage: osprey config check FILE [--vault-deadline-ms N]

  Validates FILE layered over the defaults and OSPREY_* environment variables, and resolves its
  secrets. Exit 0 if valid, 2 with one line per problem.
  --vault-deadline-ms N   how long to retry an unreachable or sealed Vault (default ${DEFAULT_VAULT_DEADLINE_MS})
`;

export async function configCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === '--help' || subcommand === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (subcommand !== 'check') return usageError(subcommand === undefined ? 'missing subcommand' : `unknown subcommand "${subcommand}"`);
  const parsed = parseCheckArgs(rest);
  if (typeof parsed === 'string') return usageError(parsed);

  try {
    await loadConfig({ file: parsed.file, vaultDeadlineMs: parsed.vaultDeadlineMs });
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      // Not a config problem but a bug; still never let a secret out in its text.
      process.stderr.write(scrubSecrets(`osprey config check: internal error: ${error instanceof Error ? error.message : String(error)}\n`));
      return 1;
    }
    const lines = error.problems.map((p) => `${p.path}: ${p.message}`);
    process.stderr.write(scrubSecrets(`${lines.join('\n')}\n`));
    return 2;
  }
  process.stdout.write(`ok: ${parsed.file}\n`);
  return 0;
}

function parseCheckArgs(args: string[]): { file: string; vaultDeadlineMs: number } | string {
  let file: string | undefined;
  let vaultDeadlineMs = DEFAULT_VAULT_DEADLINE_MS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--vault-deadline-ms') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 100) return '--vault-deadline-ms needs an integer >= 100';
      vaultDeadlineMs = value;
    } else if (arg.startsWith('-')) {
      return `unknown option "${arg}"`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return 'only one FILE may be checked at a time';
    }
  }
  return file === undefined ? 'missing FILE' : { file, vaultDeadlineMs };
}

function usageError(reason: string): number {
  process.stderr.write(`osprey config: ${reason}\n${USAGE}`);
  return 2;
}
