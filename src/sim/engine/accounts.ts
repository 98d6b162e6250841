import { Decimal, ZERO } from '../../core/decimal.js';
import { ConfigError } from '../../core/errors.js';
import { applyFill, flatPosition } from '../../core/position.js';
import type { Position } from '../../core/types.js';
import type { Address } from '../venue-api.js';

/**
 * USDC perp margin accounts. Cash is the USDC balance: deposit + realised PnL - fees, all exact decimals.
 * Positions use core's applyFill (signed size and signed cost), so realised + unrealised always equals the
 * cash flows plus the mark value.
 */

export interface FillEffect {
  /** Signed position before the fill. */
  readonly startPosition: Decimal;
  /** PnL realised by the closing part of the fill, before fees (Hyperliquid's closedPnl is gross). */
  readonly closedPnl: Decimal;
  /** Hyperliquid's `dir`: "Open Long", "Close Long", "Open Short", "Close Short", "Long > Short", "Short > Long". */
  readonly dir: string;
}

export class MarginAccount {
  readonly address: Address;
  #cash: Decimal;
  readonly #positions = new Map<string, Position>();
  readonly #leverage = new Map<string, number>();

  constructor(address: Address, deposit: Decimal) {
    this.address = address;
    this.#cash = deposit;
  }

  /** USDC balance: what the account holds before valuing open positions. */
  get cash(): Decimal {
    return this.#cash;
  }

  /** Signed position size; zero when flat. */
  size(coin: string): Decimal {
    const position = this.#positions.get(coin);
    return position === undefined ? ZERO : new Decimal(position.size);
  }

  /** Signed cost of the open position (size x entry prices). */
  cost(coin: string): Decimal {
    const position = this.#positions.get(coin);
    return position === undefined ? ZERO : new Decimal(position.cost);
  }

  /** Coins with a non-zero position, in the order they were first traded. */
  openCoins(): string[] {
    return [...this.#positions.entries()].filter(([, p]) => p.size !== '0').map(([coin]) => coin);
  }

  leverage(coin: string, fallback: number): number {
    return this.#leverage.get(coin) ?? fallback;
  }

  setLeverage(coin: string, leverage: number): void {
    this.#leverage.set(coin, leverage);
  }

  applyFill(coin: string, isBuy: boolean, px: Decimal, sz: Decimal, fee: Decimal, time: number): FillEffect {
    const before = this.#positions.get(coin) ?? flatPosition(coin, time);
    const after = applyFill(before, { side: isBuy ? 'buy' : 'sell', price: px.toFixed(), size: sz.toFixed(), fee: fee.toFixed(), ts: time });
    this.#positions.set(coin, after);
    const closedPnl = new Decimal(after.realisedPnl).minus(before.realisedPnl);
    this.#cash = this.#cash.plus(closedPnl).minus(fee);
    const startPosition = new Decimal(before.size);
    return { startPosition, closedPnl, dir: direction(startPosition, isBuy, sz) };
  }
}

export function direction(start: Decimal, isBuy: boolean, sz: Decimal): string {
  if (start.isZero()) return isBuy ? 'Open Long' : 'Open Short';
  if (start.gt(0)) {
    if (isBuy) return 'Open Long';
    return sz.lte(start) ? 'Close Long' : 'Long > Short';
  }
  if (!isBuy) return 'Open Short';
  return sz.lte(start.abs()) ? 'Close Short' : 'Short > Long';
}

/** The accounts of one venue: funded on first sight, or only the addresses of an allow-list. */
export class AccountBook {
  readonly #accounts = new Map<Address, MarginAccount>();
  readonly #deposit: Decimal;
  readonly #allowed: ReadonlySet<Address> | undefined;

  constructor(deposit: Decimal, allowed?: readonly Address[]) {
    if (deposit.lt(0)) throw new ConfigError([{ path: 'balance', message: `must not be negative, got ${deposit.toFixed()}` }]);
    this.#deposit = deposit;
    this.#allowed = allowed === undefined ? undefined : new Set(allowed.map(normaliseAddress));
  }

  admits(user: Address): boolean {
    return this.#allowed === undefined || this.#allowed.has(normaliseAddress(user));
  }

  /** The account, created and funded the first time an admitted address is seen; undefined when not admitted. */
  get(user: Address): MarginAccount | undefined {
    const address = normaliseAddress(user);
    const known = this.#accounts.get(address);
    if (known !== undefined || !this.admits(address)) return known;
    const account = new MarginAccount(address, this.#deposit);
    this.#accounts.set(address, account);
    return account;
  }

  /** Accounts seen so far (only those: an unseen address has no account yet). */
  all(): MarginAccount[] {
    return [...this.#accounts.values()];
  }

  get deposit(): Decimal {
    return this.#deposit;
  }
}

/** Addresses compare lower-case: the signer recovered by the server and a user typed in a query may differ in case. */
export function normaliseAddress(user: Address): Address {
  return user.toLowerCase();
}
