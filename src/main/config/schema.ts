import * as z from 'zod';
import { InvariantError } from '../../core/errors.js';
import { filePath, httpUrl, isLoopbackHost, logLevel, nameKey, port, secretField, wsUrl } from './fields.js';
import type { Secret } from './secret.js';
import { schemaAt } from './schema-walk.js';

/**
 * The engine's whole configuration as one zod schema. Every object is strict (an unknown key is an
 * error: a typo must not silently fall back to a default), and every field an operator may omit has
 * a default here, so `config/default.yaml` only documents and chooses, never completes.
 */

/**
 * The only fields that may change while the engine runs (RPC `risk.limits.set`,
 * `strategies.params.set`, `strategies.start`/`stop`, log levels). A pattern covers its subtree;
 * `*` matches any one key (a strategy's index or id, an account name). Everything else needs a
 * restart. Checked against the schema when this module loads, so a renamed field cannot silently
 * drop its mark.
 */
export const RUNTIME_UPDATABLE: readonly string[] = [
  'log.level',
  'log.components',
  'risk.limits',
  'strategies.*.params',
  'strategies.*.enabled',
];

const logSection = z.strictObject({
  /** Level for every component without its own entry. */
  level: logLevel.default('info'),
  /** Per-component levels, e.g. { exchange: debug }. */
  components: z.record(nameKey, logLevel).default({}),
  /** JSON lines under <dataDir>/logs besides stdout. */
  file: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
});

const rpcSection = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(7400),
    /** Full-access token; when absent the engine creates <dataDir>/rpc.token (mode 0600). */
    token: secretField.optional(),
    /** Tokens that may only call read methods (status, orders, positions, ...). */
    readOnlyTokens: z.array(secretField).default([]),
    /** Listening beyond this machine exposes trading control; it must be asked for by name. */
    allowNonLoopback: z.boolean().default(false),
    maxConnections: z.int().min(1).max(10_000).default(64),
    maxFrameBytes: z.int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    maxBatch: z.int().min(1).max(1000).default(100),
    /** Per connection; beyond it requests are answered with a rate-limit error. */
    requestsPerSecond: z.number().positive().max(100_000).default(200),
  })
  .superRefine((rpc, ctx) => {
    if (!rpc.allowNonLoopback && !isLoopbackHost(rpc.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message: `"${rpc.host}" is not a loopback address; allowed: 127.0.0.1, ::1 or localhost, or set rpc.allowNonLoopback: true`,
      });
    }
  });

const venueUrls = z.strictObject({ rest: httpUrl.optional(), ws: wsUrl.optional() });

const hyperliquidVenue = z.strictObject({
  enabled: z.boolean().default(false),
  testnet: z.boolean().default(false),
  /** The account (master) address the orders are for. */
  walletAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/, { error: 'allowed: 0x followed by 40 hex digits' }).optional(),
  /** Key of the wallet (or API wallet) that signs for walletAddress. */
  privateKey: secretField.optional(),
  urls: venueUrls.optional(),
});

const apiKeyVenue = z.strictObject({
  enabled: z.boolean().default(false),
  testnet: z.boolean().default(false),
  apiKey: secretField.optional(),
  apiSecret: secretField.optional(),
  urls: venueUrls.optional(),
});

const simSection = z.strictObject({
  /** Port of the built-in Hyperliquid-compatible venue on 127.0.0.1; 0 picks a free one. */
  port: port.default(0),
  /** Recorded market data to replay; absent: the bundled BTC data. */
  dataFile: filePath.optional(),
  seed: z.int().min(0).max(2 ** 32 - 1).default(1),
  /** USDC given to every new account. */
  balance: z.number().positive().max(1e12).default(100_000),
  /** Replay speed relative to recorded time (60: one recorded minute per second). */
  speed: z.number().positive().max(1_000_000).default(60),
});

const instrumentId = z
  .string()
  .regex(/^(hyperliquid|binance|bybit|sim):[A-Za-z0-9._/-]+$/, { error: 'allowed: "VENUE:MARKET", VENUE one of hyperliquid, binance, bybit, sim' });

const strategy = z.strictObject({
  /** Unique per engine; names the strategy in RPC calls, logs and state. */
  id: nameKey,
  /** The strategy implementation, e.g. "sma-cross". */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, { error: 'allowed: a strategy name such as "sma-cross"' }),
  instrument: instrumentId,
  /** Checked by the strategy's own schema when it loads. */
  params: z.record(z.string(), z.json()).default({}),
  enabled: z.boolean().default(true),
});

/** One account's limits. Every limit is required: a risk limit nobody chose is not a limit. */
export const riskLimitsSchema = z.strictObject({
  /** Base units per order. */
  maxOrderSize: z.number().positive().max(1e9),
  /** Quote currency, per instrument. */
  maxPositionNotional: z.number().positive().max(1e12),
  maxLeverage: z.number().positive().max(200),
  /** How far (basis points) a limit price may be from the mid. */
  priceBandBps: z.number().positive().max(10_000),
  maxOrdersPerSecond: z.number().positive().max(1000),
  maxOpenOrders: z.int().min(1).max(10_000),
  /** Quote currency lost today; reaching it halts trading (open orders cancelled, flattened if configured). */
  maxDailyLoss: z.number().positive().max(1e12),
  maxDrawdownPct: z.number().gt(0).max(100),
  /** Base units of position per instrument, long or short; optional (maxPositionNotional always applies). */
  maxPosition: z.number().positive().max(1e12).optional(),
});

/**
 * Narrower limits for one strategy or one instrument (`risk.strategies`, `risk.instruments`). The gate
 * checks every scope an order falls in, so a scope can only tighten the account's limits, never loosen.
 */
export const scopeLimitsSchema = riskLimitsSchema
  .pick({ maxOrderSize: true, maxPosition: true, maxPositionNotional: true, maxOrdersPerSecond: true, maxOpenOrders: true })
  .partial()
  .refine((scope) => Object.keys(scope).length > 0, { error: 'an empty scope limits nothing; allowed: maxOrderSize, maxPosition, maxPositionNotional, maxOrdersPerSecond, maxOpenOrders' });

const vaultSection = z
  .strictObject({
    addr: httpUrl,
    mount: z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, { error: 'allowed: a mount path such as "secret"' }).default('secret'),
    path: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, { error: 'allowed: a secret path such as "osprey/prod"' }),
    namespace: z.string().min(1).optional(),
    /** File holding a Vault token; otherwise VAULT_TOKEN, unless AppRole is configured. */
    tokenFile: filePath.optional(),
    /** AppRole login: roleId plus a file holding the secret ID. */
    roleId: z.string().min(1).optional(),
    secretIdFile: filePath.optional(),
    /** Per request. */
    timeoutMs: z.int().min(100).max(60_000).default(5000),
    /** Retries of an unreachable or sealed Vault stop here; the engine then refuses to start. */
    startupDeadlineMs: z.int().min(100).max(600_000).default(30_000),
    allowInsecureHttp: z.boolean().default(false),
  })
  .superRefine((vault, ctx) => {
    const url = new URL(vault.addr);
    if (url.protocol === 'http:' && !vault.allowInsecureHttp && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['addr'],
        message: `http:// to a non-loopback host would send the token in clear; allowed: https://, http:// to 127.0.0.1/::1/localhost, or secrets.vault.allowInsecureHttp: true`,
      });
    }
    if (url.username !== '' || url.password !== '') {
      ctx.addIssue({ code: 'custom', path: ['addr'], message: 'the address holds credentials (user:password@); allowed: an address without them, the token in VAULT_TOKEN or tokenFile' });
    }
    if ((vault.roleId === undefined) !== (vault.secretIdFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: [vault.roleId === undefined ? 'roleId' : 'secretIdFile'], message: 'AppRole needs both roleId and secretIdFile' });
    }
  });

const strategies = z.array(strategy).default([]).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((s, i) => {
    if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate strategy id "${s.id}"; allowed: ids unique across strategies` });
    seen.add(s.id);
  });
});

const configObject = z.strictObject({
  /** LMDB state, audit journal, logs, rpc.token. */
  dataDir: filePath.default('./var'),
  mode: z.enum(['paper', 'live', 'sim']).default('paper'),
  log: logSection.prefault({}),
  rpc: rpcSection.prefault({}),
  venues: z.strictObject({ hyperliquid: hyperliquidVenue.prefault({}), binance: apiKeyVenue.prefault({}), bybit: apiKeyVenue.prefault({}) }).prefault({}),
  sim: simSection.prefault({}),
  strategies,
  risk: z
    .strictObject({
      /** Limits per account; the key is the venue ("hyperliquid") or "venue:subaccount". */
      limits: z.record(nameKey, riskLimitsSchema).default({}),
      /** Tighter limits for one strategy; the key is its id. */
      strategies: z.record(nameKey, scopeLimitsSchema).default({}),
      /** Tighter limits for one instrument, across strategies; the key is the instrument id. */
      instruments: z.record(instrumentId, scopeLimitsSchema).default({}),
    })
    .prefault({}),
  shutdown: z
    .strictObject({
      policy: z.enum(['cancel-open-orders', 'leave-open', 'flatten']).default('cancel-open-orders'),
      /** The process must exit within 10 s of SIGTERM (CONTRACTS.md). */
      timeoutMs: z.int().min(100).max(10_000).default(8000),
    })
    .prefault({}),
  state: z.strictObject({ mapSizeMb: z.int().min(16).max(1_048_576).optional() }).prefault({}),
  secrets: z.strictObject({ ageFile: filePath.optional(), ageIdentityFile: filePath.optional(), vault: vaultSection.optional() }).prefault({}),
});

type ParsedConfig = z.output<typeof configObject>;

export const configSchema = configObject
  .superRefine(checkLiveTrading, { when: (payload) => !payload.issues.some((i) => ['mode', 'venues', 'risk'].includes(String(i.path?.[0]))) })
  .superRefine(checkScopeKeys, { when: (payload) => !payload.issues.some((i) => ['strategies', 'risk'].includes(String(i.path?.[0]))) });

/** A scope for a strategy id that is not configured is a typo that would silently limit nothing. */
function checkScopeKeys(config: ParsedConfig, ctx: z.RefinementCtx<ParsedConfig>): void {
  const ids = config.strategies.map((s) => s.id);
  for (const id of Object.keys(config.risk.strategies)) {
    if (!ids.includes(id)) ctx.addIssue({ code: 'custom', path: ['risk', 'strategies', id], message: `no strategy has id "${id}"; allowed: ${ids.length > 0 ? ids.join(', ') : 'none configured'}` });
  }
}

/** Live trading needs credentials and risk limits for every venue it trades on. */
function checkLiveTrading(config: ParsedConfig, ctx: z.RefinementCtx<ParsedConfig>): void {
  if (config.mode !== 'live') return;
  const enabled = (['hyperliquid', 'binance', 'bybit'] as const).filter((v) => config.venues[v].enabled);
  if (enabled.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['venues'], message: 'mode "live" needs a venue; allowed: set enabled: true on hyperliquid, binance or bybit' });
  }
  const required = { hyperliquid: ['walletAddress', 'privateKey'], binance: ['apiKey', 'apiSecret'], bybit: ['apiKey', 'apiSecret'] } as const;
  for (const venue of enabled) {
    const settings = config.venues[venue] as Record<string, unknown>;
    for (const key of required[venue]) {
      if (settings[key] === undefined) ctx.addIssue({ code: 'custom', path: ['venues', venue, key], message: `required when mode is "live" and ${venue} is enabled` });
    }
    if (!Object.keys(config.risk.limits).some((account) => account === venue || account.startsWith(`${venue}:`))) {
      ctx.addIssue({ code: 'custom', path: ['risk', 'limits', venue], message: `mode "live" trades on ${venue}, which has no risk limits; allowed: an entry "${venue}" or "${venue}:SUBACCOUNT"` });
    }
  }
}

/** Deep readonly that keeps `Secret` intact (a mapped type would strip its private field). */
export type DeepReadonly<T> = T extends Secret
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export type OspreyConfig = DeepReadonly<ParsedConfig>;
export type RiskLimits = OspreyConfig['risk']['limits'][string];
export type StrategyConfig = OspreyConfig['strategies'][number];
export type SecretsConfig = OspreyConfig['secrets'];
export type VaultConfig = NonNullable<SecretsConfig['vault']>;

/** True for a dotted key path ("risk.limits.sim.maxOrderSize", "strategies.sma1.params.fast") that may change at runtime. */
export function isRuntimeUpdatable(path: string): boolean {
  const segments = path.split('.');
  if (segments.some((s) => s === '') || schemaAt(configSchema, segments) === undefined) return false;
  return RUNTIME_UPDATABLE.some((pattern) => {
    const parts = pattern.split('.');
    return parts.length <= segments.length && parts.every((p, i) => p === '*' || p === segments[i]);
  });
}

for (const pattern of RUNTIME_UPDATABLE) {
  if (schemaAt(configSchema, pattern.split('.')) === undefined) {
    throw new InvariantError(`RUNTIME_UPDATABLE names "${pattern}", which is not in the config schema`);
  }
}
