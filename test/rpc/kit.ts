import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { LiveClock } from '../../src/core/clock.js';
import { Logging } from '../../src/main/audit/logger.js';
import { loadConfig } from '../../src/main/config/load.js';
import type { OspreyConfig } from '../../src/main/config/schema.js';
import { ControlFacade } from '../../src/main/control/facade.js';
import { Engine } from '../../src/main/engine/engine.js';
import { LatencyRegistry } from '../../src/main/metrics/latency.js';
import { TokenAuthority } from '../../src/rpc/auth.js';
import { DEFAULT_MAX_BUFFERED_BYTES, RpcServer, type RpcServerOptions } from '../../src/rpc/server.js';
import { TEST_SECRETS } from '../kit/secrets.js';

/**
 * A real engine (temp data dir, the embedded default config) with its control facade behind a real
 * RPC server on 127.0.0.1, and clients that talk to it over real sockets: HTTP via fetch, WebSocket
 * via `ws`. Shared by every test under test/rpc.
 */

export const FULL_TOKEN = TEST_SECRETS.rpcToken;
export const READ_TOKEN = 'osprey-test-read-only-token-2c7d1e';
export type TransportName = 'uws' | 'ws';
export const TRANSPORTS: readonly TransportName[] = ['uws', 'ws'];

export interface Harness {
  readonly engine: Engine;
  readonly facade: ControlFacade;
  readonly server: RpcServer;
  readonly url: { http: string; ws: string; base: string };
  readonly shutdownRequests: string[];
  http(body: unknown, options?: { token?: string | null; path?: string; method?: string }): Promise<{ status: number; text: string; json: unknown; headers: Headers }>;
  ws(token?: string | null): Promise<RpcSocket>;
  close(): Promise<void>;
}

export interface HarnessSetup {
  /** Extra OSPREY_* overrides of the embedded default config. */
  readonly env?: Record<string, string>;
  /** Changes the loaded config before the engine is built (e.g. to give it a Secret). */
  readonly configure?: (config: OspreyConfig) => OspreyConfig;
}

export async function startHarness(transport: TransportName, options: Partial<RpcServerOptions> = {}, setup: HarnessSetup = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-rpc-'));
  const loaded = await loadConfig({ env: { OSPREY_DATADIR: dir, ...setup.env }, cwd: dir });
  const config = setup.configure?.(loaded) ?? loaded;
  const logging = new Logging({ level: 'silent', stdout: false });
  const engine = new Engine(config, new LiveClock(), logging, () => {});
  await engine.start();
  const latency = await LatencyRegistry.create();
  const shutdownRequests: string[] = [];
  const facade = new ControlFacade(engine, { latency, requestShutdown: (reason) => shutdownRequests.push(reason) });
  const server = await RpcServer.start(facade, new TokenAuthority(FULL_TOKEN, [READ_TOKEN]), {
    host: '127.0.0.1',
    port: 0,
    maxConnections: 16,
    maxFrameBytes: 1024 * 1024,
    maxBatch: 100,
    requestsPerSecond: 100_000,
    maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
    allowNonLoopback: false,
    transport,
    ...options,
  });
  const base = `127.0.0.1:${server.port}`;
  const sockets: RpcSocket[] = [];
  return {
    engine,
    facade,
    server,
    shutdownRequests,
    url: { http: `http://${base}/rpc`, ws: `ws://${base}/rpc`, base: `http://${base}` },
    async http(body, { token = FULL_TOKEN, path = '/rpc', method = 'POST' } = {}) {
      const response = await fetch(`http://${base}${path}`, {
        method,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, text, json, headers: response.headers };
    },
    async ws(token = FULL_TOKEN) {
      const socket = await RpcSocket.connect(`ws://${base}/rpc`, token);
      sockets.push(socket);
      return socket;
    },
    async close() {
      for (const s of sockets) s.terminate();
      await server.stop();
      facade.close();
      await engine.stop();
      latency.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Builds a JSON-RPC request object. */
export function req(method: string, params?: unknown, id: number | string | null = 1): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) };
}

type Message = { id?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown }; method?: string; params?: { topic: string; event: Record<string, unknown> } };

/** A WebSocket JSON-RPC client that keeps every message, matches replies by id, and reports the close. */
export class RpcSocket {
  readonly messages: unknown[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #ws: WebSocket;
  readonly #waiters: { match: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  #nextId = 1000;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer) => {
      const message: unknown = JSON.parse(data.toString('utf8'));
      this.messages.push(message);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    ws.on('error', () => {});
  }

  /** Resolves once open; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, token: string | null): Promise<RpcSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
      const socket = new RpcSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body })));
      });
      ws.once('error', (error) => reject(error));
    });
  }

  get raw(): WebSocket {
    return this.#ws;
  }

  /** Sends a request and resolves with its reply. */
  call(method: string, params?: unknown): Promise<Message> {
    const id = this.#nextId++;
    const reply = this.waitFor((m) => (m as Message).id === id);
    this.send(JSON.stringify(req(method, params, id)));
    return reply as Promise<Message>;
  }

  send(data: string | Buffer, binary = false): void {
    this.#ws.send(data, { binary });
  }

  /** The next message (already received or future) matching `match`. */
  waitFor(match: (m: unknown) => boolean, timeoutMs = 5000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message in time')), timeoutMs);
      this.#waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  notifications(topic?: string): Message[] {
    return (this.messages as Message[]).filter((m) => m.method === 'event' && (topic === undefined || m.params?.topic === topic));
  }

  close(): void {
    this.#ws.close();
  }

  terminate(): void {
    this.#ws.terminate();
  }
}
