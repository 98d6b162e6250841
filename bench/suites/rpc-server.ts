import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClock } from '../../src/core/clock.js';
import { Logging } from '../../src/main/audit/logger.js';
import { loadConfig } from '../../src/main/config/load.js';
import { ControlFacade } from '../../src/main/control/facade.js';
import { Engine } from '../../src/main/engine/engine.js';
import { LatencyRegistry } from '../../src/main/metrics/latency.js';
import { TokenAuthority } from '../../src/rpc/auth.js';
import { loadUws } from '../../src/rpc/native-uws.js';
import { DEFAULT_MAX_BUFFERED_BYTES, RpcServer } from '../../src/rpc/server.js';

/**
 * The server side of the rpc benchmark, run as a child process (fork) so its CPU time is its own:
 * `uws` and `ws` are the real control server over a real engine (temp data dir), differing only in
 * transport; `echo` is a bare uWebSockets.js echo at /rpc, no JSON-RPC: the floor. It reports
 * {type:'listening', port, token} on the IPC channel, answers {type:'cpu'} with its process.cpuUsage(),
 * and exits on {type:'stop'} or when the parent goes away.
 */

type Mode = 'uws' | 'ws' | 'echo';
export type ServerMessage = { type: 'listening'; port: number; token: string } | { type: 'cpu'; user: number; system: number };

async function serveEcho(): Promise<{ port: number; stop: () => Promise<void> }> {
  const uws = loadUws();
  if (!uws.ok) throw new Error(`the echo floor needs uWebSockets.js: ${uws.reason}`);
  const app = uws.module.App();
  app.ws('/rpc', { maxPayloadLength: 1024 * 1024, idleTimeout: 120, message: (ws, message, isBinary) => void ws.send(message, isBinary) });
  const port = await new Promise<number>((resolve, reject) => {
    app.listen('127.0.0.1', 0, (socket) => (socket === false ? reject(new Error('echo: cannot listen')) : resolve(uws.module.us_socket_local_port(socket))));
  });
  return { port, stop: async () => (app as typeof app & { close(): void }).close() };
}

async function serveRpc(transport: 'uws' | 'ws', token: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-rpc-'));
  const config = await loadConfig({ env: { OSPREY_DATADIR: dir }, cwd: dir });
  const engine = new Engine(config, new LiveClock(), new Logging({ level: 'silent', stdout: false }), () => {});
  await engine.start();
  const latency = await LatencyRegistry.create();
  const facade = new ControlFacade(engine, { latency, requestShutdown: () => {} });
  const server = await RpcServer.start(facade, new TokenAuthority(token), {
    host: '127.0.0.1',
    port: 0,
    maxConnections: 64,
    maxFrameBytes: 1024 * 1024,
    maxBatch: 100,
    // The benchmark measures the server, not the limiter's refusals.
    requestsPerSecond: 100_000,
    maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
    allowNonLoopback: false,
    transport,
  });
  return {
    port: server.port,
    stop: async () => {
      await server.stop();
      facade.close();
      await engine.stop();
      latency.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const mode = process.argv[2] as Mode;
  if (!['uws', 'ws', 'echo'].includes(mode) || process.send === undefined) throw new Error('usage: fork rpc-server.js uws|ws|echo (with an IPC channel)');
  const token = randomBytes(24).toString('base64url');
  const server = mode === 'echo' ? await serveEcho() : await serveRpc(mode, token);
  const send = (message: ServerMessage) => process.send!(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', user, system });
    } else if (message.type === 'stop') {
      void server.stop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
  send({ type: 'listening', port: server.port, token });
}

main().catch((error: unknown) => {
  process.stderr.write(`rpc bench server failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
