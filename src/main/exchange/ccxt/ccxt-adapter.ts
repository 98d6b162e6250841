import type { Exchange } from 'ccxt';
import { pino, type Logger } from 'pino';
import type { Clock } from '../../../core/clock.js';
import { EventFactory } from '../../../core/event-factory.js';
import { OspreyError, ValidationError, VenueError } from '../../../core/errors.js';
import type { Balance, Fill, Instrument, InstrumentId, Order, OrderIntent, VenueId } from '../../../core/types.js';
import type { EventBus } from '../../bus/bus.js';
import { BaseComponent } from '../../engine/lifecycle.js';
import type { AdapterHealth, AmendRequest, BookSnapshot, CancelResult, Candle, MarkInfo, OrderRef, PositionReport, SubmitResult, VenueAdapter } from '../adapter.js';
import { FillDeduplicator } from '../fill-dedup.js';
import type { MarketStreamFactory } from '../market-stream.js';
import { OrderTracker } from '../order-tracker.js';
import { VenueBreakers, type BreakerScope } from '../resilience/breakers.js';
import { FallbackPoller } from '../resilience/fallback-poller.js';
import { RateLimiter } from '../resilience/rate-limiter.js';
import { RestGuard } from '../resilience/rest-guard.js';
import type { TradeGate } from '../resilience/stale-guard.js';
import { StaleDataGuard } from '../resilience/stale-guard.js';
import { VenueEvents } from '../venue-events.js';
import { DEFAULT_ADAPTER_SETTINGS, type AdapterSettings } from './adapter-settings.js';
import { mapCcxtError } from './error-map.js';
import { InstrumentDirectory } from './instruments.js';
import { CcxtOrderEntry } from './order-entry.js';
import type { CcxtVenueProfile } from './profile.js';
import { CcxtQueries } from './queries.js';
import { ReportMapper } from './reports.js';
import { AdapterStreams } from './streams.js';

export interface CcxtAdapterOptions {
  readonly exchange: Exchange;
  readonly profile: CcxtVenueProfile;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** Builds the market stream once instruments are loaded; `symbolOf` gives ccxt's symbol for one. */
  readonly marketStream: (symbolOf: (instrument: Instrument) => string) => MarketStreamFactory;
  readonly settings?: Partial<AdapterSettings>;
  readonly log?: Logger;
  /** Runs at start before anything is loaded (e.g. prepareLoopbackStreams). */
  readonly prepare?: () => Promise<void>;
}

/** ccxt.pro needs its proxy agent loaded before any ws:// (not wss://) connection in node. */
export async function prepareLoopbackStreams(exchange: Exchange, wsUrl: string | undefined): Promise<void> {
  if (wsUrl?.startsWith('ws://') === true) await exchange.loadHttpProxyAgent();
}

/**
 * The VenueAdapter over ccxt (REST, trading, user streams) and a market stream of the venue's choosing.
 * Holds the parts together and owns their lifecycle; the work is in CcxtOrderEntry (orders),
 * CcxtQueries (REST reads), AdapterStreams (supervised streams and their polling fallbacks) and the
 * resilience guards every call passes through.
 */
export class CcxtAdapter extends BaseComponent implements VenueAdapter {
  readonly venue: VenueId;
  readonly #exchange: Exchange;
  readonly #profile: CcxtVenueProfile;
  readonly #settings: AdapterSettings;
  readonly #breakers: VenueBreakers;
  readonly #guard: RestGuard;
  readonly #stale: StaleDataGuard;
  readonly #tracker: OrderTracker;
  readonly #fills = new FillDeduplicator();
  readonly #entry: CcxtOrderEntry;
  readonly #queries: CcxtQueries;
  readonly #streams: AdapterStreams;
  readonly #prepare: (() => Promise<void>) | undefined;
  readonly #restProbe: FallbackPoller;
  #directory: InstrumentDirectory | undefined;

  constructor(options: CcxtAdapterOptions) {
    super(`exchange.${options.profile.venue}`);
    const { exchange, profile, bus, clock } = options;
    this.venue = profile.venue;
    this.#exchange = exchange;
    this.#profile = profile;
    this.#settings = { ...DEFAULT_ADAPTER_SETTINGS, ...options.settings };
    this.#prepare = options.prepare;
    const log = options.log ?? pino({ level: 'silent' });
    this.#breakers = new VenueBreakers(this.venue, this.#settings.breakers);
    const limiter = new RateLimiter(this.venue, profile.weights, clock);
    this.#guard = new RestGuard(this.venue, this.#breakers, limiter, (e, op) => mapCcxtError(this.venue, e, op), this.#settings.rest);
    this.#stale = new StaleDataGuard(clock, this.#settings.staleGuard);
    this.#tracker = new OrderTracker(this.venue, (id) => profile.venueClientId(id));
    const eventFactory = new EventFactory(clock, `${this.venue.slice(0, 2)}`);
    const events = new VenueEvents(this.venue, bus, eventFactory, this.#tracker, this.#fills);
    const directory = () => this.#directoryOrThrow();
    const reports = new ReportMapper(profile, directory, this.#tracker, clock);
    const deps = { exchange, profile, directory, guard: this.#guard, tracker: this.#tracker, events, clock };
    this.#entry = new CcxtOrderEntry(deps);
    this.#queries = new CcxtQueries({ ...deps, reports });
    this.#streams = new AdapterStreams({
      venue: this.venue, exchange, bus, clock, log, events, eventFactory, reports, queries: this.#queries, tracker: this.#tracker,
      breakers: this.#breakers, stale: this.#stale, settings: this.#settings,
      marketStream: () => options.marketStream((instrument) => this.#directoryOrThrow().symbolOf(instrument.id)),
    });
    this.#restProbe = new FallbackPoller(this.#settings.pollIntervalMs, () => this.#probeRest(), () => undefined);
    this.#breakers.onChange((scope) => {
      if (scope === 'rest' || scope === 'venue') this.#onRestBreaker();
    });
  }

  /**
   * cockatiel moves a breaker to half-open only when a call comes, so after a storm an idle REST channel
   * would stay "open" (and canTrade false) until someone tried. While the REST or venue breaker is open,
   * a light read is attempted every poll interval: refused locally until the half-open delay is up, then
   * it is the probe that closes the breaker.
   */
  #onRestBreaker(): void {
    const open = this.#breakers.state('rest') !== 'closed' || this.#breakers.state('venue') !== 'closed';
    const running = this.lifecycle.state === 'running' || this.lifecycle.state === 'degraded';
    if (open && running) this.#restProbe.start();
    else void this.#restProbe.stop();
  }

  async #probeRest(): Promise<void> {
    const instrument = this.#directory?.all()[0];
    if (instrument !== undefined) await this.#queries.fetchBook(instrument.id);
  }

  protected async onStart(): Promise<void> {
    await this.#prepare?.();
    const markets = await this.#guard.read('loadMarkets', () => this.#exchange.loadMarkets());
    this.#directory = new InstrumentDirectory(Object.values(markets).filter((m) => m !== undefined), (m) => this.#profile.toInstrument(m));
    this.#streams.start();
  }

  protected async onStop(): Promise<void> {
    await this.#restProbe.stop();
    await this.#streams.stop();
    await this.#exchange.close();
  }

  instruments(): readonly Instrument[] {
    return this.#directory?.all() ?? [];
  }

  instrument(id: InstrumentId): Instrument | undefined {
    return this.#directory?.get(id);
  }

  async watchMarket(instruments: readonly InstrumentId[]): Promise<void> {
    const known = instruments.map((id) => {
      const instrument = this.#directoryOrThrow().get(id);
      if (instrument === undefined) throw new ValidationError(`${this.venue} lists no instrument "${id}"`, { instrument: id });
      return instrument;
    });
    this.#streams.watch(known);
  }

  fetchBook(instrument: InstrumentId, depth?: number): Promise<BookSnapshot> {
    return this.#queries.fetchBook(instrument, depth);
  }

  fetchCandles(instrument: InstrumentId, interval: string, since: number, limit?: number): Promise<Candle[]> {
    return this.#queries.fetchCandles(instrument, interval, since, limit);
  }

  fetchMark(instrument: InstrumentId): Promise<MarkInfo | undefined> {
    return this.#queries.fetchMark(instrument);
  }

  async submit(intent: OrderIntent): Promise<SubmitResult> {
    const gate = this.canTrade(intent.instrument);
    if (!gate.ok) {
      // A stale book blocks new exposure, not its reduction: exits must stay possible when data is late.
      const exitPastStaleData = intent.reduceOnly && (gate.reason === 'STALE_BOOK' || gate.reason === 'NO_BOOK');
      const breakerOpen = gate.reason === 'REST_BREAKER_OPEN' || gate.reason === 'VENUE_BREAKER_OPEN';
      if (!exitPastStaleData && !breakerOpen) {
        throw new VenueError('VENUE_UNAVAILABLE', `${this.venue} submit ${intent.clientOrderId}: ${gate.reason}: ${gate.detail}`, {
          venue: this.venue, clientOrderId: intent.clientOrderId, gate: gate.reason, local: true, sent: false,
        });
      }
    }
    // An open breaker is enforced by the REST guard, which refuses with the code that opened it.
    return this.#entry.submit(intent);
  }

  cancel(instrument: InstrumentId, venueOrderId: string): Promise<CancelResult> {
    return this.#entry.cancel(instrument, venueOrderId);
  }

  cancelByClientId(instrument: InstrumentId, clientOrderId: string): Promise<CancelResult> {
    return this.#entry.cancelByClientId(instrument, clientOrderId);
  }

  amend(request: AmendRequest): Promise<SubmitResult> {
    return this.#entry.amend(request);
  }

  fetchBalances(): Promise<Balance[]> {
    return this.#queries.fetchBalances();
  }

  fetchPositions(): Promise<PositionReport[]> {
    return this.#queries.fetchPositions();
  }

  fetchOpenOrders(instrument?: InstrumentId): Promise<Order[]> {
    return this.#queries.fetchOpenOrders(instrument);
  }

  fetchOrder(instrument: InstrumentId, ref: OrderRef): Promise<Order | undefined> {
    return this.#queries.fetchOrder(instrument, ref);
  }

  fetchFills(since: number, instrument?: InstrumentId): Promise<Fill[]> {
    return this.#queries.fetchFills(since, instrument);
  }

  track(intent: OrderIntent, venueOrderId?: string): void {
    this.#tracker.track(intent, venueOrderId);
  }

  canTrade(instrument: InstrumentId): TradeGate {
    const state = this.lifecycle.state;
    if (state !== 'running' && state !== 'degraded') return { ok: false, reason: 'NOT_RUNNING', detail: `${this.name} is ${state}` };
    if (this.#directory?.get(instrument) === undefined) return { ok: false, reason: 'UNKNOWN_INSTRUMENT', detail: `${this.venue} lists no instrument "${instrument}"` };
    if (this.#breakers.state('venue') === 'open') return { ok: false, reason: 'VENUE_BREAKER_OPEN', detail: `${this.venue} circuit breaker is open` };
    if (this.#breakers.state('rest') === 'open') return { ok: false, reason: 'REST_BREAKER_OPEN', detail: `${this.venue} REST circuit breaker is open` };
    return this.#stale.check(instrument);
  }

  health(): AdapterHealth {
    const breakers = {} as Record<BreakerScope, ReturnType<VenueBreakers['state']>>;
    for (const scope of ['venue', 'rest', 'market', 'user'] as const) breakers[scope] = this.#breakers.state(scope);
    return {
      venue: this.venue,
      breakers,
      streams: this.#streams.health(),
      rest: this.#guard.outcomes(),
      malformed: this.#streams.malformedCounts(),
      dropped: { duplicateFills: this.#fills.duplicates, staleOrderUpdates: this.#tracker.staleUpdates },
    };
  }

  #directoryOrThrow(): InstrumentDirectory {
    if (this.#directory === undefined) throw new OspreyError('LIFECYCLE_ILLEGAL', `${this.name} used before start() loaded its instruments`, { component: this.name });
    return this.#directory;
  }
}
