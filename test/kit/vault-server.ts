import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that answers like HashiCorp Vault's documented API for the parts a config
 * loader uses (shared/refs/vault-kv2.md): KV v2 reads with the X-Vault-Token header, AppRole login,
 * token renew-self and sys/health; 403 for a bad token or a denied path, 404 for a missing or deleted
 * secret, 503 while sealed, 429 while rate limited. It records requests (never header values) so
 * tests can assert retries.
 */

export interface FakeVaultSecret {
  readonly data: Record<string, unknown>;
  readonly version?: number;
  /** The latest version was deleted: reads answer 404 with deletion_time set and data null. */
  readonly deleted?: boolean;
}

export interface FakeVaultOptions {
  /** Tokens that may read every path not in `deniedPaths`. */
  readonly tokens?: readonly string[];
  /** Secrets by mount, then path: { secret: { 'osprey/prod': { data: {...} } } }. */
  readonly mounts?: Record<string, Record<string, FakeVaultSecret>>;
  readonly approle?: { readonly roleId: string; readonly secretId: string; readonly clientToken: string };
  /** "mount/path" that valid tokens may not read (their policy lacks it). */
  readonly deniedPaths?: readonly string[];
  /** When set, KV reads must carry this X-Vault-Namespace. */
  readonly namespace?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly hadToken: boolean;
  readonly namespace: string | undefined;
  readonly status: number;
}

export class FakeVault {
  readonly requests: RecordedRequest[] = [];
  /** Answer 503 "Vault is sealed" to this many more requests (Infinity: stay sealed). */
  sealedFor = 0;
  /** Answer 429 to this many more requests. */
  rateLimitedFor = 0;
  readonly #server: Server;
  readonly #options: FakeVaultOptions;
  readonly #tokens: Set<string>;

  private constructor(server: Server, options: FakeVaultOptions) {
    this.#server = server;
    this.#options = options;
    this.#tokens = new Set(options.tokens ?? []);
    if (options.approle) this.#tokens.add(options.approle.clientToken);
  }

  static async start(options: FakeVaultOptions = {}): Promise<FakeVault> {
    let vault: FakeVault | undefined;
    const server = createServer((req, res) => void vault?.handle(req, res));
    vault = new FakeVault(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return vault;
  }

  get addr(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://vault').pathname;
    const token = header(req, 'x-vault-token');
    const namespace = header(req, 'x-vault-namespace');
    const [status, payload] = this.answer(req.method ?? 'GET', path, token, namespace, body);
    this.requests.push({ method: req.method ?? 'GET', path, hadToken: token !== undefined, namespace, status });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  }

  private answer(method: string, path: string, token: string | undefined, namespace: string | undefined, body: string): [number, unknown] {
    if (this.sealedFor > 0) {
      this.sealedFor--;
      return [503, { errors: ['Vault is sealed'] }];
    }
    if (this.rateLimitedFor > 0) {
      this.rateLimitedFor--;
      return [429, { errors: ['rate limit quota exceeded'] }];
    }
    if (method === 'GET' && path === '/v1/sys/health') return [200, { initialized: true, sealed: false, standby: false }];
    if (method === 'POST' && path === '/v1/auth/approle/login') return this.login(body);
    if (token === undefined || !this.#tokens.has(token)) return [403, { errors: ['permission denied'] }];
    if (method === 'POST' && path === '/v1/auth/token/renew-self') return [200, { auth: { client_token: token, lease_duration: 3600, renewable: true } }];
    if (method === 'GET') return this.read(path, namespace);
    return [405, { errors: ['unsupported operation'] }];
  }

  private login(body: string): [number, unknown] {
    const approle = this.#options.approle;
    let creds: { role_id?: unknown; secret_id?: unknown } = {};
    try {
      creds = JSON.parse(body) as typeof creds;
    } catch {
      return [400, { errors: ['failed to parse JSON input'] }];
    }
    if (approle === undefined || creds.role_id !== approle.roleId || creds.secret_id !== approle.secretId) {
      return [400, { errors: ['invalid role or secret ID'] }];
    }
    return [200, { auth: { client_token: approle.clientToken, lease_duration: 3600, renewable: true, policies: ['default', 'osprey'] } }];
  }

  private read(path: string, namespace: string | undefined): [number, unknown] {
    if (this.#options.namespace !== undefined && namespace !== this.#options.namespace) return [403, { errors: ['permission denied'] }];
    for (const [mount, secrets] of Object.entries(this.#options.mounts ?? {})) {
      const prefix = `/v1/${mount}/data/`;
      if (!path.startsWith(prefix)) continue;
      const secretPath = path.slice(prefix.length);
      if (this.#options.deniedPaths?.includes(`${mount}/${secretPath}`)) return [403, { errors: ['permission denied'] }];
      const secret = secrets[secretPath];
      if (secret === undefined) return [404, { errors: [] }];
      const version = secret.version ?? 1;
      const metadata = { created_time: '2026-11-01T10:00:00.000Z', custom_metadata: null, deletion_time: secret.deleted ? '2026-11-02T10:00:00.000Z' : '', destroyed: false, version };
      if (secret.deleted) return [404, { data: { data: null, metadata } }];
      return [200, { request_id: 'fake', lease_id: '', renewable: false, lease_duration: 0, data: { data: secret.data, metadata }, wrap_info: null, warnings: null, auth: null }];
    }
    // Vault answers an unmounted path with 403 too: the token's policy cannot cover it.
    return [403, { errors: ['permission denied'] }];
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

/** A loopback port with nothing listening: bind, note the port, close. */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
