#!/usr/bin/env node
/**
 * `ospreyctl [--url URL] [--token-file FILE] [--json] [--timeout MS] COMMAND [ARGS]`: the engine's
 * JSON-RPC client, the way bitcoin-cli drives bitcoind. Exit codes (CONTRACTS.md): 0 success;
 * 1 runtime failure (engine unreachable, an error reply from the engine, health failing);
 * 2 usage or configuration error (bad arguments, unreadable token file, refused token, invalid params).
 */
import { main } from './ctl/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
