import type { Logging } from '../main/audit/logger.js';
import type { OspreyConfig } from '../main/config/schema.js';
import { ControlFacade } from '../main/control/facade.js';
import type { Engine } from '../main/engine/engine.js';
import { LatencyRegistry } from '../main/metrics/latency.js';
import { TokenAuthority } from '../rpc/auth.js';
import { RpcServer, rpcOptionsFromConfig } from '../rpc/server.js';

/**
 * Hands a started engine's control facade to the JSON-RPC server: the one place that knows both the
 * engine and src/rpc (the engine never imports the RPC layer). Used by `osprey start`.
 */
export interface ControlPlane {
  readonly facade: ControlFacade;
  readonly server: RpcServer;
  /** Closes the server (every connection), then releases the facade's sampler and histograms. */
  stop(): Promise<void>;
}

/**
 * `latency`: the registry the hot path records into, when the caller built one to share (it then stays
 * the caller's to destroy); otherwise one is made here for the RPC stage alone.
 */
export async function startControlPlane(
  engine: Engine,
  config: OspreyConfig,
  logging: Logging,
  requestShutdown: (reason: string) => void,
  shared?: LatencyRegistry,
): Promise<ControlPlane> {
  const log = logging.forComponent('rpc');
  const latency = shared ?? (await LatencyRegistry.create());
  const release = () => {
    if (shared === undefined) latency.destroy();
  };
  const facade = new ControlFacade(engine, { latency, controls: engine.controls, requestShutdown, log: logging.forComponent('control') });
  try {
    const { authority, tokenFile } = await TokenAuthority.fromConfig(config);
    if (tokenFile?.created === true) log.info({ file: tokenFile.path }, 'rpc token created (mode 0600)');
    if (tokenFile?.tightenedFrom !== undefined) log.warn({ file: tokenFile.path, was: tokenFile.tightenedFrom }, 'rpc token file was readable by others; made 0600');
    const server = await RpcServer.start(facade, authority, rpcOptionsFromConfig(config.rpc, log));
    log.info({ histograms: latency.build }, 'latency histograms ready');
    return {
      facade,
      server,
      stop: async () => {
        try {
          await server.stop();
        } finally {
          facade.close();
          release();
        }
      },
    };
  } catch (error) {
    facade.close();
    release();
    throw error;
  }
}
