import type { Exchange } from 'ccxt';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/clock.js';
import type { EventFactory } from '../../../core/event-factory.js';
import { OspreyError } from '../../../core/errors.js';
import type { OspreyEvent } from '../../../core/events.js';
import type { Instrument, VenueId } from '../../../core/types.js';
import type { EventBus } from '../../bus/bus.js';
import type { StreamHealth } from '../adapter.js';
import type { MarketSink, MarketStreamFactory } from '../market-stream.js';
import type { OrderTracker } from '../order-tracker.js';
import type { BreakerScope, BreakerState, Channel, VenueBreakers } from '../resilience/breakers.js';
import { FallbackPoller } from '../resilience/fallback-poller.js';
import { MalformedBurstDetector, malformedBurstError } from '../resilience/malformed-burst.js';
import type { StaleDataGuard } from '../resilience/stale-guard.js';
import { StreamSupervisor } from '../resilience/stream-supervisor.js';
import type { VenueEvents } from '../venue-events.js';
import type { AdapterSettings } from './adapter-settings.js';
import type { CcxtQueries } from './queries.js';
import type { ReportMapper } from './reports.js';
import { ccxtUserStream } from './user-stream.js';

const CONNECTION_STATE: Record<BreakerState, 'up' | 'down' | 'degraded'> = { closed: 'up', open: 'down', 'half-open': 'degraded' };
/** Malformed messages logged per reason before logging thins out to every 1000th. */
const LOGGED_PER_REASON = 10;

/**
 * The adapter's two streams (market data, account) under their supervisors, and the REST polling that
 * stands in for each while its breaker is open. Also the one place malformed venue messages are
 * counted, logged and turned into a breaker trip when they come in a burst.
 */
export class AdapterStreams {
  readonly #venue: VenueId;
  readonly #bus: EventBus;
  readonly #log: Logger;
  readonly #stale: StaleDataGuard;
  readonly #events: VenueEvents;
  readonly #eventFactory: EventFactory;
  readonly #reports: ReportMapper;
  readonly #queries: CcxtQueries;
  readonly #tracker: OrderTracker;
  readonly #clock: Clock;
  readonly #watched = new Map<string, Instrument>();
  readonly #malformed = new Map<string, number>();
  readonly #bursts: Record<'market' | 'user', MalformedBurstDetector>;
  readonly #market: StreamSupervisor;
  readonly #user: StreamSupervisor | undefined;
  readonly #marketPoller: FallbackPoller;
  readonly #userPoller: FallbackPoller;
  readonly #sink: MarketSink;
  readonly #settings: AdapterSettings;
  readonly #breakerStates: Record<'market' | 'user', BreakerState> = { market: 'closed', user: 'closed' };
  #fillsSince = 0;
  #started = false;

  constructor(deps: {
    venue: VenueId; exchange: Exchange; bus: EventBus; clock: Clock; log: Logger; events: VenueEvents; eventFactory: EventFactory;
    reports: ReportMapper; queries: CcxtQueries; tracker: OrderTracker; breakers: VenueBreakers; stale: StaleDataGuard;
    settings: AdapterSettings; marketStream: () => MarketStreamFactory;
  }) {
    this.#venue = deps.venue;
    this.#bus = deps.bus;
    this.#log = deps.log;
    this.#stale = deps.stale;
    this.#events = deps.events;
    this.#eventFactory = deps.eventFactory;
    this.#reports = deps.reports;
    this.#queries = deps.queries;
    this.#tracker = deps.tracker;
    this.#clock = deps.clock;
    this.#settings = deps.settings;
    this.#bursts = { market: new MalformedBurstDetector(deps.clock, deps.settings.burst), user: new MalformedBurstDetector(deps.clock, deps.settings.burst) };
    this.#sink = {
      publish: (event: OspreyEvent) => {
        if (event.type === 'market.book') this.#stale.noteBook(event.instrument, event.tsRecv);
        this.#bus.publish(event);
      },
    };
    const common = { venue: deps.venue, breakers: deps.breakers, settings: deps.settings.stream };
    this.#market = new StreamSupervisor({
      ...common, channel: 'market',
      open: () => deps.marketStream()({ instruments: [...this.#watched.values()], sink: this.#sink, events: this.#eventFactory, malformed: (e) => this.#onMalformed('market', e) }),
      onState: (state, reason) => this.#connection('market', state, reason),
    });
    this.#user = deps.settings.userStream ? new StreamSupervisor({
      ...common, channel: 'user',
      open: ccxtUserStream(deps.exchange, deps.venue, {
        orders: (orders) => {
          for (const raw of orders) {
            this.#guarded('user', () => {
              const report = this.#reports.order(raw);
              if (report !== undefined) this.#events.orderReport(report);
            });
          }
        },
        trades: (trades) => {
          for (const raw of trades) {
            this.#guarded('user', () => {
              const fill = this.#reports.fill(raw);
              if (fill === undefined) return;
              this.#onFill(fill.ts);
              this.#events.fill(fill);
            });
          }
        },
      }),
      onState: (state, reason) => this.#connection('user', state, reason),
    }) : undefined;
    const pollFailed = (channel: Channel) => (error: unknown) => this.#log.warn({ venue: this.#venue, channel, err: error instanceof Error ? error.message : String(error) }, 'fallback poll failed');
    this.#marketPoller = new FallbackPoller(deps.settings.pollIntervalMs, (signal) => this.#pollBooks(signal), pollFailed('market'));
    this.#userPoller = new FallbackPoller(deps.settings.pollIntervalMs, () => this.#pollOrders(), pollFailed('user'));
    deps.breakers.onChange((scope, state, reason) => this.#onBreaker(scope, state, reason));
  }

  start(): void {
    this.#started = true;
    this.#fillsSince = this.#clock.now() - this.#settings.fillLookbackMs;
    this.#user?.start();
    if (this.#watched.size > 0) this.#market.start();
  }

  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([this.#market.stop(), this.#user?.stop(), this.#marketPoller.stop(), this.#userPoller.stop()]);
  }

  /** Adds instruments; a running market stream reconnects with the new set (resubscribing everything). */
  watch(instruments: readonly Instrument[]): void {
    const before = this.#watched.size;
    for (const i of instruments) this.#watched.set(i.id, i);
    if (!this.#started || this.#watched.size === before) return;
    if (before === 0) this.#market.start();
    else this.#market.restart();
  }

  health(): { market: StreamHealth; user: StreamHealth } {
    return {
      market: { up: this.#market.up, sessions: this.#market.sessions, polling: this.#marketPoller.running, polls: this.#marketPoller.polls },
      user: { up: this.#user?.up ?? false, sessions: this.#user?.sessions ?? 0, polling: this.#userPoller.running, polls: this.#userPoller.polls },
    };
  }

  malformedCounts(): Record<string, number> {
    return Object.fromEntries(this.#malformed);
  }

  /** Counts, logs (thinned), and reports a burst as the error to end the session with. */
  #onMalformed(channel: 'market' | 'user', error: unknown): OspreyError | undefined {
    const reason = error instanceof OspreyError && typeof error.details.reason === 'string' ? error.details.reason : 'invalid';
    const key = `${channel}.${reason}`;
    const count = (this.#malformed.get(key) ?? 0) + 1;
    this.#malformed.set(key, count);
    if (count <= LOGGED_PER_REASON || count % 1000 === 0) {
      this.#log.warn({ venue: this.#venue, channel, reason, count, err: error instanceof Error ? error.message : String(error) }, 'malformed venue message dropped');
    }
    if (!this.#bursts[channel].record()) return undefined;
    const burst = malformedBurstError(this.#venue, channel, this.#settings.burst);
    this.#log.error({ venue: this.#venue, channel, err: burst.message }, 'malformed message burst: opening the stream breaker');
    return burst;
  }

  /** Runs one user-stream report; a bad one is dropped and counted, a burst ends the session. */
  #guarded(channel: 'user', apply: () => void): void {
    try {
      apply();
    } catch (error) {
      if (!(error instanceof OspreyError) || error.code !== 'VALIDATION_FAILED') throw error;
      const burst = this.#onMalformed(channel, error);
      if (burst !== undefined) throw burst;
    }
  }

  #onFill(ts: number): void {
    this.#fillsSince = Math.max(this.#fillsSince, ts);
  }

  async #pollBooks(signal: AbortSignal): Promise<void> {
    for (const instrument of this.#watched.values()) {
      const book = await this.#queries.fetchBook(instrument.id);
      // The stream is back: its books are newer than this one.
      if (signal.aborted) return;
      this.#sink.publish(this.#eventFactory.make('market.book', {
        instrument: instrument.id, bids: book.bids, asks: book.asks, snapshot: true, ...(book.sequence === undefined ? {} : { sequence: book.sequence }),
      }, book.ts));
    }
  }

  /** Order state by REST: open orders, then the fate of any we track that are no longer open, then fills. */
  async #pollOrders(): Promise<void> {
    const open = new Set((await this.#queries.fetchOpenOrders()).map((o) => o.clientOrderId));
    for (const order of this.#tracker.openOrders()) {
      if (open.has(order.clientOrderId) || order.status === 'pending') continue;
      await this.#queries.fetchOrder(order.instrument, { clientOrderId: order.clientOrderId });
    }
    // Overlap by a second: fills are deduplicated, a gap would lose one.
    const fills = await this.#queries.fetchFills(this.#fillsSince - 1_000);
    for (const f of fills) this.#onFill(f.ts);
  }

  #onBreaker(scope: BreakerScope, state: BreakerState, reason: string | undefined): void {
    const channels: Channel[] = scope === 'venue' ? ['rest', 'market', 'user'] : [scope];
    for (const channel of channels) {
      this.#events.publish('venue.connection', {
        venue: this.#venue, channel, state: CONNECTION_STATE[state],
        reason: `${scope} breaker ${state}${reason === undefined ? '' : `: ${reason}`}`,
      });
    }
    if (scope === 'market' || scope === 'user') this.#breakerStates[scope] = state;
    for (const channel of ['market', 'user'] as const) this.#reconcilePolling(channel);
    this.#log.info({ venue: this.#venue, scope, state, reason }, `${scope} breaker ${state}`);
  }

  /**
   * Polls run while a stream's breaker is not closed and its stream is not delivering. Once a new session
   * delivers (even during its half-open probe) its data is newer than any poll, so polling stops then.
   */
  #reconcilePolling(channel: 'market' | 'user'): void {
    const poller = channel === 'market' ? this.#marketPoller : this.#userPoller;
    const stream = channel === 'market' ? this.#market : this.#user;
    const needed = this.#started && this.#breakerStates[channel] !== 'closed' && stream?.up !== true;
    if (needed === poller.running) return;
    if (needed) poller.start();
    else void poller.stop();
    this.#log.info({ venue: this.#venue, channel, polling: needed }, needed ? 'REST polling fallback starts' : 'REST polling fallback stops');
  }

  #connection(channel: 'market' | 'user', state: 'up' | 'down', reason: string | undefined): void {
    this.#events.publish('venue.connection', { venue: this.#venue, channel, state, ...(reason === undefined ? {} : { reason }) });
    this.#reconcilePolling(channel);
  }
}
