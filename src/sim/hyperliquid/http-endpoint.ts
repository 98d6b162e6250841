import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeOutcome } from './exchange-endpoint.js';
import {
  MAX_BODY_BYTES,
  METHOD_NOT_ALLOWED,
  NOT_FOUND,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  deserializeFailure,
  jsonReply,
  jsonSyntaxFailure,
  type HttpReply,
} from './http-replies.js';
import type { InfoOutcome } from './info-endpoint.js';
import { TIMEOUT_HOLD_MS, type TransportFaults } from './transport-faults.js';

/**
 * The node:http request handler for POST /info and POST /exchange. node:http rather than
 * uWebSockets.js: the `ws` package (which ccxt's own tests and our WS layer use) attaches to a
 * node:http server on the same port, and the simulator's throughput is bounded by matching, not I/O.
 *
 * Injected faults, per request: 429 and 5xx refuse before anything runs; a timeout runs the request
 * and then never answers, the case a client must settle by querying the venue.
 */

export interface Endpoints {
  info(body: unknown): InfoOutcome;
  exchange(body: unknown): ExchangeOutcome;
}

const RATE_LIMITED: HttpReply = { status: 429, contentType: 'text/plain; charset=utf-8', body: 'Too Many Requests' };
const BAD_GATEWAY: HttpReply = { status: 502, contentType: 'text/plain; charset=utf-8', body: 'Bad Gateway' };

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.removeAllListeners('data');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function route(endpoints: Endpoints, path: string, body: unknown): HttpReply {
  if (path === '/info') {
    const outcome = endpoints.info(body);
    return outcome.kind === 'reply' ? jsonReply(outcome.value) : deserializeFailure(outcome.detail);
  }
  const outcome = endpoints.exchange(body);
  return outcome.kind === 'reply' ? jsonReply(outcome.reply) : deserializeFailure(outcome.detail);
}

async function replyFor(endpoints: Endpoints, request: IncomingMessage, path: string): Promise<HttpReply> {
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    request.resume();
    return UNSUPPORTED_MEDIA_TYPE;
  }
  const raw = await readBody(request);
  if (raw === undefined) return PAYLOAD_TOO_LARGE;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return jsonSyntaxFailure(error instanceof Error ? error.message : String(error));
  }
  return route(endpoints, path, body);
}

function send(response: ServerResponse, reply: HttpReply): void {
  response.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body) });
  response.end(reply.body);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createHttpHandler(endpoints: Endpoints, faults: TransportFaults, onError: (error: unknown) => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/info' && path !== '/exchange') return send(response, NOT_FOUND);
    if (request.method !== 'POST') return send(response, METHOD_NOT_ALLOWED);
    const fault = faults.httpFault();
    const latency = faults.latencyMs();
    const handle = async (): Promise<void> => {
      if (latency > 0) await delay(latency);
      if (fault === 'http429' || fault === 'http5xx') {
        request.resume();
        return send(response, fault === 'http429' ? RATE_LIMITED : BAD_GATEWAY);
      }
      const reply = await replyFor(endpoints, request, path);
      if (fault === 'timeout') {
        setTimeout(() => response.destroy(), TIMEOUT_HOLD_MS).unref();
        return;
      }
      send(response, reply);
    };
    handle().catch((error: unknown) => {
      // A bug in a handler must cost one request, never the server: answer 500 and report it.
      onError(error);
      if (!response.headersSent) send(response, { status: 500, contentType: 'text/plain; charset=utf-8', body: 'Internal Server Error' });
      else response.destroy();
    });
  };
}
