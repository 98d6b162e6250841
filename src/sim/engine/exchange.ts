import { Decimal, ZERO } from '../../core/decimal.js';
import type { Address, Candle, CancelResult, Cloid, OrderRequest, PlaceResult } from '../venue-api.js';
import { type MarginAccount, normaliseAddress } from './accounts.js';
import type { LevelInput } from './book.js';
import { ExchangeCore, type Work } from './exchange-core.js';
import type { ReplayTrade } from './feed-replay.js';
import { trySetLeverage } from './margin.js';
import { fillFromCrossingSnapshot, fillFromTrade, takeLiquidity, type TakerMatch } from './matcher.js';
import { admitOrder, increasesPosition, REJECT } from './order-rules.js';
import { type OrderRecord, toUpdate } from './orders.js';
import { REPLAY_COUNTERPARTY } from './settlement.js';
import { wire, wireAverage } from './wire.js';

/**
 * The trading core behind SimVenue: order entry, cancels, modifies, leverage, and the effect of replayed
 * market data on users' resting orders. Each call is one unit of work whose events are emitted together
 * once its state is complete.
 */

export class Exchange extends ExchangeCore {
  place(user: Address, requests: readonly OrderRequest[], time: number): PlaceResult[] {
    const work = this.newWork(time);
    const account = this.accounts.get(normaliseAddress(user));
    const results = requests.map((req) => (account === undefined ? { error: REJECT.unknownUser(normaliseAddress(user)) } : this.#placeOne(account, req, work)));
    this.finish(work);
    return results;
  }

  cancel(user: Address, cancels: readonly { assetId: number; id: number | Cloid }[], time: number): CancelResult[] {
    const work = this.newWork(time);
    const results = cancels.map((c): CancelResult => {
      const record = this.orders.find(normaliseAddress(user), c.id);
      if (record === undefined || record.status !== 'open' || record.assetId !== c.assetId) return { error: REJECT.unknownOrder(c.assetId) };
      this.retire(record, 'canceled', work);
      return 'success';
    });
    this.finish(work);
    return results;
  }

  /** batchModify: the replacement is validated like a new order; if refused, the original stays untouched. */
  modify(user: Address, modifies: readonly { oid: number | Cloid; order: OrderRequest }[], time: number): PlaceResult[] {
    const work = this.newWork(time);
    const who = normaliseAddress(user);
    const account = this.accounts.get(who);
    const results = modifies.map((m): PlaceResult => {
      const record = this.orders.find(who, m.oid);
      if (account === undefined || record === undefined || record.status !== 'open' || record.assetId !== m.order.assetId) {
        return { error: REJECT.unknownOrder(m.order.assetId) };
      }
      return this.#placeOne(account, m.order, work, record);
    });
    this.finish(work);
    return results;
  }

  updateLeverage(user: Address, assetId: number, isCross: boolean, leverage: number, time: number): { error: string } | undefined {
    const market = this.byAsset.get(assetId);
    if (market === undefined) return { error: REJECT.unknownAsset(assetId) };
    if (!isCross) return { error: REJECT.isolatedMargin(assetId) };
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > market.maxLeverage) return { error: REJECT.invalidLeverage(assetId, market.maxLeverage) };
    const account = this.accounts.get(normaliseAddress(user));
    if (account === undefined) return { error: REJECT.unknownUser(normaliseAddress(user)) };
    if (!trySetLeverage(account, market.coin, leverage, this.exposures(account.address), this.marginContext)) return { error: REJECT.leverageMargin(assetId) };
    const work = this.newWork(time);
    work.batch.account(account.address);
    this.finish(work);
    return undefined;
  }

  /** A replayed snapshot: install it, then fill resting user orders it crosses (they are makers). */
  applySnapshot(coin: string, bids: readonly LevelInput[], asks: readonly LevelInput[], time: number): void {
    const book = this.bookOf(coin);
    const work = this.newWork(time);
    book.replaceReplayed(bids, asks, time);
    fillFromCrossingSnapshot(book, this.capacity, (f) => {
      const record = this.record(f.order);
      const tid = this.settlement.newTradeId();
      this.settlement.makerFill(record, f.px, f.sz, tid, time, work.batch);
      const [buyer, seller] = record.isBuy ? [record.user, REPLAY_COUNTERPARTY] : [REPLAY_COUNTERPARTY, record.user];
      this.settlement.printTrade(coin, !record.isBuy, f.px, f.sz, buyer, seller, tid, time, work.batch);
    });
    book.removeEmptyResting();
    work.batch.book(coin);
    this.finish(work);
  }

  /** Replayed trades: published as recorded; each one at or through a resting user price fills it. */
  applyTrades(coin: string, trades: readonly ReplayTrade[], time: number): void {
    const book = this.bookOf(coin);
    const work = this.newWork(time);
    for (const trade of trades) {
      work.batch.trade(trade.wire);
      this.settlement.recordPrint(coin, trade.px, trade.sz, trade.wire.time, work.batch);
      fillFromTrade(book, trade, this.capacity, (f) => {
        this.settlement.makerFill(this.record(f.order), f.px, f.sz, this.settlement.newTradeId(), time, work.batch);
        work.batch.book(coin);
      });
    }
    book.removeEmptyResting();
    this.finish(work);
  }

  /** Candle events of candle-replayed coins, emitted as one unit. */
  publishCandles(candles: readonly Candle[], time: number): void {
    const work = this.newWork(time);
    for (const candle of candles) work.batch.candle(candle);
    this.finish(work);
  }

  #placeOne(account: MarginAccount, req: OrderRequest, work: Work, replacing?: OrderRecord): PlaceResult {
    const market = this.byAsset.get(req.assetId);
    if (market === undefined) return { error: REJECT.unknownAsset(req.assetId) };
    const user = account.address;
    const admitted = admitOrder(req, {
      market,
      account,
      book: this.bookOf(market.coin),
      reference: this.mark(market.coin),
      cloidTaken: (cloid) => this.orders.cloidTaken(user, cloid, replacing),
      otherOrders: this.exposures(user, replacing),
      margin: this.marginContext,
      ...(replacing?.cloid === undefined ? {} : { inheritedCloid: replacing.cloid }),
    });
    if ('error' in admitted) return admitted;
    const { px, sz, cloid, position } = admitted;
    const asset = req.assetId;
    const book = this.bookOf(market.coin);

    if (replacing !== undefined) this.retire(replacing, 'canceled', work);
    const keepsPlace = replacing !== undefined && replacing.isBuy === req.isBuy && replacing.px.eq(px);
    const record = this.orders.create({
      user, coin: market.coin, assetId: asset, isBuy: req.isBuy, px, origSz: sz, tif: req.tif, reduceOnly: req.reduceOnly, cloid, timestamp: work.time,
      ...(keepsPlace ? { priority: replacing.priority } : {}),
    });
    let notional = ZERO;
    const room = req.reduceOnly ? Decimal.min(sz, position.abs()) : sz;
    const sweep = takeLiquidity(book, { user, isBuy: req.isBuy, limitPx: px, size: room }, this.capacity, (match) => {
      notional = notional.plus(match.px.times(match.sz));
      record.remaining = record.remaining.minus(match.sz);
      this.#settleTakerMatch(record, match, work);
    });
    for (const own of sweep.selfMatched) this.retire(this.record(own), 'canceled', work);
    book.removeEmptyResting();
    work.batch.book(market.coin);
    work.batch.account(user);

    const filled = sweep.filled;
    if (req.tif === 'Ioc' && filled.isZero()) {
      this.orders.discard(record);
      return { error: REJECT.iocNoMatch(asset) };
    }
    const done = record.remaining.isZero() || req.tif === 'Ioc';
    const shrunkAway = req.reduceOnly && increasesPosition(req.isBuy, account.size(market.coin));
    if (done || shrunkAway) {
      this.orders.setStatus(record, record.remaining.isZero() ? 'filled' : shrunkAway ? 'reduceOnlyCanceled' : 'canceled', work.time);
    } else {
      book.addResting(record);
    }
    work.batch.orderUpdate(user, toUpdate(record));
    const withCloid = cloid === undefined ? {} : { cloid };
    if (filled.gt(0) && (done || shrunkAway)) return { filled: { totalSz: wire(filled), avgPx: wireAverage(notional.div(filled)), oid: record.oid, ...withCloid } };
    return { resting: { oid: record.oid, ...withCloid } };
  }

  #settleTakerMatch(taker: OrderRecord, match: TakerMatch, work: Work): void {
    const tid = this.settlement.newTradeId();
    this.settlement.userFill(taker, match.px, match.sz, true, tid, work.time, work.batch);
    let maker = REPLAY_COUNTERPARTY;
    if (match.maker.kind === 'user') {
      const record = this.record(match.maker.order);
      this.settlement.makerFill(record, match.px, match.sz, tid, work.time, work.batch);
      maker = record.user;
    }
    const [buyer, seller] = taker.isBuy ? [taker.user, maker] : [maker, taker.user];
    this.settlement.printTrade(taker.coin, taker.isBuy, match.px, match.sz, buyer, seller, tid, work.time, work.batch);
  }
}
