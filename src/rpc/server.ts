import type { Logger } from '../main/audit/logger.js';
import { isLoopbackHost } from '../main/config/fields.js';
import type { OspreyConfig } from '../main/config/schema.js';
import type { ControlFacade } from '../main/control/facade.js';
import type { TokenAuthority } from './auth.js';
import { ServerCore, type RpcLimits } from './core.js';
import { loadUws } from './native-uws.js';
import type { Transport } from './transport.js';
import { listenUws } from './transport-uws.js';
import { listenWs } from './transport-ws.js';

/**
 * The JSON-RPC control server (CONTRACTS.md: WebSocket and POST at /rpc, GET /health and /metrics, on
 * 127.0.0.1:7400 by default). It runs on uWebSockets.js, or on `ws` when the native binding cannot
 * load (or `transport: 'ws'` asks for it); the facade's `engine.status` then reports which.
 */

export interface RpcServerOptions extends RpcLimits {
  readonly host: string;
  /** 0 picks a free port; `port` on the started server says which. */
  readonly port: number;
  /** auto: uWS when its binding loads, else ws. */
  readonly transport?: 'auto' | 'uws' | 'ws';
  readonly log?: Logger;
}

/** A client may leave this much unread (events and replies) before it is dropped as a slow consumer. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function rpcOptionsFromConfig(rpc: OspreyConfig['rpc'], log?: Logger): RpcServerOptions {
  return {
    host: rpc.host,
    port: rpc.port,
    maxConnections: rpc.maxConnections,
    maxFrameBytes: rpc.maxFrameBytes,
    maxBatch: rpc.maxBatch,
    requestsPerSecond: rpc.requestsPerSecond,
    allowNonLoopback: rpc.allowNonLoopback,
    maxBufferedBytes: Math.max(DEFAULT_MAX_BUFFERED_BYTES, 2 * rpc.maxFrameBytes),
    ...(log === undefined ? {} : { log }),
  };
}

export class RpcServer {
  readonly core: ServerCore;
  readonly #transport: Transport;
  readonly #facade: ControlFacade;
  #stopped: Promise<void> | undefined;

  private constructor(core: ServerCore, transport: Transport, facade: ControlFacade) {
    this.core = core;
    this.#transport = transport;
    this.#facade = facade;
  }

  /**
   * Listens, or throws an Error saying why: a non-loopback host without `allowNonLoopback` (checked
   * here as well as in the config schema, since the server may be built without a config), a port in
   * use, or `transport: 'uws'` when the binding does not load.
   */
  static async start(facade: ControlFacade, auth: TokenAuthority, options: RpcServerOptions): Promise<RpcServer> {
    if (!options.allowNonLoopback && !isLoopbackHost(options.host)) {
      throw new Error(
        `refusing to listen on ${options.host}: the control socket would be reachable from other machines, in clear. ` +
          'Listen on 127.0.0.1 (or ::1) and put a TLS proxy in front, then set rpc.allowNonLoopback: true if you must.',
      );
    }
    const core = new ServerCore(facade, auth, options, options.log);
    const choice = options.transport ?? 'auto';
    let transport: Transport;
    if (choice === 'ws') {
      transport = await listenWs(core, options.host, options.port);
    } else {
      const uws = loadUws();
      if (uws.ok) transport = await listenUws(uws.module, core, options.host, options.port);
      else if (choice === 'uws') throw new Error(`uWebSockets.js is required but ${uws.reason}`);
      else {
        options.log?.warn({ reason: uws.reason }, 'uWebSockets.js unavailable; using the ws fallback');
        transport = await listenWs(core, options.host, options.port);
      }
    }
    facade.transport = transport.name;
    options.log?.info({ host: options.host, port: transport.port, transport: transport.name }, 'rpc listening');
    return new RpcServer(core, transport, facade);
  }

  get transport(): 'uws' | 'ws' {
    return this.#transport.name;
  }

  get port(): number {
    return this.#transport.port;
  }

  /** Closes every connection and stops listening; safe to call twice. */
  stop(): Promise<void> {
    this.#stopped ??= this.#transport.close().then(() => {
      this.#facade.transport = 'none';
    });
    return this.#stopped;
  }
}
