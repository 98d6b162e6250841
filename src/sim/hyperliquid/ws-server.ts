import type { Server } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Endpoints } from './http-endpoint.js';
import { DESERIALIZE_PREFIX } from './http-replies.js';
import type { TransportFaults } from './transport-faults.js';
import { WsConnection } from './ws-connection.js';
import type { WsHub } from './ws-hub.js';
import { parseSubscription, subscriptionKey } from './ws-subscriptions.js';

/**
 * The `/ws` endpoint: greeting, subscribe / unsubscribe with echoed acks, ping / pong, and `post`
 * (info and signed actions over the socket, answered through the same endpoints as HTTP).
 */

export interface WsServerOptions {
  readonly hub: WsHub;
  readonly endpoints: Endpoints;
  readonly faults: TransportFaults;
  readonly idleTimeoutMs: number;
  readonly onError: (error: unknown) => void;
}

export const GREETING = 'Websocket connection established.';

type ClientMessage = { method?: unknown; subscription?: unknown; id?: unknown; request?: unknown };

function errorMessage(text: string) {
  return { channel: 'error', data: text };
}

function handleSubscribe(options: WsServerOptions, connection: WsConnection, method: 'subscribe' | 'unsubscribe', raw: unknown): void {
  const sub = parseSubscription(raw);
  if (sub === undefined) return connection.send(errorMessage(`Invalid subscription ${JSON.stringify(raw)}`));
  const key = subscriptionKey(sub);
  if (method === 'subscribe') {
    if (connection.subscriptions.has(key)) return connection.send(errorMessage(`Already subscribed: ${JSON.stringify(raw)}`));
    connection.subscriptions.set(key, sub);
  } else {
    if (!connection.subscriptions.delete(key)) return connection.send(errorMessage(`Already unsubscribed: ${JSON.stringify(raw)}`));
  }
  // ccxt's unWatch* futures resolve only on this echo, matched on the subscription's own fields.
  connection.send({ channel: 'subscriptionResponse', data: { method, subscription: raw } });
  if (method === 'subscribe') {
    const snapshot = options.hub.snapshot(sub);
    if (snapshot !== undefined) connection.send(snapshot);
  }
}

function handlePost(options: WsServerOptions, connection: WsConnection, id: unknown, request: unknown): void {
  if (typeof id !== 'number' || typeof request !== 'object' || request === null) {
    return connection.send(errorMessage(`Invalid post request ${JSON.stringify({ id, request })}`));
  }
  const { type, payload } = request as { type?: unknown; payload?: unknown };
  let response: unknown;
  if (type === 'info') {
    const outcome = options.endpoints.info(payload);
    const infoType = (payload as { type?: unknown } | null)?.type;
    response =
      outcome.kind === 'reply'
        ? { type: 'info', payload: { type: infoType, data: outcome.value } }
        : { type: 'error', payload: DESERIALIZE_PREFIX + outcome.detail };
  } else if (type === 'action') {
    // An unreadable action still answers in the action shape: ccxt turns a bare "error" reply into an empty order.
    const outcome = options.endpoints.exchange(payload);
    response = { type: 'action', payload: outcome.kind === 'reply' ? outcome.reply : { status: 'err', response: DESERIALIZE_PREFIX + outcome.detail } };
  } else {
    response = { type: 'error', payload: `Invalid post request type ${JSON.stringify(type)}` };
  }
  connection.send({ channel: 'post', data: { id, response } });
}

function handleMessage(options: WsServerOptions, connection: WsConnection, data: RawData): void {
  connection.touch();
  const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');
  let message: ClientMessage;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('expected an object');
    message = parsed as ClientMessage;
  } catch {
    return connection.send(errorMessage(`Error parsing JSON into valid websocket request: ${text.slice(0, 200)}`));
  }
  switch (message.method) {
    case 'ping':
      return connection.send({ channel: 'pong' });
    case 'subscribe':
    case 'unsubscribe':
      return handleSubscribe(options, connection, message.method, message.subscription);
    case 'post':
      return handlePost(options, connection, message.id, message.request);
    default:
      return connection.send(errorMessage(`Error parsing JSON into valid websocket request: ${text.slice(0, 200)}`));
  }
}

export function attachWebSocket(server: Server, options: WsServerOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    if ((request.url ?? '').split('?')[0] !== '/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  wss.on('connection', (ws: WebSocket) => {
    const connection = new WsConnection(ws, options.faults, options.idleTimeoutMs);
    options.hub.add(connection);
    connection.sendText(GREETING);
    ws.on('message', (data) => {
      try {
        handleMessage(options, connection, data);
      } catch (error) {
        // A handler bug costs this message, not the socket or the server.
        options.onError(error);
        connection.send(errorMessage('Internal server error'));
      }
    });
    ws.on('error', options.onError);
    ws.on('close', () => {
      connection.dispose();
      options.hub.remove(connection);
    });
  });
  return {
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
