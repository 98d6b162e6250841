import type { Address } from '../venue-api.js';

/**
 * Who may act for whom, and the per-account settings the protocol layer owns (the venue owns money,
 * orders and positions). API ("agent") wallets sign for a master account; builder-fee approvals and the
 * account abstraction mode are remembered because ccxt reads them back.
 */

export interface AgentWallet {
  readonly address: Address;
  readonly master: Address;
  /** "" for the one unnamed agent a master may have. */
  readonly name: string;
  /** Epoch ms after which the agent may no longer sign, from a "valid_until <ms>" name suffix. */
  readonly validUntil: number | null;
}

export type Abstraction = 'unifiedAccount' | 'portfolioMargin' | 'disabled' | 'default' | 'dexAbstraction';

const VALID_UNTIL = /\s*valid_until\s+(\d+)\s*$/;

export class AccountDirectory {
  readonly #agents = new Map<Address, AgentWallet>();
  /** account -> builder -> max fee in tenths of a basis point. */
  readonly #builderApprovals = new Map<Address, Map<Address, number>>();
  readonly #abstraction = new Map<Address, Abstraction>();
  readonly #referrers = new Map<Address, string>();

  /** The master an agent signs for, if `signer` is an agent still valid at `nowMs`. */
  masterOf(signer: Address, nowMs: number): Address | undefined {
    const agent = this.#agents.get(signer);
    if (agent === undefined) return undefined;
    return agent.validUntil !== null && nowMs > agent.validUntil ? undefined : agent.master;
  }

  isAgent(address: Address): boolean {
    return this.#agents.has(address);
  }

  /**
   * Registers `agent` for `master`. Like the live venue, a new unnamed agent replaces the previous
   * unnamed one, and a named agent replaces the one with the same name.
   */
  approveAgent(master: Address, agent: Address, rawName: string): void {
    const match = VALID_UNTIL.exec(rawName);
    const name = match === null ? rawName : rawName.slice(0, match.index);
    const validUntil = match?.[1] === undefined ? null : Number(match[1]);
    for (const existing of [...this.#agents.values()]) {
      if (existing.master === master && existing.name === name) this.#agents.delete(existing.address);
    }
    this.#agents.set(agent, { address: agent, master, name, validUntil });
  }

  agentsOf(master: Address): AgentWallet[] {
    return [...this.#agents.values()].filter((a) => a.master === master);
  }

  approveBuilder(account: Address, builder: Address, maxFeeTenthsBp: number): void {
    let approvals = this.#builderApprovals.get(account);
    if (approvals === undefined) {
      approvals = new Map();
      this.#builderApprovals.set(account, approvals);
    }
    approvals.set(builder, maxFeeTenthsBp);
  }

  /** The approved maximum builder fee in tenths of a basis point (0 when never approved). */
  maxBuilderFee(account: Address, builder: Address): number {
    return this.#builderApprovals.get(account)?.get(builder) ?? 0;
  }

  setAbstraction(account: Address, abstraction: Abstraction): void {
    this.#abstraction.set(account, abstraction);
  }

  abstraction(account: Address): Abstraction {
    return this.#abstraction.get(account) ?? 'default';
  }

  setReferrer(account: Address, code: string): void {
    if (!this.#referrers.has(account)) this.#referrers.set(account, code);
  }

  referrer(account: Address): string | undefined {
    return this.#referrers.get(account);
  }
}

/**
 * "0.01%" -> 10 (tenths of a basis point, the unit of an order's builder `f`). Undefined for text that
 * is not a percentage with at most 3 decimals, the finest step the unit can hold.
 */
export function parseMaxFeeRate(text: string): number | undefined {
  const match = /^(\d+)(?:\.(\d{1,3}))?%$/.exec(text);
  if (match === null) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(3, '0'));
  return whole * 1000 + fraction;
}
