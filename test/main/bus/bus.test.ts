import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { EventFactory } from '../../../src/core/event-factory.js';
import type { OspreyEvent } from '../../../src/core/events.js';
import { EventBus, type SubscriberFailure } from '../../../src/main/bus/bus.js';

const factory = new EventFactory(new SimulatedClock(1_700_000_000_000));
const trade = (n: number) => factory.make('market.trade', { instrument: 'hyperliquid:BTC-PERP', price: 100 + n, size: 1, aggressor: 'buy', tradeId: String(n) });

function recordingBus() {
  const failures: { error: unknown; failure: SubscriberFailure }[] = [];
  return { bus: new EventBus((error, failure) => failures.push({ error, failure })), failures };
}

describe('EventBus', () => {
  it('delivers synchronously, in publish order, only to the topic subscribed', () => {
    const { bus } = recordingBus();
    const seen: string[] = [];
    bus.subscribe('market.trade', (e) => seen.push(`trade:${e.tradeId}`));
    bus.subscribe('order.accepted', (e) => seen.push(`accepted:${e.clientOrderId}`));
    bus.publish(trade(1));
    expect(seen).toEqual(['trade:1']); // already delivered when publish returns
    bus.publish(factory.make('order.accepted', { clientOrderId: 'c1', venueOrderId: 'v1' }));
    bus.publish(trade(2));
    expect(seen).toEqual(['trade:1', 'accepted:c1', 'trade:2']);
  });

  it('isolates a throwing subscriber, reports it, and still delivers to the others', () => {
    const { bus, failures } = recordingBus();
    const seen: string[] = [];
    bus.subscribe('market.trade', () => seen.push('first'), 'first');
    bus.subscribe('market.trade', () => { throw new Error('boom'); }, 'broken');
    bus.subscribe('market.trade', () => seen.push('third'), 'third');
    const event = trade(1);
    bus.publish(event);
    expect(seen).toEqual(['first', 'third']);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.failure).toEqual({ topic: 'market.trade', subscriber: 'broken', eventId: event.id });
    expect((failures[0]!.error as Error).message).toBe('boom');
    expect(bus.counters()['market.trade']).toEqual({ published: 1, delivered: 2, failed: 1 });
  });

  it('keeps every subscriber in order when a handler publishes (re-entrant publish is queued)', () => {
    const { bus } = recordingBus();
    const a: string[] = [];
    const b: string[] = [];
    bus.subscribe('market.trade', (e) => {
      a.push(e.tradeId);
      if (e.tradeId === '1') bus.publish(trade(2));
    });
    bus.subscribe('market.trade', (e) => b.push(e.tradeId));
    bus.publish(trade(1));
    expect(a).toEqual(['1', '2']);
    expect(b).toEqual(['1', '2']); // without queueing, b would see 2 before 1
  });

  it('unsubscribing during delivery takes effect from the next event', () => {
    const { bus } = recordingBus();
    const seen: string[] = [];
    let off = () => {};
    bus.subscribe('market.trade', () => off());
    off = bus.subscribe('market.trade', (e) => seen.push(e.tradeId));
    bus.publish(trade(1));
    bus.publish(trade(2));
    expect(seen).toEqual(['1']);
  });

  it('wildcard subscribers see every topic and count in the topic counters', () => {
    const { bus } = recordingBus();
    const seen: OspreyEvent['type'][] = [];
    const off = bus.subscribeAll((e) => seen.push(e.type));
    bus.publish(trade(1));
    bus.publish(factory.make('risk.state', { from: 'ACTIVE', to: 'HALTED', reason: 'test' }));
    off();
    bus.publish(trade(2));
    expect(seen).toEqual(['market.trade', 'risk.state']);
    expect(bus.counters()['market.trade'].published).toBe(2);
  });

  it('refuses an unknown topic', () => {
    const { bus } = recordingBus();
    expect(() => bus.publish({ ...trade(1), type: 'no.such.topic' } as never)).toThrow(/unknown topic/);
  });

  it('property: for any interleaving of publishes and failing subscribers, each healthy subscriber sees all events in order', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 50 }), (failing, count) => {
        const { bus, failures } = recordingBus();
        const logs = failing.map(() => [] as string[]);
        failing.forEach((fails, i) =>
          bus.subscribe('market.trade', (e) => {
            logs[i]!.push(e.tradeId);
            if (fails) throw new Error(`sub ${i}`);
          }),
        );
        const ids = Array.from({ length: count }, (_, n) => String(n));
        for (const id of ids) bus.publish(trade(Number(id)));
        for (const log of logs) expect(log).toEqual(ids);
        expect(failures).toHaveLength(failing.filter(Boolean).length * count);
      }),
    );
  });
});
