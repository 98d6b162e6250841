import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import type { ReplayStep } from '../../../src/sim/engine/feed-replay.js';
import type { SimVenueHandle } from '../../../src/sim/engine/venue.js';
import type { Tif } from '../../../src/sim/venue-api.js';
import { ALICE, BOB, CAROL, book, order, scriptedVenue, trade } from './scripted.js';

/**
 * Random order flows from three users against a random replayed market (snapshots drifting around 100,000
 * and recorded trades between them). After every action the venue's books must balance.
 */

const USERS = [ALICE, BOB, CAROL] as const;
const DEPOSIT = new Decimal(20_000);

const snapshotArb = fc.record({
  mid: fc.integer({ min: 99_980, max: 100_020 }),
  bidLots: fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 5 }),
  askLots: fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 5 }),
  trade: fc.option(fc.record({ buy: fc.boolean(), offset: fc.integer({ min: -15, max: 15 }), lots: fc.integer({ min: 1, max: 50_000 }) })),
});

type Snapshot = typeof snapshotArb extends fc.Arbitrary<infer T> ? T : never;

const lots = (n: number) => new Decimal(n).div(100_000).toFixed();

function marketSteps(snapshots: readonly Snapshot[]): ReplayStep[] {
  return snapshots.flatMap((s, i): ReplayStep[] => {
    const bids = s.bidLots.map((l, k) => [String(s.mid - 1 - 2 * k), lots(l)] as const);
    const asks = s.askLots.map((l, k) => [String(s.mid + 1 + 2 * k), lots(l)] as const);
    const steps = [book(i * 200, bids, asks)];
    if (s.trade !== null) steps.push(trade(i * 200 + 100, 'BTC', s.trade.buy ? 'B' : 'A', String(s.mid + s.trade.offset), lots(s.trade.lots)));
    return steps;
  });
}

const actionArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant('place' as const),
    user: fc.integer({ min: 0, max: 2 }),
    isBuy: fc.boolean(),
    offset: fc.integer({ min: -25, max: 25 }),
    lots: fc.integer({ min: 1, max: 30_000 }),
    tif: fc.constantFrom<Tif>('Gtc', 'Ioc', 'Alo'),
    reduceOnly: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
  }) },
  fc.record({ kind: fc.constant('cancel' as const), user: fc.integer({ min: 0, max: 2 }), oid: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('modify' as const), user: fc.integer({ min: 0, max: 2 }), oid: fc.integer({ min: 1, max: 40 }), offset: fc.integer({ min: -25, max: 25 }), lots: fc.integer({ min: 1, max: 30_000 }) }),
  fc.record({ kind: fc.constant('leverage' as const), user: fc.integer({ min: 0, max: 2 }), leverage: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400 }) }),
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

function act(venue: SimVenueHandle, a: Action): void {
  switch (a.kind) {
    case 'place':
      venue.place(USERS[a.user]!, [order({ isBuy: a.isBuy, price: String(100_000 + a.offset), size: lots(a.lots), tif: a.tif, reduceOnly: a.reduceOnly })]);
      return;
    case 'cancel':
      venue.cancel(USERS[a.user]!, [{ assetId: 0, oid: a.oid }]);
      return;
    case 'modify': {
      const current = venue.orderStatus(USERS[a.user]!, a.oid);
      venue.modify(USERS[a.user]!, [{ oid: a.oid, order: order({ isBuy: current?.order.side !== 'A', price: String(100_000 + a.offset), size: lots(a.lots) }) }]);
      return;
    }
    case 'leverage':
      venue.updateLeverage(USERS[a.user]!, 0, true, a.leverage);
      return;
    case 'advance':
      venue.advance(a.ms);
  }
}

function checkInvariants(venue: SimVenueHandle): void {
  const l2 = venue.l2Book('BTC')!;
  const bestBid = l2.levels[0][0];
  const bestAsk = l2.levels[1][0];
  if (bestBid !== undefined && bestAsk !== undefined) expect(new Decimal(bestBid.px).lt(bestAsk.px)).toBe(true);

  for (const user of USERS) {
    const fills = venue.userFills(user);
    const state = venue.inspect(user);
    if (state === undefined) {
      expect(fills).toEqual([]);
      continue;
    }
    // Position = signed sum of fills.
    const signed = fills.reduce((s, f) => (f.side === 'B' ? s.plus(f.sz) : s.minus(f.sz)), new Decimal(0));
    const position = new Decimal(state.positions.find((p) => p.coin === 'BTC')?.size ?? 0);
    expect(position.eq(signed)).toBe(true);
    // Cash and positions conserve the deposit, minus fees: cash + cost of the open position = deposit - fees - net paid for fills + ... exactly.
    const paid = fills.reduce((s, f) => (f.side === 'B' ? s.plus(new Decimal(f.px).times(f.sz)) : s.minus(new Decimal(f.px).times(f.sz))), new Decimal(0));
    const fees = fills.reduce((s, f) => s.plus(f.fee), new Decimal(0));
    const cost = new Decimal(state.positions.find((p) => p.coin === 'BTC')?.cost ?? 0);
    expect(new Decimal(state.cash).plus(paid).minus(cost).plus(fees).eq(DEPOSIT)).toBe(true);
    // No order fills more than its size, and its fills add up to what it reports filled.
    for (const { order: o, status } of venue.historicalOrders(user)) {
      const filled = new Decimal(o.origSz).minus(o.sz);
      expect(new Decimal(o.sz).gte(0) && filled.gte(0)).toBe(true);
      const fromFills = fills.filter((f) => f.oid === o.oid).reduce((s, f) => s.plus(f.sz), new Decimal(0));
      expect(fromFills.eq(filled)).toBe(true);
      if (status === 'filled') expect(o.sz).toBe('0.0');
      if (status === 'open') expect(new Decimal(o.sz).gt(0)).toBe(true);
    }
  }
}

describe('venue invariants under random order flow', () => {
  it('positions, cash, order sizes and the book stay consistent', () => {
    const stats = { fills: 0, orders: 0 };
    fc.assert(
      fc.property(fc.array(snapshotArb, { minLength: 2, maxLength: 12, size: 'max' }), fc.array(actionArb, { minLength: 1, maxLength: 60, size: 'max' }), (snapshots, actions) => {
        const { venue } = scriptedVenue({ btc: marketSteps(snapshots) }, { balance: DEPOSIT });
        for (const a of actions) {
          act(venue, a);
          checkInvariants(venue);
        }
        stats.fills += USERS.reduce((n, u) => n + venue.userFills(u).length, 0);
        stats.orders += USERS.reduce((n, u) => n + venue.historicalOrders(u).length, 0);
      }),
      { numRuns: 200 },
    );
    // The flows must actually trade, or the properties above would hold vacuously.
    expect(stats.fills).toBeGreaterThan(300);
    expect(stats.orders).toBeGreaterThan(500);
  });
});
