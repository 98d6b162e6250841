import type { Dict, Exchange, Order as CcxtOrder } from 'ccxt';
import type { Clock } from '../../../core/clock.js';
import { OspreyError, VenueError } from '../../../core/errors.js';
import type { InstrumentId, Order, OrderIntent, TimeInForce } from '../../../core/types.js';
import type { AmendRequest, CancelResult, SubmitResult } from '../adapter.js';
import type { OrderTracker, VenueOrderReport } from '../order-tracker.js';
import type { RestGuard } from '../resilience/rest-guard.js';
import type { VenueEvents } from '../venue-events.js';
import type { InstrumentDirectory } from './instruments.js';
import { decimalText, orderStatus } from './normalise.js';
import type { CcxtVenueProfile } from './profile.js';

/**
 * Submit, cancel and amend through ccxt. Every order goes out as a limit order: a market intent carries
 * the bound of the IOC it becomes (src/core/types.ts), and sending it as IOC at that bound keeps the
 * slippage limit on every venue (ccxt would otherwise add its own slippage to Hyperliquid market orders
 * and send Binance and Bybit market orders unbounded).
 */
export class CcxtOrderEntry {
  readonly #exchange: Exchange;
  readonly #profile: CcxtVenueProfile;
  readonly #directory: () => InstrumentDirectory;
  readonly #guard: RestGuard;
  readonly #tracker: OrderTracker;
  readonly #events: VenueEvents;
  readonly #clock: Clock;

  constructor(deps: {
    exchange: Exchange; profile: CcxtVenueProfile; directory: () => InstrumentDirectory; guard: RestGuard;
    tracker: OrderTracker; events: VenueEvents; clock: Clock;
  }) {
    this.#exchange = deps.exchange;
    this.#profile = deps.profile;
    this.#directory = deps.directory;
    this.#guard = deps.guard;
    this.#tracker = deps.tracker;
    this.#events = deps.events;
    this.#clock = deps.clock;
  }

  async submit(intent: OrderIntent): Promise<SubmitResult> {
    const symbol = this.#directory().symbolOf(intent.instrument);
    const venueClientId = this.#profile.venueClientId(intent.clientOrderId);
    this.#tracker.track(intent);
    const params: Dict = { ...this.#profile.createParams(venueClientId), ...tifParams(intent.type === 'market' ? 'IOC' : intent.timeInForce) };
    if (intent.reduceOnly) params.reduceOnly = true;
    let placed: CcxtOrder;
    try {
      placed = await this.#guard.write('submit', () =>
        this.#exchange.createOrder(symbol, 'limit', intent.side, Number(intent.size), Number(intent.price), params));
    } catch (error) {
      if (!(error instanceof OspreyError) || error.code !== 'ORDER_REJECTED') throw error;
      this.#tracker.reject(intent.clientOrderId, error.message, this.#clock.now());
      this.#events.rejected(intent.clientOrderId, 'ORDER_REJECTED', error.message);
      return { accepted: false, clientOrderId: intent.clientOrderId, reason: error.message };
    }
    const known = this.#tracker.order(intent.clientOrderId)!;
    const report = this.#ackReport(placed, known, venueClientId);
    const order = this.#events.orderReport(report) ?? this.#tracker.order(intent.clientOrderId)!;
    return accepted(order, report);
  }

  async cancel(instrument: InstrumentId, venueOrderId: string): Promise<CancelResult> {
    const symbol = this.#directory().symbolOf(instrument);
    const result = await this.#guard.write('cancel', () => this.#exchange.cancelOrder(venueOrderId, symbol));
    const clientOrderId = this.#tracker.clientOrderIdOf({ venueOrderId });
    return this.#cancelled(result, clientOrderId, venueOrderId);
  }

  async cancelByClientId(instrument: InstrumentId, clientOrderId: string): Promise<CancelResult> {
    const symbol = this.#directory().symbolOf(instrument);
    const params = this.#profile.byClientIdParams(this.#tracker.venueClientIdOf(clientOrderId));
    const result = await this.#guard.write('cancel', () => this.#exchange.cancelOrder(undefined as unknown as string, symbol, params));
    return this.#cancelled(result, clientOrderId, this.#tracker.order(clientOrderId)?.venueOrderId);
  }

  async amend(request: AmendRequest): Promise<SubmitResult> {
    const known = this.#tracker.order(request.clientOrderId);
    if (known === undefined) {
      throw new VenueError('ORDER_NOT_FOUND', `amend: no order with client id ${request.clientOrderId} is known`, { clientOrderId: request.clientOrderId, local: true, sent: false });
    }
    const symbol = this.#directory().symbolOf(request.instrument);
    const venueClientId = this.#tracker.venueClientIdOf(request.clientOrderId);
    const price = request.price ?? known.price;
    const size = request.size ?? known.size;
    const { id, params } = this.#profile.amendArgs(known.venueOrderId, venueClientId);
    let amended: CcxtOrder;
    try {
      amended = await this.#guard.write('amend', () =>
        this.#exchange.editOrder(id as string, symbol, 'limit', known.side, Number(size), Number(price), { ...params, ...tifParams(known.timeInForce) }));
    } catch (error) {
      // A refused amendment leaves the order as it was; it is not an order rejection.
      if (error instanceof OspreyError && error.code === 'ORDER_REJECTED') return { accepted: false, clientOrderId: request.clientOrderId, reason: error.message };
      throw error;
    }
    const report = { ...this.#ackReport(amended, known, venueClientId), price, size };
    const order = this.#events.orderReport(report) ?? this.#tracker.order(request.clientOrderId)!;
    return accepted(order, report);
  }

  /** A venue's reply to create or edit, completed from the order as we sent it. */
  #ackReport(reply: CcxtOrder, known: Order, venueClientId: string): VenueOrderReport {
    const filled = reply.filled ?? 0;
    const status = reply.status === undefined && filled > 0 && filled >= Number(known.size) ? 'filled' : orderStatus({ ...reply, amount: reply.amount ?? Number(known.size) });
    return {
      instrument: known.instrument,
      venueOrderId: String(reply.id),
      venueClientId,
      side: known.side,
      type: known.type,
      timeInForce: known.timeInForce,
      reduceOnly: known.reduceOnly,
      price: known.price,
      size: known.size,
      filledSize: decimalText(reply.filled, 'filled size'),
      avgFillPrice: decimalText(reply.average, 'average price'),
      status,
      // Our receive time: the reply answers our own request, so it is at least as new as anything held.
      ts: Math.max(reply.timestamp ?? 0, this.#clock.now()),
    };
  }

  #cancelled(result: CcxtOrder, clientOrderId: string | undefined, venueOrderId: string | undefined): CancelResult {
    // Hyperliquid answers "success" and Binance the cancelled order: both mean it is gone. Bybit only acknowledges.
    const confirmed = result.status === 'canceled' || (result.status as string | undefined) === 'success';
    const known = clientOrderId === undefined ? undefined : this.#tracker.order(clientOrderId);
    const id = venueOrderId ?? (result.id === undefined ? undefined : String(result.id));
    if (confirmed && known !== undefined && id !== undefined) {
      this.#events.orderReport({
        instrument: known.instrument, venueOrderId: id, venueClientId: this.#tracker.venueClientIdOf(known.clientOrderId),
        side: known.side, type: known.type, timeInForce: known.timeInForce, reduceOnly: known.reduceOnly, price: known.price, size: known.size,
        filledSize: result.filled === undefined ? known.filledSize : decimalText(result.filled, 'filled size'),
        avgFillPrice: known.avgFillPrice, status: 'cancelled', ts: result.lastUpdateTimestamp ?? this.#clock.now(),
      });
    }
    return { confirmed, ...(id === undefined ? {} : { venueOrderId: id }), ...(clientOrderId === undefined ? {} : { clientOrderId }) };
  }
}

/** ccxt's unified time-in-force params; ccxt turns postOnly into Alo / GTX / PostOnly per venue. */
function tifParams(tif: TimeInForce): Dict {
  switch (tif) {
    case 'GTC': return { timeInForce: 'GTC' };
    case 'IOC': return { timeInForce: 'IOC' };
    case 'ALO': return { postOnly: true };
  }
}

/** The order as it now stands; the reply's average price wins when the stream (which has none) got there first. */
function accepted(order: Order, report: VenueOrderReport): SubmitResult {
  return {
    accepted: true, clientOrderId: order.clientOrderId, venueOrderId: report.venueOrderId,
    status: order.status, filledSize: order.filledSize,
    avgFillPrice: report.avgFillPrice !== '0' ? report.avgFillPrice : order.avgFillPrice,
  };
}
