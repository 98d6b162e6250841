import type { Decimal } from '../../core/decimal.js';
import type { StateStore } from '../state/store.js';
import type { MarketPrices } from './marks.js';
import { netPnl } from './pnl-guard.js';

/**
 * The gate's equity source for a live engine: the venue's account value read once at start (after
 * reconciliation), moved since by exactly the PnL the store records (realised, fees) and the marks
 * (unrealised). Between venue balance reads the gate so sees every fill and every mark at once, and
 * nothing is counted twice: the PnL already held at start is taken out of the baseline.
 */
export class EquitySource {
  readonly #store: StateStore;
  readonly #prices: MarketPrices;
  #baseline: Decimal | undefined;

  constructor(store: StateStore, prices: MarketPrices) {
    this.#store = store;
    this.#prices = prices;
  }

  /** Sets the account value as the venue reports it now (e.g. USDC total of a perp account). */
  anchor(accountValue: Decimal): void {
    this.#baseline = accountValue.minus(this.#pnl());
  }

  /** Undefined until anchored: the gate then refuses new exposure (NO_EQUITY). */
  equity(): Decimal | undefined {
    return this.#baseline?.plus(this.#pnl());
  }

  #pnl(): Decimal {
    return netPnl(this.#store.positions(), (instrument) => this.#prices.mark(instrument));
  }
}
