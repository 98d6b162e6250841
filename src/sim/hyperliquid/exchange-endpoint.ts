import type { Clock } from '../../core/clock.js';
import type { Address, SimVenue } from '../venue-api.js';
import type { AccountDirectory } from './account-directory.js';
import { TypedDataError } from './eip712.js';
import { DEFAULT_OK, errReply, executeAction, type ActionContext, type ExchangeReply } from './exchange-actions.js';
import {
  ACKNOWLEDGED_ACTIONS,
  UNSUPPORTED_ACTIONS,
  isKnownActionType,
  parseEnvelope,
  parseExecutedAction,
  type ExchangeEnvelope,
} from './exchange-schema.js';
import { describeSchemaError } from './http-replies.js';
import type { NonceBook } from './nonces.js';
import { isUserSignedAction, recoverSigner, type Network, type SignedRequest } from './signing.js';

/**
 * POST /exchange, transport-neutral so the WebSocket `post` method runs the very same path:
 * shape check (a 422 on failure) -> authentication -> execution.
 */

export interface AuthContext {
  readonly venue: SimVenue;
  readonly directory: AccountDirectory;
  readonly nonces: NonceBook;
  readonly network: Network;
  /** The clients' clock: nonces and expiresAfter are wall-clock ms even while the venue replays old data. */
  readonly clock: Clock;
}

export type AuthResult =
  | { readonly ok: true; readonly signer: Address; readonly account: Address }
  | { readonly ok: false; readonly error: string };

function unknownSigner(address: Address): AuthResult {
  return { ok: false, error: `User or API Wallet ${address} does not exist.` };
}

function normaliseVault(vault: string | null | undefined): Address | undefined {
  if (vault === undefined || vault === null) return undefined;
  return (vault.startsWith('0x') ? vault : `0x${vault}`).toLowerCase();
}

/**
 * Turns a signed /exchange envelope into the account it acts for, in the live venue's order of checks:
 * signature -> signer known -> expiry -> nonce. A failure is the top-level `{"status":"err"}` text.
 * The nonce is recorded only for requests that pass, as a rejected transaction never reaches the chain.
 * `rawAction` must be the action object exactly as JSON.parse produced it: a schema parser rebuilds
 * objects and may reorder keys, which would change the msgpack bytes and so the recovered signer.
 */
export function authenticate(context: AuthContext, envelope: ExchangeEnvelope, rawAction: SignedRequest['action']): AuthResult {
  const request: SignedRequest = {
    action: rawAction,
    nonce: envelope.nonce,
    signature: envelope.signature,
    vaultAddress: envelope.vaultAddress,
    expiresAfter: envelope.expiresAfter,
  };
  let signer: Address;
  try {
    signer = recoverSigner(request, context.network);
  } catch (error) {
    if (error instanceof TypedDataError) return { ok: false, error: `Invalid signature: ${error.message}` };
    throw error;
  }
  const now = context.clock.now();
  const master = context.directory.masterOf(signer, now);
  const userSigned = isUserSignedAction(envelope.action.type);
  // User-signed actions (transfers, approvals) are the account owner's own; an API wallet cannot sign them.
  if (userSigned && context.directory.isAgent(signer)) {
    return { ok: false, error: `Must be signed by the account owner, not API wallet ${signer}.` };
  }
  const owner = master ?? signer;
  if (!context.venue.admits(owner)) return unknownSigner(signer);
  const vault = userSigned ? undefined : normaliseVault(envelope.vaultAddress);
  if (vault !== undefined && !context.venue.admits(vault)) return { ok: false, error: `Vault or sub-account ${vault} does not exist.` };
  if (envelope.expiresAfter !== undefined && envelope.expiresAfter !== null && envelope.expiresAfter < now) {
    return { ok: false, error: `Action already expired: expiresAfter ${envelope.expiresAfter} < now ${now}` };
  }
  const nonceProblem = context.nonces.problem(signer, envelope.nonce, now);
  if (nonceProblem !== undefined) return { ok: false, error: nonceProblem };
  context.nonces.record(signer, envelope.nonce);
  return { ok: true, signer, account: vault ?? owner };
}

export type ExchangeContext = AuthContext & ActionContext;

export type ExchangeOutcome =
  | { readonly kind: 'reply'; readonly reply: ExchangeReply }
  /** The body does not deserialise; HTTP answers 422 with this detail. */
  | { readonly kind: 'malformed'; readonly detail: string };

function malformed(detail: string): ExchangeOutcome {
  return { kind: 'malformed', detail };
}

export function handleExchange(context: ExchangeContext, body: unknown): ExchangeOutcome {
  const envelope = parseEnvelope(body);
  if (!envelope.ok) return malformed(describeSchemaError(envelope.error, body));
  const type = envelope.value.action.type;
  if (!isKnownActionType(type)) return malformed(`action.type: unknown variant \`${type}\``);
  const executed = ACKNOWLEDGED_ACTIONS.has(type) || UNSUPPORTED_ACTIONS.has(type) ? undefined : parseExecutedAction(envelope.value.action);
  if (executed !== undefined && !executed.ok) return malformed(describeSchemaError(executed.error, envelope.value.action, 'action'));

  const rawAction = (body as { action: SignedRequest['action'] }).action;
  const auth = authenticate(context, envelope.value, rawAction);
  if (!auth.ok) return { kind: 'reply', reply: errReply(auth.error) };
  if (UNSUPPORTED_ACTIONS.has(type)) return { kind: 'reply', reply: errReply(`Action ${type} is not supported by the simulated venue.`) };
  if (executed === undefined) return { kind: 'reply', reply: DEFAULT_OK };
  return { kind: 'reply', reply: executeAction(context, auth, executed.value) };
}
