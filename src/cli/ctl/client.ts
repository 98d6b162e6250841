import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';

/**
 * The JSON-RPC client behind ospreyctl: one-shot calls and batches over HTTP POST, subscriptions over
 * a WebSocket. Failures are typed by what the operator should do: UsageError (fix the command line,
 * the URL or the token: exit 2) and RuntimeFailure (the engine or the network failed: exit 1).
 */

export const DEFAULT_URL = 'http://127.0.0.1:7400/rpc';

export class UsageError extends Error {}
export class RuntimeFailure extends Error {}

/** A JSON-RPC error reply. Codes -32600..-32602 are the caller's mistake; the rest are the engine's. */
export class RpcReplyError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export interface Endpoint {
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
}

/**
 * URL: --url, else OSPREYCTL_URL, else 127.0.0.1:7400; a bare host:port gets /rpc. Token: the file
 * from --token-file, else OSPREYCTL_TOKEN_FILE, else OSPREYCTL_TOKEN, else <dataDir>/rpc.token where
 * dataDir is OSPREY_DATADIR or ./var (what `osprey start` writes by default).
 */
export async function resolveEndpoint(flags: { url?: string; tokenFile?: string; timeoutMs?: number }, env: NodeJS.ProcessEnv): Promise<Endpoint> {
  const raw = flags.url ?? env.OSPREYCTL_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError(`"${raw}" is not a URL; allowed: http://HOST:PORT/rpc or ws://HOST:PORT/rpc`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new UsageError(`unsupported scheme ${url.protocol}; allowed: http, https, ws, wss`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/rpc';
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const http = new URL(url);
  http.protocol = secure ? 'https:' : 'http:';
  const ws = new URL(url);
  ws.protocol = secure ? 'wss:' : 'ws:';
  return { httpUrl: http.href, wsUrl: ws.href, token: await resolveToken(flags.tokenFile, env), timeoutMs: flags.timeoutMs ?? 10_000 };
}

async function resolveToken(flagFile: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const file = flagFile ?? env.OSPREYCTL_TOKEN_FILE;
  if (file === undefined && env.OSPREYCTL_TOKEN !== undefined && env.OSPREYCTL_TOKEN !== '') return env.OSPREYCTL_TOKEN.trim();
  const path = file ?? join(env.OSPREY_DATADIR ?? './var', 'rpc.token');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the token file ${path} (${why}); pass --token-file FILE or set OSPREYCTL_TOKEN_FILE`);
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) throw new UsageError(`the token file ${path} does not hold one token`);
  return token;
}

export interface Call {
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

type Reply = { id: number; result?: unknown; error?: { code: number; message: string; data?: unknown } };

export class RpcClient {
  readonly #endpoint: Endpoint;
  #nextId = 1;

  constructor(endpoint: Endpoint) {
    this.#endpoint = endpoint;
  }

  async call(method: string, params?: Record<string, unknown>): Promise<unknown> {
    const [result] = await this.batch([{ method, ...(params === undefined ? {} : { params }) }], false);
    return result;
  }

  /** Every call in one request; results in call order. Throws the first error reply. */
  async batch(calls: readonly Call[], asBatch = true): Promise<unknown[]> {
    const requests = calls.map((c) => ({ jsonrpc: '2.0', id: this.#nextId++, method: c.method, ...(c.params === undefined ? {} : { params: c.params }) }));
    const body = JSON.stringify(asBatch ? requests : requests[0]);
    let response: Response;
    try {
      response = await fetch(this.#endpoint.httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#endpoint.token}` },
        body,
        signal: AbortSignal.timeout(this.#endpoint.timeoutMs),
      });
    } catch (error) {
      throw new RuntimeFailure(`cannot reach ${this.#endpoint.httpUrl}: ${describe(error)}`);
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) throw new UsageError(`the engine refused the token (HTTP ${response.status}); check --token-file`);
    if (!response.ok) throw new RuntimeFailure(`HTTP ${response.status} from ${this.#endpoint.httpUrl}`);
    let parsed: Reply | Reply[];
    try {
      parsed = JSON.parse(text) as Reply | Reply[];
    } catch {
      throw new RuntimeFailure(`the reply from ${this.#endpoint.httpUrl} is not JSON`);
    }
    const replies = Array.isArray(parsed) ? parsed : [parsed];
    return requests.map((request) => {
      const reply = replies.find((r) => r.id === request.id);
      if (reply === undefined) throw new RuntimeFailure(`no reply to ${request.method}`);
      if (reply.error !== undefined) throw new RpcReplyError(reply.error.code, reply.error.message, reply.error.data);
      return reply.result;
    });
  }

  /**
   * Subscribes over a WebSocket and calls `onEvent` per notification until `count` events arrived,
   * `seconds` passed, or the connection closed. Resolves with the number of events seen.
   */
  subscribe(
    topics: readonly string[],
    onEvent: (topic: string, event: unknown) => void,
    stopAfter: { count?: number; seconds?: number },
    onSubscribed: (topics: string[]) => void = () => {},
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.#endpoint.wsUrl, { headers: { authorization: `Bearer ${this.#endpoint.token}` }, handshakeTimeout: this.#endpoint.timeoutMs });
      let seen = 0;
      const timer = stopAfter.seconds === undefined ? undefined : setTimeout(() => ws.close(1000), stopAfter.seconds * 1000);
      ws.on('unexpected-response', (_req, res) => {
        const failure = res.statusCode === 401 || res.statusCode === 403 ? new UsageError(`the engine refused the token (HTTP ${res.statusCode})`) : new RuntimeFailure(`HTTP ${res.statusCode ?? '?'} on upgrade`);
        ws.terminate();
        reject(failure);
      });
      ws.on('error', (error) => reject(new RuntimeFailure(`cannot reach ${this.#endpoint.wsUrl}: ${describe(error)}`)));
      ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { topics } })));
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: { topics: string[] }; error?: Reply['error']; method?: string; params?: { topic: string; event: unknown } };
        if (message.id === 1 && message.error !== undefined) {
          ws.close(1000);
          reject(new RpcReplyError(message.error.code, message.error.message, message.error.data));
        } else if (message.id === 1) {
          onSubscribed(message.result?.topics ?? []);
        } else if (message.method === 'event' && message.params !== undefined) {
          onEvent(message.params.topic, message.params.event);
          if (++seen === stopAfter.count) ws.close(1000);
        }
      });
      ws.on('close', () => {
        clearTimeout(timer);
        resolve(seen);
      });
    });
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
