import { scrubSecrets } from '../../main/config/secret.js';
import { takeOne, takeSwitch, positiveInt } from './args.js';
import { resolveEndpoint, RpcClient, RpcReplyError, RuntimeFailure, UsageError } from './client.js';
import { COMMANDS } from './commands.js';

/**
 * ospreyctl's entry point as a function (the bin calls it; tests call it in-process): global flags,
 * the command, and the mapping of failures to exit codes.
 */

/** Error codes that mean the command line was wrong, not the engine: invalid request, method, params. */
const CALLER_ERRORS = new Set([-32600, -32601, -32602]);

function usage(): string {
  const width = Math.max(...Object.entries(COMMANDS).map(([name, c]) => `${name} ${c.usage}`.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.usage}`.padEnd(width)}  ${c.summary}`);
  return `usage: ospreyctl [--url URL] [--token-file FILE] [--json] [--timeout MS] COMMAND [ARGS]

commands:
${lines.join('\n')}

URL: --url, else OSPREYCTL_URL, else http://127.0.0.1:7400/rpc.
Token: --token-file, else OSPREYCTL_TOKEN_FILE, else OSPREYCTL_TOKEN, else $OSPREY_DATADIR/rpc.token (./var/rpc.token).
Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
`;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, out = (text: string) => void process.stdout.write(text)): Promise<number> {
  const args = [...argv];
  const err = (text: string) => void process.stderr.write(scrubSecrets(text));
  try {
    if (args.length === 0) {
      err(usage());
      return 2;
    }
    if (takeSwitch(args, '--help') || takeSwitch(args, '-h') || args[0] === 'help') {
      out(usage());
      return 0;
    }
    const url = takeOne(args, '--url');
    const tokenFile = takeOne(args, '--token-file');
    const timeoutMs = positiveInt(takeOne(args, '--timeout'), '--timeout');
    const json = takeSwitch(args, '--json');
    const name = args.shift();
    const command = name === undefined ? undefined : COMMANDS[name];
    if (command === undefined || !Object.hasOwn(COMMANDS, name!)) throw new UsageError(name === undefined ? 'no command given' : `unknown command "${name}"`);
    const endpoint = await resolveEndpoint({ ...(url === undefined ? {} : { url }), ...(tokenFile === undefined ? {} : { tokenFile }), ...(timeoutMs === undefined ? {} : { timeoutMs }) }, env);
    return await command.run({ args, client: new RpcClient(endpoint), json, out, err });
  } catch (error) {
    if (error instanceof UsageError) {
      err(`ospreyctl: ${error.message}\n(ospreyctl --help lists the commands)\n`);
      return 2;
    }
    if (error instanceof RpcReplyError) {
      const detail = error.data !== undefined ? ` ${JSON.stringify(error.data)}` : '';
      err(`ospreyctl: ${error.message} (code ${error.code})${detail}\n`);
      return CALLER_ERRORS.has(error.code) ? 2 : 1;
    }
    if (error instanceof RuntimeFailure) {
      err(`ospreyctl: ${error.message}\n`);
      return 1;
    }
    err(`ospreyctl: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

