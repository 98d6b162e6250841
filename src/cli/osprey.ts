#!/usr/bin/env node
/**
 * The `osprey` command. Each subcommand lives in src/cli/commands and returns an exit code:
 * 0 success, 1 runtime failure, 2 usage or configuration error (CONTRACTS.md).
 */
import { scrubSecrets } from '../main/config/secret.js';

const USAGE = `usage: osprey <command> [options]

commands:
  start [--config FILE]     run the engine
  config check FILE         validate a config file (exit 0 valid, 2 invalid)
  sim [--port N] [--data FILE] [--seed N] [--faults SPEC]   the simulated venue alone (Hyperliquid API on 127.0.0.1)
`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.js')).startCommand,
  config: async () => (await import('./commands/config-check.js')).configCommand,
  sim: async () => (await import('./commands/sim.js')).simCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`osprey: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(scrubSecrets(`osprey: ${error instanceof Error ? error.message : String(error)}\n`));
    process.exitCode = 1;
  },
);
