import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../../src/core/types.js';
import { FillDeduplicator } from '../../../src/main/exchange/fill-dedup.js';
import { OrderTracker, type VenueOrderReport } from '../../../src/main/exchange/order-tracker.js';

const intent: OrderIntent = {
  clientOrderId: 'c-1', strategyId: 's', instrument: 'sim:BTC', side: 'buy', type: 'limit', size: '1', price: '100', timeInForce: 'GTC', reduceOnly: false, createdAt: 1,
};
const report = (fields: Partial<VenueOrderReport>): VenueOrderReport => ({
  instrument: 'sim:BTC', venueOrderId: 'v-1', venueClientId: 'C-1', side: 'buy', type: 'limit', timeInForce: 'GTC', reduceOnly: false,
  price: '100', size: '1', filledSize: '0', avgFillPrice: '0', status: 'accepted', ts: 2, ...fields,
});

describe('order tracker', () => {
  it('moves orders only forward and never shrinks the filled size', () => {
    const tracker = new OrderTracker('sim', (id) => id.toUpperCase());
    tracker.track(intent);
    expect(tracker.apply(report({}))).toMatchObject({ clientOrderId: 'c-1', strategyId: 's', status: 'accepted', venueOrderId: 'v-1' });
    expect(tracker.apply(report({ status: 'partially_filled', filledSize: '0.4', avgFillPrice: '100', ts: 3 }))).toMatchObject({ status: 'partially_filled', filledSize: '0.4' });
    expect(tracker.apply(report({ status: 'accepted', ts: 2 }))).toBeUndefined();
    expect(tracker.apply(report({ status: 'partially_filled', filledSize: '0.2', ts: 4 }))).toBeUndefined();
    expect(tracker.apply(report({ status: 'filled', filledSize: '1', avgFillPrice: '100', ts: 5 }))).toMatchObject({ status: 'filled', filledSize: '1' });
    expect(tracker.apply(report({ status: 'cancelled', filledSize: '1', ts: 6 }))).toBeUndefined();
    expect(tracker.staleUpdates).toBe(3);
    expect(tracker.apply(report({ status: 'filled', filledSize: '1', avgFillPrice: '100', ts: 5 }))).toBeUndefined();
  });

  it('finds orders by venue client id or venue order id, and adopts orders placed elsewhere as external', () => {
    const tracker = new OrderTracker('sim', (id) => id.toUpperCase());
    tracker.track(intent);
    expect(tracker.clientOrderIdOf({ venueClientId: 'C-1' })).toBe('c-1');
    const external = tracker.apply(report({ venueOrderId: 'v-9', venueClientId: 'theirs' }));
    expect(external).toMatchObject({ clientOrderId: 'theirs', strategyId: 'external', status: 'accepted' });
    const anonymous = tracker.apply(report({ venueOrderId: 'v-10', venueClientId: undefined as never }));
    expect(anonymous).toMatchObject({ clientOrderId: 'sim-v-10', strategyId: 'external' });
    expect(tracker.openOrders().map((o) => o.clientOrderId)).toEqual(['c-1', 'theirs', 'sim-v-10']);
  });

  it('keeps an amended price against an older report, and rejects only orders not yet accepted', () => {
    const tracker = new OrderTracker('sim');
    tracker.track(intent);
    tracker.apply(report({ venueClientId: 'c-1', ts: 10 }));
    expect(tracker.apply(report({ venueClientId: 'c-1', price: '101', ts: 20 }))).toMatchObject({ price: '101' });
    expect(tracker.apply(report({ venueClientId: 'c-1', price: '100', ts: 15 }))).toBeUndefined();
    expect(tracker.reject('c-1', 'late', 30)).toBeUndefined();
    tracker.track({ ...intent, clientOrderId: 'c-2' });
    expect(tracker.reject('c-2', 'margin', 30)).toMatchObject({ status: 'rejected', reason: 'margin' });
  });
});

describe('fill deduplicator', () => {
  it('passes each trade id once and forgets the oldest beyond its capacity', () => {
    const dedup = new FillDeduplicator(2);
    expect(['a', 'a', 'b', 'c', 'a'].map((id) => dedup.firstSighting(id))).toEqual([true, false, true, true, true]);
    expect(dedup.duplicates).toBe(1);
  });
});
