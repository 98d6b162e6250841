import { createHash, timingSafeEqual } from 'node:crypto';
import type { OspreyConfig } from '../main/config/schema.js';
import { ensureTokenFile, type TokenFileResult } from './token-file.js';

/** What a token may do: everything, or only the methods that change nothing. */
export type Role = 'full' | 'read';

/** Longer Authorization headers are refused before any work is done on them. */
const MAX_HEADER_LENGTH = 1024;

interface Known {
  readonly digest: Buffer;
  readonly role: Role;
}

/**
 * Checks bearer tokens. Candidates and known tokens are compared as SHA-256 digests with
 * crypto.timingSafeEqual: equal lengths always (timingSafeEqual throws on unequal ones), so neither a
 * token's content nor its length shows in the time taken, and every known token is compared every time
 * (no early exit that would tell a read-only token from a full one by timing).
 */
export class TokenAuthority {
  readonly #known: readonly Known[];

  constructor(fullToken: string, readOnlyTokens: readonly string[] = []) {
    this.#known = [{ digest: sha256(fullToken), role: 'full' as Role }, ...readOnlyTokens.map((t) => ({ digest: sha256(t), role: 'read' as Role }))];
  }

  /**
   * From config: `rpc.token` and `rpc.readOnlyTokens` (Secrets), else `<dataDir>/rpc.token`, created
   * on first start. `tokenFile` in the result says which file was used, for the log (never the value).
   */
  static async fromConfig(config: OspreyConfig): Promise<{ authority: TokenAuthority; tokenFile?: TokenFileResult }> {
    const readOnly = config.rpc.readOnlyTokens.map((s) => s.reveal());
    if (config.rpc.token !== undefined) return { authority: new TokenAuthority(config.rpc.token.reveal(), readOnly) };
    const tokenFile = await ensureTokenFile(config.dataDir);
    return { authority: new TokenAuthority(tokenFile.token, readOnly), tokenFile };
  }

  /** The role of an `Authorization: Bearer <token>` header, or undefined for a missing or wrong token. */
  roleOf(authorization: string | undefined): Role | undefined {
    if (authorization === undefined || authorization.length === 0 || authorization.length > MAX_HEADER_LENGTH) return undefined;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match === null) return undefined;
    const candidate = sha256(match[1]!);
    let role: Role | undefined;
    for (const known of this.#known) {
      // No break: the loop takes the same time whichever token (if any) matches.
      if (timingSafeEqual(candidate, known.digest) && role === undefined) role = known.role;
    }
    return role;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
