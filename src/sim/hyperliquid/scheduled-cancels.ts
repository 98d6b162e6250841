import type { Address, SimVenue } from '../venue-api.js';

/**
 * The dead man's switch (`scheduleCancel`): at the scheduled time every open order of the account is
 * canceled. Times are the clients' wall-clock ms (ccxt sends nonce + delay), so the server polls its
 * transport clock rather than the venue's replay clock.
 */

/** Live Hyperliquid refuses a trigger time less than 5 s ahead. */
export const MIN_SCHEDULE_AHEAD_MS = 5_000;

export class ScheduledCancels {
  readonly #venue: SimVenue;
  readonly #due = new Map<Address, number>();

  constructor(venue: SimVenue) {
    this.#venue = venue;
  }

  /** Sets (time) or clears (undefined) the account's switch; returns the live venue's error text when refused. */
  schedule(account: Address, time: number | undefined, nowMs: number): string | undefined {
    if (time === undefined) {
      this.#due.delete(account);
      return undefined;
    }
    if (time < nowMs + MIN_SCHEDULE_AHEAD_MS) return 'Scheduled cancel time too early, must be at least 5 seconds from now.';
    this.#due.set(account, time);
    return undefined;
  }

  /** Fires every switch whose time has come; returns the accounts whose orders were canceled. */
  fireDue(nowMs: number): Address[] {
    const fired: Address[] = [];
    for (const [account, time] of [...this.#due]) {
      if (time > nowMs) continue;
      this.#due.delete(account);
      const assetOf = new Map(this.#venue.markets.map((m) => [m.coin, m.assetId]));
      const cancels = this.#venue
        .openOrders(account)
        .flatMap((o) => {
          const assetId = assetOf.get(o.coin);
          return assetId === undefined ? [] : [{ assetId, oid: o.oid }];
        });
      if (cancels.length > 0) this.#venue.cancel(account, cancels);
      fired.push(account);
    }
    return fired;
  }
}
