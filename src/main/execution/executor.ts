import type { Clock } from '../../core/clock.js';
import { OrderBook } from '../../core/order-book.js';
import type { LatencySink } from '../../core/latency-stages.js';
import type { OrderIntent } from '../../core/types.js';
import { withFields } from '../../core/with-fields.js';
import type { EventBus } from '../bus/bus.js';
import type { Denial } from '../risk/checks.js';
import type { RiskGate } from '../risk/gate.js';
import type { MarketPrices } from '../risk/marks.js';
import type { StateStore } from '../state/store.js';
import { type AmendOutcome, OrderAmender } from './amender.js';
import { CancelWorker, type CancelOutcome } from './canceller.js';
import { clientOrderIdFor, systemClientOrderId } from './client-id.js';
import { OrderLedger } from './ledger.js';
import { OrderSender, type RetrySettings, type SendOutcome } from './sender.js';
import { type SlippageSettings, boundMarketIntent } from './slippage.js';
import { OrderThrottle, type ThrottleSettings } from './throttle.js';
import type { ExecutionVenue } from './venue-port.js';

export interface ExecutorOptions {
  readonly venue: ExecutionVenue;
  readonly store: StateStore;
  readonly gate: RiskGate;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly prices: MarketPrices;
  readonly throttle?: ThrottleSettings;
  readonly retry?: RetrySettings;
  readonly slippage?: SlippageSettings;
  /** Failures of background work (a bus-driven store write); default: rethrown on the next tick. */
  readonly onError?: (error: unknown) => void;
  /** Per-stage latency sink (LatencyRegistry.record): the `gate` check and each `submit` to the venue. */
  readonly recordLatency?: LatencySink;
}

/**
 * What a strategy asks for. The client order id is derived from (strategy, intent sequence), unless the
 * intent already carries one (strategies in workers name their orders so they can follow them); either
 * way it is fixed before the write-ahead, so a retried or replayed intent is the same order.
 */
export type SubmitRequest = Omit<OrderIntent, 'clientOrderId' | 'createdAt'> & { readonly intentSeq: number; readonly clientOrderId?: string };

export type SubmitOutcome =
  | { readonly kind: 'denied'; readonly clientOrderId: string; readonly denial: Denial }
  /** This (strategy, intent sequence) was already written: nothing is sent again. */
  | { readonly kind: 'duplicate'; readonly clientOrderId: string }
  | { readonly kind: 'sent'; readonly clientOrderId: string; readonly outcome: SendOutcome };

/**
 * Carries intents out: bound (market -> IOC within slippage), gate (authoritative, reserves), write-ahead
 * (awaited), send (retry with the same client id), and keeps store and exposure in step with what the
 * venue reports on the bus. The only component that sends orders.
 */
export class Executor {
  readonly ledger: OrderLedger;
  readonly #venue: ExecutionVenue;
  readonly #gate: RiskGate;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #prices: MarketPrices;
  readonly #slippage: SlippageSettings | undefined;
  readonly #sender: OrderSender;
  readonly #canceller: CancelWorker;
  readonly #amender: OrderAmender;
  readonly #onError: (error: unknown) => void;
  readonly #recordLatency: LatencySink | undefined;
  readonly #inflight = new Set<Promise<unknown>>();
  /** Sends in progress by client id: a cancel waits for its order's send to end before it acts. */
  readonly #sending = new Map<string, Promise<SendOutcome>>();
  /** Client ids between the duplicate check and the end of their submit. */
  readonly #claimed = new Set<string>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: ExecutorOptions) {
    this.#venue = options.venue;
    this.#gate = options.gate;
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#prices = options.prices;
    this.#slippage = options.slippage;
    this.#onError = options.onError ?? ((error) => queueMicrotask(() => { throw error; }));
    this.#recordLatency = options.recordLatency;
    this.ledger = new OrderLedger({ store: options.store, gate: options.gate, bus: options.bus, clock: options.clock });
    const throttle = new OrderThrottle(options.venue.venue, options.clock, options.throttle);
    this.#sender = new OrderSender(options.venue, this.ledger, throttle, options.retry, options.recordLatency);
    this.#canceller = new CancelWorker(options.venue, this.ledger, throttle);
    this.#amender = new OrderAmender(options.venue, this.ledger, options.gate, throttle);
    options.gate.onHalt((flatten) => this.#onHalt(flatten));
  }

  /** Starts following the venue's order and fill events. */
  start(): void {
    if (this.#unsubscribe.length > 0) return;
    this.#unsubscribe.push(
      this.#bus.subscribe('order.updated', (e) => this.#background(this.ledger.applyVenueOrder(e.order)), 'execution.orders'),
      this.#bus.subscribe('fill.received', (e) => this.#background(this.ledger.applyFill(e.fill)), 'execution.fills'),
    );
  }

  /** Waits for sends in flight (still following their reports), then stops following events. */
  async stop(): Promise<void> {
    await this.settled();
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.settled();
  }

  /** Resolves when every send, cancel and event write started so far has finished. */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  submit(request: SubmitRequest, options: { flatten?: boolean } = {}): Promise<SubmitOutcome> {
    return this.#track(this.#submit(request, options));
  }

  cancel(clientOrderId: string): Promise<CancelOutcome> {
    const sending = this.#sending.get(clientOrderId);
    const cancel = async (): Promise<CancelOutcome> => {
      // Cancelling an order whose send is still out could find "unknown at the venue" just before it lands.
      if (sending !== undefined) await sending.catch(() => undefined);
      return this.#canceller.cancel(clientOrderId);
    };
    return this.#track(cancel());
  }

  /** Changes a resting order's price and/or size, through the gate (see OrderAmender). */
  amend(clientOrderId: string, change: { price?: string; size?: string }): Promise<AmendOutcome> {
    const sending = this.#sending.get(clientOrderId);
    const amend = async (): Promise<AmendOutcome> => {
      if (sending !== undefined) await sending.catch(() => undefined);
      return this.#amender.amend(clientOrderId, change);
    };
    return this.#track(amend());
  }

  /** True while the order's send is in progress; reconciliation leaves such orders alone. */
  isSending(clientOrderId: string): boolean {
    return this.#sending.has(clientOrderId);
  }

  /** Cancels every open order: first waits for sends in flight, so none lands after the sweep. */
  async cancelAll(): Promise<CancelOutcome[]> {
    await this.settled();
    const ids = this.ledger.store.openOrders().map((o) => o.clientOrderId);
    return Promise.all(ids.map((id) => this.cancel(id)));
  }

  /** Reduce-only market exits for every strategy position; they pass a halted gate only if they reduce. */
  async flatten(): Promise<SubmitOutcome[]> {
    const base = this.#clock.now();
    const exits = this.#gate.exposure.positions().map((p, i) => this.submit({
      intentSeq: base * 1000 + i, strategyId: p.strategyId, instrument: p.instrument, side: p.size.isPositive() ? 'sell' : 'buy',
      type: 'market', size: p.size.abs().toFixed(), price: '0', timeInForce: 'IOC', reduceOnly: true,
    }, { flatten: true }));
    return Promise.all(exits);
  }

  async #submit(request: SubmitRequest, options: { flatten?: boolean }): Promise<SubmitOutcome> {
    const { intentSeq, clientOrderId: given, ...fields } = request;
    const clientOrderId = given ?? (options.flatten === true ? systemClientOrderId(`flatten:${fields.strategyId}`, intentSeq) : clientOrderIdFor(fields.strategyId, intentSeq));
    // Claimed synchronously: the same intent submitted twice at once is refused here, not at the venue.
    if (this.ledger.order(clientOrderId) !== undefined || this.#claimed.has(clientOrderId)) return { kind: 'duplicate', clientOrderId };
    this.#claimed.add(clientOrderId);
    try {
      return await this.#submitClaimed(clientOrderId, fields, options);
    } finally {
      this.#claimed.delete(clientOrderId);
    }
  }

  async #submitClaimed(clientOrderId: string, fields: Omit<SubmitRequest, 'intentSeq'>, options: { flatten?: boolean }): Promise<SubmitOutcome> {
    let intent: OrderIntent = withFields(fields, { clientOrderId, createdAt: this.#clock.now() });
    const gate = this.#venue.canTrade(intent.instrument);
    const exitPastStaleData = intent.reduceOnly && !gate.ok && (gate.reason === 'STALE_BOOK' || gate.reason === 'NO_BOOK');
    if (!gate.ok && !exitPastStaleData) return this.#deny(intent, { code: 'VENUE_NOT_READY', reason: `${gate.reason}: ${gate.detail}`, limit: '0', value: '0' });
    if (intent.type === 'market') {
      const bounded = boundMarketIntent(intent, await this.#book(intent), this.#venue.instrument(intent.instrument), this.#slippage);
      if (!bounded.ok) return this.#deny(intent, bounded.denial);
      intent = bounded.intent;
    }
    // Synchronous from here to the reserve inside check(): nothing can interleave between check and reserve.
    const gateStart = performance.now();
    const denial = this.#gate.check(intent, options);
    this.#recordLatency?.('gate', (performance.now() - gateStart) * 1000);
    if (denial !== undefined) return { kind: 'denied', clientOrderId, denial };
    // Registered before the write-ahead starts: from then on the order is in the store as pending, and
    // a reconciliation or cancel must know that its send is still to come.
    const sending = this.#writeAndSend(intent);
    this.#sending.set(clientOrderId, sending);
    let outcome: SendOutcome;
    try {
      outcome = await sending;
    } finally {
      this.#sending.delete(clientOrderId);
    }
    if (outcome === 'rejected' || outcome === 'not-sent') this.#gate.exposure.release(clientOrderId);
    // A halt that came while this send was in flight has already swept; this order must not outlive it.
    if (outcome === 'accepted' && this.#gate.trading.state === 'HALTED' && options.flatten !== true) await this.#canceller.cancel(clientOrderId);
    return { kind: 'sent', clientOrderId, outcome };
  }

  async #writeAndSend(intent: OrderIntent): Promise<SendOutcome> {
    try {
      await this.ledger.writeIntent(intent);
    } catch (error) {
      // Not on disk, so never sent: give the reservation back, and let the store's failure policy act.
      this.#gate.exposure.release(intent.clientOrderId);
      throw error;
    }
    return this.#sender.send(intent);
  }

  async #book(intent: OrderIntent): Promise<OrderBook | undefined> {
    const live = this.#prices.book(intent.instrument);
    if (live !== undefined && live.bidDepth > 0 && live.askDepth > 0) return live;
    try {
      const snapshot = await this.#venue.fetchBook(intent.instrument, 20);
      const book = new OrderBook();
      book.applySnapshot(snapshot.bids, snapshot.asks);
      return book;
    } catch {
      // No book at all: the bound cannot be set, so the intent is refused with NO_BOOK.
      return undefined;
    }
  }

  #deny(intent: OrderIntent, denial: Denial): SubmitOutcome {
    this.#gate.publishDenial(intent, denial);
    return { kind: 'denied', clientOrderId: intent.clientOrderId, denial };
  }

  async #onHalt(flatten: boolean): Promise<void> {
    await this.cancelAll();
    if (flatten) await this.flatten();
  }

  #background(work: Promise<unknown>): void {
    void this.#track(work).catch((error: unknown) => this.#onError(error));
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inflight.add(work);
    const done = () => this.#inflight.delete(work);
    work.then(done, done);
    return work;
  }
}
