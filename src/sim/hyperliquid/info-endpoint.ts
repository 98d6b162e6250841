import type { Clock } from '../../core/clock.js';
import type { SimFill, SimVenue } from '../venue-api.js';
import type { AccountDirectory } from './account-directory.js';
import { describeSchemaError } from './http-replies.js';
import { parseInfoRequest, type InfoRequest } from './info-schema.js';
import { perpContexts, perpMeta, spotContexts, spotMeta } from './market-meta.js';
import type { MarketTape } from './market-tape.js';
import { CANDLE_LIMIT, HISTORY_LIMIT, aggregateBook, openOrderItem, wireFill } from './wire-format.js';

/**
 * POST /info, transport-neutral so the WebSocket `post` method shares it. Replies carry the live JSON
 * types: numbers where Hyperliquid sends numbers (oid, time, n), decimal strings elsewhere.
 */

export interface InfoContext {
  readonly venue: SimVenue;
  readonly directory: AccountDirectory;
  readonly tape: MarketTape;
  /** The clients' clock, against which API wallets expire. */
  readonly clock: Clock;
}

export type InfoOutcome = { readonly kind: 'reply'; readonly value: unknown } | { readonly kind: 'malformed'; readonly detail: string };

/** Only the main perp dex (""/absent) exists here; perpDexs says so with `[null]`. */
function isMainDex(dex: string | null | undefined): boolean {
  return dex === undefined || dex === null || dex === '';
}

function newestFirst(fills: readonly SimFill[]): SimFill[] {
  return [...fills].sort((a, b) => b.time - a.time || b.tid - a.tid);
}

function oldestFirst(fills: readonly SimFill[]): SimFill[] {
  return [...fills].sort((a, b) => a.time - b.time || a.tid - b.tid);
}

export function handleInfo(context: InfoContext, body: unknown): InfoOutcome {
  const parsed = parseInfoRequest(body);
  if (!parsed.ok) return { kind: 'malformed', detail: describeSchemaError(parsed.error, body) };
  const request = parsed.value;
  if ('dex' in request && !isMainDex(request.dex)) return { kind: 'malformed', detail: `dex: unknown perp dex \`${request.dex}\`` };
  return { kind: 'reply', value: answer(context, request) };
}

function answer(context: InfoContext, request: InfoRequest): unknown {
  const { venue, directory } = context;
  switch (request.type) {
    case 'meta':
      return perpMeta(venue);
    case 'spotMeta':
      return spotMeta(venue);
    case 'metaAndAssetCtxs':
      return [perpMeta(venue), perpContexts(venue)];
    case 'spotMetaAndAssetCtxs':
      return [spotMeta(venue), spotContexts(venue)];
    case 'perpDexs':
      return [null];
    case 'allMids':
      return venue.mids();
    case 'exchangeStatus':
      return { specialStatuses: null, time: venue.now() };
    case 'l2Book': {
      const book = venue.l2Book(request.coin);
      if (book === undefined) return null;
      return request.nSigFigs === undefined || request.nSigFigs === null ? book : aggregateBook(book, request.nSigFigs, request.mantissa ?? undefined);
    }
    case 'candleSnapshot': {
      const { coin, interval, startTime, endTime } = request.req;
      return venue.candles(coin, interval, startTime, endTime ?? venue.now()).slice(-CANDLE_LIMIT);
    }
    case 'recentTrades':
      return [...context.tape.recent(request.coin)];
    case 'userAbstraction':
      return directory.abstraction(request.user);
    case 'clearinghouseState':
      return venue.clearinghouseState(request.user);
    case 'spotClearinghouseState':
      return { balances: venue.spotBalances(request.user) };
    case 'frontendOpenOrders':
      return venue.openOrders(request.user);
    case 'openOrders':
      return venue.openOrders(request.user).map(openOrderItem);
    case 'orderStatus': {
      const update = venue.orderStatus(request.user, request.oid);
      return update === undefined ? { status: 'unknownOid' } : { status: 'order', order: update };
    }
    case 'historicalOrders':
      return [...venue.historicalOrders(request.user)].sort((a, b) => b.statusTimestamp - a.statusTimestamp).slice(0, HISTORY_LIMIT);
    case 'userFills':
      return newestFirst(venue.userFills(request.user)).slice(0, HISTORY_LIMIT).map(wireFill);
    case 'userFillsByTime':
      return oldestFirst(venue.userFills(request.user, request.startTime, request.endTime ?? undefined))
        .slice(0, HISTORY_LIMIT)
        .map(wireFill);
    case 'maxBuilderFee':
      return directory.maxBuilderFee(request.user, request.builder);
    case 'extraAgents':
      return directory.agentsOf(request.user).map((a) => ({ address: a.address, name: a.name, validUntil: a.validUntil ?? 0 }));
    case 'userRole': {
      const master = directory.masterOf(request.user, context.clock.now());
      if (master !== undefined) return { role: 'agent', data: { user: master } };
      return { role: venue.admits(request.user) ? 'user' : 'missing' };
    }
  }
}
