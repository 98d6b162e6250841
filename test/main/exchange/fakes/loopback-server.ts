import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

export interface FakeReply {
  readonly status?: number;
  /** Serialised as JSON unless it is a string. */
  readonly body: unknown;
}

export type Route = (request: FakeRequest) => FakeReply;

export interface WsPeer {
  readonly socket: WebSocket;
  /** Path the client connected to, with its query ("/public/ws/0", "/private/ws?listenKey=k"). */
  readonly path: string;
}

/**
 * A venue stand-in on 127.0.0.1: HTTP routes answering from fixtures, WebSocket peers the test can
 * push to or drop, every request logged so tests can count what reached the "venue". Binds loopback
 * only, port 0.
 */
export class LoopbackServer {
  readonly requests: FakeRequest[] = [];
  readonly peers = new Set<WsPeer>();
  /** While set, answers every HTTP request it returns a reply for (a 429 storm, an outage). */
  override: ((request: FakeRequest) => FakeReply | undefined) | undefined;
  onWsMessage: (peer: WsPeer, message: unknown) => void = () => undefined;
  onWsConnect: (peer: WsPeer) => void = () => undefined;
  readonly #routes = new Map<string, Route>();
  readonly #http: Server;
  readonly #ws: WebSocketServer;

  private constructor(http: Server, ws: WebSocketServer) {
    this.#http = http;
    this.#ws = ws;
  }

  static async start(): Promise<LoopbackServer> {
    const http = createServer();
    const ws = new WebSocketServer({ server: http });
    const server = new LoopbackServer(http, ws);
    http.on('request', (req, res) => server.#handle(req, res));
    ws.on('connection', (socket, req) => {
      const peer: WsPeer = { socket, path: req.url ?? '/' };
      server.peers.add(peer);
      socket.on('close', () => server.peers.delete(peer));
      socket.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          message = String(data);
        }
        server.onWsMessage(peer, message);
      });
      server.onWsConnect(peer);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.#http.address() as AddressInfo).port;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  route(method: string, path: string, handler: Route): void {
    this.#routes.set(`${method} ${path}`, handler);
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  /** Sends to every peer whose path starts with `prefix`. */
  push(prefix: string, message: unknown): number {
    let sent = 0;
    for (const peer of this.peers) {
      if (!peer.path.startsWith(prefix)) continue;
      peer.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
      sent++;
    }
    return sent;
  }

  /** Cuts every WebSocket connection, as a venue restart or a network drop would. */
  dropSockets(): void {
    for (const peer of this.peers) peer.socket.terminate();
  }

  async close(): Promise<void> {
    this.dropSockets();
    await new Promise<void>((resolve) => this.#ws.close(() => resolve()));
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeAllConnections();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, headers: req.headers };
      this.requests.push(request);
      const route = this.#routes.get(`${request.method} ${request.path}`);
      const reply = this.override?.(request) ?? route?.(request) ?? { status: 404, body: { code: -5000, msg: `no route ${request.method} ${request.path}` } };
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(text);
    });
  }
}
