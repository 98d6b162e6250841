import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { EventFactory } from '../../core/event-factory.js';
import type { LatencySink } from '../../core/latency-stages.js';
import type { VenueId } from '../../core/types.js';
import type { EventBus } from '../bus/bus.js';
import type { OspreyConfig } from '../config/schema.js';
import type { VenueAdapter } from '../exchange/adapter.js';
import { createBinanceAdapter } from '../exchange/binance/adapter.js';
import { createBybitAdapter } from '../exchange/bybit/adapter.js';
import { createHyperliquidAdapter } from '../exchange/hyperliquid/adapter.js';
import { TradingComponent } from '../execution/trading-component.js';
import type { LatencyRegistry } from '../metrics/latency.js';
import { configuredGateLimits } from '../risk/limits.js';
import type { StateStore } from '../state/store.js';
import { BaseComponent, type Component } from './lifecycle.js';
import { StrategyComponent } from './strategy-component.js';

/**
 * The configured endpoints. Testnet needs them spelled out: the adapters default to the live venues, and
 * an engine told "testnet" must never fall back to live endpoints with real money.
 */
function urlsOf(venue: string, v: { testnet: boolean; urls?: { rest?: string | undefined; ws?: string | undefined } | undefined }): { restUrl?: string; wsUrl?: string } {
  if (v.testnet && (v.urls?.rest === undefined || v.urls.ws === undefined)) {
    throw new Error(`venues.${venue}.testnet is set: give venues.${venue}.urls.rest and .ws (the testnet endpoints) so nothing can reach the live venue`);
  }
  return { ...(v.urls?.rest === undefined ? {} : { restUrl: v.urls.rest }), ...(v.urls?.ws === undefined ? {} : { wsUrl: v.urls.ws }) };
}

/** Where the paper-trading simulator listens and which paper account trades on it (built by the CLI). */
export interface PaperVenueConnection {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly walletAddress: string;
  readonly privateKey: string;
}

export interface VenueRuntimeDeps {
  readonly config: OspreyConfig;
  readonly venue: VenueId;
  readonly store: () => StateStore;
  readonly bus: EventBus;
  readonly events: EventFactory;
  readonly clock: Clock;
  readonly latency: () => LatencyRegistry;
  readonly log: (component: string) => Logger;
  readonly paper?: PaperVenueConnection;
  readonly paused: () => boolean;
  /** `isolated`: the failure stays with its part (a strategy, a worker) and must not stop the engine. */
  readonly onError: (source: string, error: unknown, isolated: boolean) => void;
  /** Reports a part's lifecycle (log line, `component.state` event) from its first move on. */
  readonly announce: (component: Component) => void;
}

/**
 * One venue account, from socket to strategy: its adapter, the trading component (risk gate, executor,
 * reconciliation) and the strategies trading there. Built at start, when the state store is loaded,
 * because execution registers stored orders with the adapter before its streams replay anything.
 */
export class VenueRuntime extends BaseComponent {
  readonly #d: VenueRuntimeDeps;
  #children: Component[] = [];
  adapter: VenueAdapter | undefined;
  trading: TradingComponent | undefined;
  strategies: StrategyComponent | undefined;

  constructor(deps: VenueRuntimeDeps) {
    super(`venue.${deps.venue}`);
    this.#d = deps;
  }

  get venue(): VenueId {
    return this.#d.venue;
  }

  children(): readonly Component[] {
    return this.#children;
  }

  protected async onStart(): Promise<void> {
    const d = this.#d;
    const limits = d.config.risk.limits[d.venue];
    if (limits === undefined) throw new Error(`risk.limits.${d.venue} is missing: every venue that trades needs its limits`);
    const adapter = this.#buildAdapter();
    const store = d.store();
    const trading = new TradingComponent({
      adapter, store, bus: d.bus, clock: d.clock,
      limits: configuredGateLimits(d.config, limits),
      shutdownPolicy: d.config.shutdown.policy,
      onError: (error) => d.onError(`trading.${d.venue}`, error, false),
      recordLatency: this.#recordLatency,
    });
    const strategies = new StrategyComponent({
      strategies: d.config.strategies.filter((s) => s.enabled && s.instrument.startsWith(`${d.venue}:`)),
      limits, store, bus: d.bus, events: d.events, executor: trading.executor, latency: d.latency(),
      log: d.log('strategies'), paused: d.paused, onError: (error) => d.onError('strategies', error, true),
    });
    this.adapter = adapter;
    this.trading = trading;
    this.strategies = strategies;
    this.#children = [adapter, trading, strategies];
    for (const child of this.#children) d.announce(child);
    for (const child of this.#children) await child.start();
    const instruments = [...new Set(d.config.strategies.filter((s) => s.enabled && s.instrument.startsWith(`${d.venue}:`)).map((s) => s.instrument))];
    const unknown = instruments.filter((id) => adapter.instrument(id) === undefined);
    if (unknown.length > 0) throw new Error(`strategies trade instruments ${d.venue} does not list: ${unknown.join(', ')}`);
    await adapter.watchMarket(instruments);
  }

  protected async onStop(): Promise<void> {
    let first: unknown;
    for (const child of [...this.#children].reverse()) {
      try {
        await child.stop();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }

  /** The engine's latency histograms, for the stages this venue's parts time (gate, sign, submit). */
  readonly #recordLatency: LatencySink = (stage, micros) => this.#d.latency().record(stage, micros);

  #buildAdapter(): VenueAdapter {
    const d = this.#d;
    const common = { bus: d.bus, clock: d.clock, log: d.log(`exchange.${d.venue}`) };
    const hyperliquid = { ...common, recordLatency: this.#recordLatency };
    switch (d.venue) {
      case 'sim': {
        if (d.paper === undefined) throw new Error('venue "sim" needs the paper simulator, which runs in paper mode only');
        return createHyperliquidAdapter({ ...hyperliquid, config: { ...d.paper, venueLabel: 'sim' } });
      }
      case 'hyperliquid': {
        const v = d.config.venues.hyperliquid;
        if (v.walletAddress === undefined || v.privateKey === undefined) throw new Error('venues.hyperliquid needs walletAddress and privateKey');
        return createHyperliquidAdapter({ ...hyperliquid, config: { walletAddress: v.walletAddress, privateKey: v.privateKey.reveal(), testnet: v.testnet, ...urlsOf('hyperliquid', v) } });
      }
      case 'binance':
      case 'bybit': {
        const v = d.config.venues[d.venue];
        if (v.apiKey === undefined || v.apiSecret === undefined) throw new Error(`venues.${d.venue} needs apiKey and apiSecret`);
        const config = { apiKey: v.apiKey.reveal(), apiSecret: v.apiSecret.reveal(), ...urlsOf(d.venue, v) };
        return d.venue === 'binance' ? createBinanceAdapter({ ...common, config }) : createBybitAdapter({ ...common, config });
      }
    }
  }
}
