import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { Decimal, dec, str, type DecimalString } from '../../core/decimal.js';
import { roundToStep } from '../../core/rounding.js';
import type { InstrumentId, Side } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import type { CancelIntent, AmendIntent, MarketView, OrderView, PositionView, StrategyIntent, SubmitIntent } from './api.js';

const decimalText = z.string().regex(/^\d+(?:\.\d+)?$/, { error: 'allowed: a positive decimal string such as "0.01"' });

/**
 * How a strategy's orders go out, as configuration shared by every strategy (`params.order`):
 * market = an IOC limit bounded `slippageBps` from the reference price (never an unbounded market order);
 * limit = GTC at `offsetBps` on the passive side of the reference; post-only = the same as ALO, which
 * the venue refuses rather than let it take. Prices round away from crossing (buys down, sells up), so
 * rounding never widens the slippage bound.
 */
export const orderConfigSchema = z
  .strictObject({
    type: z.enum(['market', 'limit', 'post-only']).default('market'),
    slippageBps: z.number().min(0).max(1000).default(10),
    offsetBps: z.number().min(0).max(1000).default(0),
    /** Venue tick; without it prices keep 8 significant digits and execution applies the venue rule. */
    priceStep: decimalText.optional(),
    sizeStep: decimalText.optional(),
  })
  .prefault({});

export type OrderConfig = z.output<typeof orderConfigSchema>;

export interface OrderOptions {
  readonly type?: OrderConfig['type'];
  /** Limit price; defaults to the reference price moved by the configured offset or slippage. */
  readonly price?: number;
  readonly reduceOnly?: boolean;
}

interface BuilderDeps {
  readonly strategyId: string;
  readonly instrument: InstrumentId;
  readonly clock: Clock;
  readonly config: () => OrderConfig;
  readonly market: () => MarketView;
  readonly position: () => PositionView;
  readonly openOrders: () => readonly OrderView[];
  /** Next client order id (the runner owns the counter so it survives in snapshots). */
  readonly nextId: () => string;
}

export class OrderBuilder {
  readonly #d: BuilderDeps;

  constructor(deps: BuilderDeps) {
    this.#d = deps;
  }

  /** One order with the configured (or given) type. Throws RangeError without a price to anchor it. */
  submit(side: Side, size: DecimalString | Decimal, options: OrderOptions = {}): SubmitIntent {
    const config = this.#d.config();
    const type = options.type ?? config.type;
    const qty = sizeText(size, config.sizeStep);
    const sign = side === 'buy' ? 1 : -1;
    const ref = options.price ?? this.#d.market().reference;
    if (ref === undefined || !(ref > 0)) throw new RangeError('no price to place the order at: no market data yet and none given');
    const bps = options.price !== undefined ? 0 : type === 'market' ? config.slippageBps : -config.offsetBps;
    const price = this.#round(ref * (1 + (sign * bps) / 10_000), side, config);
    const intent: SubmitIntent = {
      kind: 'submit',
      postOnly: type === 'post-only',
      order: {
        clientOrderId: this.#d.nextId(),
        strategyId: this.#d.strategyId,
        instrument: this.#d.instrument,
        side,
        type: type === 'market' ? 'market' : 'limit',
        size: qty,
        price: typeof price === 'string' ? price : str(price),
        timeInForce: type === 'market' ? 'IOC' : type === 'post-only' ? 'ALO' : 'GTC',
        reduceOnly: options.reduceOnly ?? false,
        createdAt: this.#d.clock.now(),
      },
    };
    return type === 'market' ? withFields(intent, { slippageBps: config.slippageBps }) : intent;
  }

  /**
   * Orders that take the position to `target` (signed base units): cancels every open order first (they
   * were placed for an older target), then one order for the difference. Crossing zero is one order,
   * not reduce-only, because half of it opens.
   */
  target(target: DecimalString | Decimal, options: Omit<OrderOptions, 'reduceOnly'> = {}): StrategyIntent[] {
    const out: StrategyIntent[] = this.cancelAll();
    const current = dec(this.#d.position().size);
    const wanted = dec(target, 'target');
    const delta = wanted.minus(current);
    if (delta.isZero()) return out;
    const reduceOnly = wanted.isZero() || (wanted.abs().lt(current.abs()) && wanted.isPositive() === current.isPositive());
    out.push(this.submit(delta.isPositive() ? 'buy' : 'sell', delta.abs(), withFields(options, { reduceOnly })));
    return out;
  }

  /** Closes the position with a reduce-only market (bounded IOC) order, whatever the configured type. */
  flatten(): StrategyIntent[] {
    return this.target('0', { type: 'market' });
  }

  cancel(clientOrderId: string): CancelIntent {
    return { kind: 'cancel', strategyId: this.#d.strategyId, instrument: this.#d.instrument, clientOrderId };
  }

  cancelAll(): CancelIntent[] {
    return this.#d.openOrders().map((o) => this.cancel(o.clientOrderId));
  }

  amend(clientOrderId: string, change: { price?: number; size?: DecimalString }): AmendIntent {
    const order = this.#d.openOrders().find((o) => o.clientOrderId === clientOrderId);
    const side = order?.side ?? 'buy';
    return {
      kind: 'amend',
      strategyId: this.#d.strategyId,
      instrument: this.#d.instrument,
      clientOrderId,
      ...(change.price === undefined ? {} : { price: String(this.#round(change.price, side, this.#d.config())) }),
      ...(change.size === undefined ? {} : { size: str(dec(change.size, 'size')) }),
    };
  }

  #round(price: number, side: Side, config: OrderConfig): Decimal | string {
    const down = side === 'buy';
    if (config.priceStep !== undefined) return roundToStep(price, config.priceStep, down ? 'down' : 'up');
    return significant(price, 8, down);
  }
}

const CANONICAL_POSITIVE = /^(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** Canonical size text. Already-canonical text (the usual case) skips decimal.js: it is on the hot path. */
function sizeText(size: DecimalString | Decimal, step: string | undefined): DecimalString {
  const text = step === undefined && typeof size === 'string' && CANONICAL_POSITIVE.test(size) ? size : str(step === undefined ? dec(size, 'size') : roundToStep(size, step, 'down'));
  if (!(Number(text) > 0)) throw new RangeError(`order size must be positive, got ${text}`);
  return text;
}

/**
 * `value` to `digits` significant digits, rounded down or up, as canonical decimal text. In doubles,
 * because this runs for every order on the hot path and decimal.js cost more than the strategy: the
 * scaled value is an integer below 2^53, and the 1e-7 slack absorbs the representation error of
 * the multiplication (far below the last kept digit).
 */
export function significant(value: number, digits: number, down: boolean): string {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`price must be positive and finite, got ${value}`);
  const exponent = digits - 1 - Math.floor(Math.log10(value));
  const scaled = exponent >= 0 ? value * 10 ** exponent : value / 10 ** -exponent;
  const n = down ? Math.floor(scaled + 1e-7) : Math.ceil(scaled - 1e-7);
  if (exponent <= 0) return String(n * 10 ** -exponent);
  let text = String(n).padStart(exponent + 1, '0');
  let end = text.length;
  let kept = exponent;
  while (kept > 0 && text.charCodeAt(end - 1) === 48) {
    end--;
    kept--;
  }
  text = text.slice(0, end);
  return kept === 0 ? text : `${text.slice(0, end - kept)}.${text.slice(end - kept)}`;
}
