import { join } from 'node:path';
import { LiveClock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';
import { Logging } from '../../main/audit/logger.js';
import { loadConfig } from '../../main/config/load.js';
import type { OspreyConfig } from '../../main/config/schema.js';
import { scrubSecrets } from '../../main/config/secret.js';
import { Engine } from '../../main/engine/engine.js';
import { startControlPlane, type ControlPlane } from '../control-plane.js';
import { startPaperVenue, type PaperVenue } from '../paper-venue.js';

/**
 * `osprey start [--config FILE]`: builds the engine from config, starts it, opens the JSON-RPC control
 * socket on its facade (control-plane.ts), logs `ready` (with the socket's port), and on SIGINT
 * or SIGTERM stops it (components in reverse order, state and logs flushed) within the configured
 * shutdown timeout (at most 10 s), exiting 0. A configuration problem exits 2 before anything starts.
 */
export async function startCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`osprey start: ${parsed}\nusage: osprey start [--config FILE]\n`);
    return 2;
  }

  let config: OspreyConfig;
  try {
    config = await loadConfig(parsed.file === undefined ? {} : { file: parsed.file });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(scrubSecrets(`${error.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}\n`));
      return 2;
    }
    throw error;
  }

  const logging = new Logging({
    level: config.log.level,
    components: config.log.components,
    ...(config.log.file.enabled ? { file: join(config.dataDir, 'logs', 'osprey.log') } : {}),
  });
  const log = logging.forComponent('engine');

  let stopping: Promise<number> | undefined;
  let control: ControlPlane | undefined;
  let exitWith: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exitWith = resolve));
  // Paper mode: the simulated venue runs in this process on 127.0.0.1, and the engine trades on it
  // through the same adapter as on the live venue.
  let paper: PaperVenue | undefined;
  if (config.mode !== 'live' && config.strategies.some((s) => s.enabled)) {
    try {
      paper = await startPaperVenue(config);
    } catch (error) {
      log.fatal({ err: error }, 'paper venue failed to start');
      logging.flush();
      return 1;
    }
    log.info({ rest: paper.restUrl, account: paper.walletAddress, data: paper.data, stateDir: paper.stateDir }, 'paper venue listening');
  }
  const engine = new Engine(config, new LiveClock(), logging, (policy, error) => {
    log.fatal({ err: error, policy }, 'severe error: stopping the engine');
    void shutdown(`severe error (${policy})`, 1);
  }, paper === undefined ? {} : { paper, stateDir: paper.stateDir });

  function shutdown(reason: string, exitCode: number): Promise<number> {
    stopping ??= (async () => {
      log.info({ reason }, 'stopping');
      const deadline = setTimeout(() => {
        log.fatal({ timeoutMs: config.shutdown.timeoutMs }, 'shutdown deadline passed; exiting without a clean stop');
        logging.flush();
        process.exit(1);
      }, config.shutdown.timeoutMs);
      try {
        // The control socket closes first: no command may arrive while the engine stops.
        await control?.stop().catch((error: unknown) => log.error({ err: error }, 'rpc server stop failed'));
        await engine.stop();
        await paper?.close();
        log.info({ exitCode }, 'stopped');
        return exitCode;
      } catch (error) {
        log.error({ err: error }, 'stop failed');
        return 1;
      } finally {
        clearTimeout(deadline);
        logging.flush();
      }
    })();
    void stopping.then(exitWith);
    return stopping;
  }

  // Signals are taken from here on: one that arrives while starting stops the engine once it is up.
  let signalled: NodeJS.Signals | undefined;
  let ready = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      signalled ??= signal;
      if (ready) void shutdown(signal, 0);
    });
  }

  try {
    await engine.start();
  } catch (error) {
    log.fatal({ err: error }, 'start failed');
    await engine.stop().catch(() => undefined);
    await paper?.close();
    logging.flush();
    return 1;
  }
  try {
    control = await startControlPlane(engine, config, logging, (reason) => void shutdown(reason, 0), engine.latency);
  } catch (error) {
    log.fatal({ err: error }, 'control socket failed to start');
    await engine.stop().catch((e: unknown) => log.error({ err: e }, 'stop failed'));
    await paper?.close();
    logging.flush();
    return 1;
  }
  const rpc = { host: config.rpc.host, port: control.server.port, transport: control.server.transport };
  log.info({ mode: config.mode, dataDir: config.dataDir, pid: process.pid, rpc }, 'ready');
  ready = true;
  if (signalled !== undefined) void shutdown(signalled, 0);
  return exited;
}

function parseArgs(args: string[]): { file?: string } | string {
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--config') {
      file = args[++i];
      if (file === undefined) return '--config needs a FILE';
    } else if (arg.startsWith('--config=')) {
      file = arg.slice('--config='.length);
    } else {
      return `unknown argument "${arg}"`;
    }
  }
  return file === undefined ? {} : { file };
}
