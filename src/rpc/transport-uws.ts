import type { HttpResponse, TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { Role } from './auth.js';
import type { HttpReply, ServerCore } from './core.js';
import type { UwsModule } from './native-uws.js';
import type { Transport } from './transport.js';
import type { WsSession } from './ws-session.js';

/**
 * The uWebSockets.js transport: WebSocket and POST at /rpc, GET /health and /metrics. uWS reads the
 * socket in native code and hands over whole frames, which is where its CPU advantage over `ws` comes
 * from; everything JSON-RPC is the shared ServerCore. Replies written after an await are corked (one
 * syscall per reply), as uWS asks for writes made outside its own callbacks.
 */

interface UserData {
  readonly role: Role;
  session?: WsSession;
}

/** uWS's close message when a frame exceeded maxPayloadLength (it closes the socket itself). */
const TOO_BIG = 'Received too big message';
const decoder = new TextDecoder();

export function listenUws(uws: UwsModule, core: ServerCore, host: string, port: number): Promise<Transport> {
  const app = uws.App();
  const { limits } = core;

  app.ws<UserData>('/rpc', {
    maxPayloadLength: limits.maxFrameBytes,
    // Above our own slow-consumer limit, so uWS never drops a message silently: we drop the client first.
    maxBackpressure: limits.maxBufferedBytes * 2 + limits.maxFrameBytes,
    closeOnBackpressureLimit: 0,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    compression: uws.DISABLED,
    upgrade: (res, req, context) => {
      const remote = remoteOf(res);
      const admitted = core.admit(req.getHeader('authorization') || undefined, remote);
      if (typeof admitted !== 'string') return respond(res, admitted);
      const full = core.roomForConnection();
      if (full !== undefined) return respond(res, full);
      const userData: UserData = { role: admitted };
      res.upgrade(userData, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
    },
    open: (ws) => {
      const data = ws.getUserData();
      data.session = core.openWs(data.role, {
        send: (text) => sendCorked(ws, text),
        bufferedBytes: () => ws.getBufferedAmount(),
        terminate: () => ws.close(),
        end: (code, reason) => ws.end(code, reason),
      });
    },
    message: (ws, message, isBinary) => {
      const session = ws.getUserData().session;
      if (session === undefined) return;
      // Decode now: uWS reclaims `message` when this callback returns.
      session.receive(isBinary ? undefined : decoder.decode(message)).catch((error: unknown) => core.log?.error({ err: error }, 'rpc frame failed'));
    },
    close: (ws, _code, message) => {
      const session = ws.getUserData().session;
      if (session === undefined) return;
      session.markClosed();
      core.closedWs(session);
      if (decoder.decode(message) === TOO_BIG) core.stats.limited('frame');
    },
  });

  app.post('/rpc', (res, req) => {
    const remote = remoteOf(res);
    const admitted = core.admit(req.getHeader('authorization') || undefined, remote);
    if (typeof admitted !== 'string') return respond(res, admitted);
    if (Number(req.getHeader('content-length') || 0) > limits.maxFrameBytes) return respond(res, core.bodyTooLarge());
    let aborted = false;
    res.onAborted(() => (aborted = true));
    const chunks: Buffer[] = [];
    let size = 0;
    res.onData((chunk, isLast) => {
      if (aborted) return;
      size += chunk.byteLength;
      if (size > limits.maxFrameBytes) {
        aborted = true; // answered; ignore whatever else arrives before the close
        res.cork(() => respond(res, core.bodyTooLarge()));
        return;
      }
      chunks.push(Buffer.from(chunk.slice(0))); // copy: uWS reuses the chunk's memory
      if (!isLast) return;
      core.rpcPost(Buffer.concat(chunks).toString('utf8'), admitted, remote).then(
        (reply) => {
          if (!aborted) res.cork(() => respond(res, reply));
        },
        (error: unknown) => core.log?.error({ err: error }, 'rpc http request failed'),
      );
    });
  });
  app.get('/health', (res, req) => respond(res, core.health(req.getHeader('authorization') || undefined, remoteOf(res))));
  app.get('/metrics', (res, req) => {
    let aborted = false;
    res.onAborted(() => (aborted = true));
    core.metrics(req.getHeader('authorization') || undefined, remoteOf(res)).then(
      (reply) => {
        if (!aborted) res.cork(() => respond(res, reply));
      },
      (error: unknown) => core.log?.error({ err: error }, 'metrics scrape failed'),
    );
  });
  app.any('/*', (res) => respond(res, core.notFound()));

  return new Promise((resolve, reject) => {
    app.listen(host, port, (listenSocket) => {
      if (listenSocket === false) {
        closeApp(app);
        reject(new Error(`cannot listen on ${host}:${port}: the address is in use or not available`));
        return;
      }
      resolve({
        name: 'uws',
        port: uws.us_socket_local_port(listenSocket),
        close: async () => {
          for (const session of core.sessions()) session.end(1001, 'server shutting down');
          closeApp(app);
        },
      });
    });
  });
}

/** Stops listening and closes every socket, keep-alive HTTP ones included (v20.30 has it; its typings miss it). */
function closeApp(app: TemplatedApp): void {
  (app as TemplatedApp & { close(): void }).close();
}

function sendCorked(ws: WebSocket<UserData>, text: string): boolean {
  let status = 0;
  ws.cork(() => (status = ws.send(text, false, false)));
  return status !== 2; // 2: dropped by uWS's own backpressure limit
}

function respond(res: HttpResponse, reply: HttpReply): void {
  res.writeStatus(reply.status);
  for (const [name, value] of Object.entries(reply.headers)) res.writeHeader(name, value);
  res.end(reply.body, reply.close === true);
}

function remoteOf(res: HttpResponse): string {
  return decoder.decode(res.getRemoteAddressAsText());
}
