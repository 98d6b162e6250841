import type { Exchange } from 'ccxt';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/clock.js';
import type { EventBus } from '../../bus/bus.js';
import type { AdapterSettings } from './adapter-settings.js';
import { ccxtBookStream } from './book-stream.js';
import { CcxtAdapter, prepareLoopbackStreams } from './ccxt-adapter.js';
import type { CcxtVenueProfile } from './profile.js';

export interface ProAdapterOptions {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly settings?: Partial<AdapterSettings>;
  readonly log?: Logger;
  /** The WebSocket base the exchange was pointed at, if not the live venue's. */
  readonly wsUrl?: string | undefined;
}

/** An adapter whose market data also comes through ccxt.pro (Binance, Bybit): the wiring they share. */
export function ccxtProAdapter(exchange: Exchange, profile: CcxtVenueProfile, options: ProAdapterOptions): CcxtAdapter {
  return new CcxtAdapter({
    exchange, profile, bus: options.bus, clock: options.clock,
    marketStream: (symbolOf) => ccxtBookStream(exchange, profile.venue, symbolOf),
    prepare: () => prepareLoopbackStreams(exchange, options.wsUrl),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
}
