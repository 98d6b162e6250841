import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HttpReply, ServerCore } from './core.js';
import type { Transport } from './transport.js';

/**
 * The fallback transport, on node:http and the `ws` package, for when uWebSockets.js's native binding
 * cannot load. Same routes, same admission, same limits, same replies: everything but the byte moving
 * is the shared ServerCore. Like uWS's idle timeout with automatic pings, a peer that stops answering
 * pings is closed.
 */

const PING_INTERVAL_MS = 30_000;

export function listenWs(core: ServerCore, host: string, port: number): Promise<Transport> {
  const { limits } = core;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
  const alive = new Map<WebSocket, boolean>();

  // Short timeouts, like uWS's 10 s HTTP idle timeout: a client trickling headers or a body is cut off.
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => route(core, req, res));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (pathOf(req) !== '/rpc') return refuseUpgrade(socket, core.notFound());
    const admitted = core.admit(req.headers.authorization, req.socket.remoteAddress ?? '');
    if (typeof admitted !== 'string') return refuseUpgrade(socket, admitted);
    const full = core.roomForConnection();
    if (full !== undefined) return refuseUpgrade(socket, full);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = core.openWs(admitted, {
        send: (text) => {
          ws.send(text);
          return true;
        },
        bufferedBytes: () => ws.bufferedAmount,
        terminate: () => ws.terminate(),
        end: (code, reason) => ws.close(code, reason),
      });
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        session.receive(isBinary ? undefined : data.toString('utf8')).catch((error: unknown) => core.log?.error({ err: error }, 'rpc frame failed'));
      });
      ws.on('error', (error: Error & { code?: string }) => {
        // ws closes the socket itself after these (1009 for an oversized frame).
        if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') core.stats.limited('frame');
      });
      ws.on('close', () => {
        alive.delete(ws);
        session.markClosed();
        core.closedWs(session);
      });
    });
  });

  const pinger = setInterval(() => {
    for (const [ws, answered] of alive) {
      if (!answered) ws.terminate();
      else {
        alive.set(ws, false);
        ws.ping();
      }
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`)));
    server.listen(port, host, () => {
      resolve({
        name: 'ws',
        port: (server.address() as AddressInfo).port,
        close: async () => {
          clearInterval(pinger);
          for (const session of core.sessions()) session.end(1001, 'server shutting down');
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeAllConnections();
          for (const ws of alive.keys()) ws.terminate();
          await closed;
        },
      });
    });
  });
}

function route(core: ServerCore, req: IncomingMessage, res: ServerResponse): void {
  const path = pathOf(req);
  const remote = req.socket.remoteAddress ?? '';
  const authorization = req.headers.authorization;
  if (req.method === 'GET' && path === '/health') return respond(res, core.health(authorization, remote));
  if (req.method === 'GET' && path === '/metrics') {
    void core.metrics(authorization, remote).then((reply) => respond(res, reply), (error: unknown) => core.log?.error({ err: error }, 'metrics scrape failed'));
    return;
  }
  if (req.method !== 'POST' || path !== '/rpc') return respond(res, core.notFound());
  const admitted = core.admit(authorization, remote);
  if (typeof admitted !== 'string') return respond(res, admitted);
  if (Number(req.headers['content-length'] ?? 0) > core.limits.maxFrameBytes) return respond(res, core.bodyTooLarge());
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > core.limits.maxFrameBytes) {
      refused = true;
      respond(res, core.bodyTooLarge());
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (refused) return;
    core.rpcPost(Buffer.concat(chunks).toString('utf8'), admitted, remote).then(
      (reply) => respond(res, reply),
      (error: unknown) => core.log?.error({ err: error }, 'rpc http request failed'),
    );
  });
  req.on('error', () => res.destroy());
}

function respond(res: ServerResponse, reply: HttpReply): void {
  if (res.destroyed || res.headersSent) return;
  const [code, ...text] = reply.status.split(' ');
  res.writeHead(Number(code), text.join(' '), { ...reply.headers, ...(reply.close === true ? { connection: 'close' } : {}) });
  res.end(reply.body);
  if (reply.close === true) res.once('finish', () => res.socket?.destroy());
}

/** Answers a refused upgrade on the raw socket and closes it. */
function refuseUpgrade(socket: Duplex, reply: HttpReply): void {
  const headers = Object.entries({ ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${reply.status}\r\n${headers}\r\n${reply.body}`);
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
