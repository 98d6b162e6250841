import { existsSync, readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { LiveClock, type Clock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';
import { Logging } from '../../main/audit/logger.js';
import { FaultInjector, parseFaultSpec } from '../../sim/engine/faults.js';
import { AcceleratedClock } from '../../sim/engine/replay-clock.js';
import { createSimVenue } from '../../sim/engine/venue.js';
import { startHyperliquidServer } from '../../sim/hyperliquid/server.js';
import type { TransportFaults } from '../../sim/hyperliquid/transport-faults.js';

/**
 * `osprey sim`: the simulated venue alone, behind the Hyperliquid protocol server on 127.0.0.1
 * (CONTRACTS.md). Runs until SIGINT / SIGTERM, then closes every socket and exits 0; a bad flag exits 2.
 */

const USAGE = `usage: osprey sim [--port N] [--data FILE] [--seed N] [--faults SPEC] [--balance N] [--accounts FILE] [--testnet] [--speed X]

  Serves Hyperliquid's API (POST /info, POST /exchange, WebSocket /ws) on 127.0.0.1 in front of the
  simulated venue. Any new signer gets an account funded with --balance USDC unless --accounts lists
  the only accounts allowed.
  --port N        port to listen on (default 0: any free port; the "listening" log line names it)
  --data FILE     BTC market data: a recorded Hyperliquid or Binance USD-M feed (.gz) or 1m candles (.csv); default the bundled Hyperliquid feed
  --seed N        seed for fault decisions (default 1)
  --faults SPEC   e.g. latency=20-80ms,drop=0.01,dup=0.01,reorder=0.01,disconnect=30s,http429=0.05,http5xx=0.02,timeout=0.01
  --balance N     USDC for each new account (default 100000)
  --accounts FILE the only accounts allowed: a JSON array of addresses, or one address per line (# comments)
  --testnet       expect testnet signatures (phantom agent source "b") instead of mainnet ("a")
  --speed X       venue time runs X times as fast as the wall clock (default 1)
`;

export interface SimArgs {
  readonly port: number;
  readonly dataFile: string | undefined;
  readonly seed: number;
  readonly faults: string;
  readonly balance: number;
  readonly accounts: readonly string[] | undefined;
  readonly testnet: boolean;
  readonly speed: number;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function readAccounts(file: string): string[] | string {
  if (!existsSync(file)) return `--accounts: no such file ${file}`;
  const text = readFileSync(file, 'utf8');
  let entries: unknown;
  try {
    entries = text.trimStart().startsWith('[') ? JSON.parse(text) : text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '');
  } catch (error) {
    return `--accounts: ${file} is not a JSON array: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!Array.isArray(entries) || entries.length === 0) return `--accounts: ${file} lists no accounts`;
  const bad = entries.find((e) => typeof e !== 'string' || !ADDRESS.test(e));
  if (bad !== undefined) return `--accounts: ${JSON.stringify(bad)} is not a 0x-prefixed 20-byte hex address`;
  return (entries as string[]).map((e) => e.toLowerCase());
}

/** The parsed flags, or the one-line problem that makes them unusable. */
export function parseSimArgs(args: readonly string[]): SimArgs | string {
  const parsed: { -readonly [K in keyof SimArgs]: SimArgs[K] } = {
    port: 0,
    dataFile: undefined,
    seed: 1,
    faults: '',
    balance: 100_000,
    accounts: undefined,
    testnet: false,
    speed: 1,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string;
    if (flag === '--testnet') {
      parsed.testnet = true;
      continue;
    }
    const value = args[i + 1];
    if (!['--port', '--data', '--seed', '--faults', '--balance', '--accounts', '--speed'].includes(flag)) return `unknown option "${flag}"`;
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    i++;
    const n = Number(value);
    switch (flag) {
      case '--port':
        if (!Number.isInteger(n) || n < 0 || n > 65535) return `--port needs an integer from 0 to 65535, got ${JSON.stringify(value)}`;
        parsed.port = n;
        break;
      case '--seed':
        if (!Number.isSafeInteger(n)) return `--seed needs an integer, got ${JSON.stringify(value)}`;
        parsed.seed = n;
        break;
      case '--balance':
        if (!Number.isFinite(n) || n <= 0) return `--balance needs a positive number, got ${JSON.stringify(value)}`;
        parsed.balance = n;
        break;
      case '--speed':
        if (!Number.isFinite(n) || n <= 0) return `--speed needs a positive number, got ${JSON.stringify(value)}`;
        parsed.speed = n;
        break;
      case '--data':
        if (!existsSync(value)) return `--data: no such file ${value}`;
        if (!value.endsWith('.gz') && !value.endsWith('.csv')) return `--data: expected a recorded feed (.gz) or candles (.csv), got ${value}`;
        parsed.dataFile = value;
        break;
      case '--faults':
        parsed.faults = value;
        break;
      case '--accounts': {
        const accounts = readAccounts(value);
        if (typeof accounts === 'string') return accounts;
        parsed.accounts = accounts;
        break;
      }
    }
  }
  return parsed;
}

export interface SimIo {
  readonly stderr: (text: string) => void;
  /** Extra log destination (tests capture the "listening" line here). */
  readonly logDestination?: DestinationStream;
  /** Resolves when the simulator should stop; default: the first SIGINT or SIGTERM. */
  readonly stopped?: Promise<unknown>;
  readonly clock?: Clock;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The command with its I/O injectable, so tests run it in-process and stop it without signals. */
export async function runSimulator(args: readonly string[], io: SimIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseSimArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`osprey sim: ${parsed}\n${USAGE}`);
    return 2;
  }
  let faults: FaultInjector;
  try {
    faults = new FaultInjector(parseFaultSpec(parsed.faults), parsed.seed);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`osprey sim: bad --faults:\n${error.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}\n`);
    return 2;
  }
  // Listen for signals before the (slow) data load, so a stop during start-up is still a clean exit 0.
  const stopped = io.stopped ?? untilSignal();
  const logging = new Logging({ level: 'info', ...(io.logDestination === undefined ? {} : { destination: io.logDestination }) });
  const log = logging.forComponent('sim');
  const wallClock = io.clock ?? new LiveClock();
  const venue = createSimVenue({
    clock: parsed.speed === 1 ? wallClock : new AcceleratedClock(parsed.speed, wallClock),
    balance: parsed.balance,
    ...(parsed.dataFile === undefined ? {} : { dataFile: parsed.dataFile }),
    ...(parsed.accounts === undefined ? {} : { accounts: parsed.accounts }),
  });
  venue.start();
  const network = parsed.testnet ? 'testnet' : 'mainnet';
  const server = await startHyperliquidServer({
    venue,
    port: parsed.port,
    network,
    faults: faults satisfies TransportFaults,
    clock: wallClock,
    onError: (error) => log.error({ err: error }, 'request failed'),
  });
  const faultSpec = parsed.faults === '' ? 'none' : parsed.faults;
  log.info(
    { port: server.port, http: server.httpUrl, ws: server.wsUrl, network, markets: venue.describeData(), faults: faultSpec, seed: parsed.seed },
    'listening',
  );
  const reason = await stopped;
  await server.close();
  venue.stop();
  log.info({ reason: typeof reason === 'string' ? reason : 'stopped', faultsInjected: faults.counts() }, 'stopped');
  logging.flush();
  return 0;
}

export function simCommand(args: string[]): Promise<number> {
  return runSimulator(args, { stderr: (text) => process.stderr.write(text) });
}
