import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { MalformedBurstDetector } from '../../../../src/main/exchange/resilience/malformed-burst.js';
import { StaleDataGuard } from '../../../../src/main/exchange/resilience/stale-guard.js';

describe('stale-data guard', () => {
  it('blocks an instrument with no book or a book older than its limit, with the reason', () => {
    const clock = new SimulatedClock(1_000);
    const guard = new StaleDataGuard(clock, { maxBookAgeMs: 500, perInstrumentMs: { 'sim:ETH': 2_000 } });
    expect(guard.check('sim:BTC')).toEqual({ ok: false, reason: 'NO_BOOK', detail: 'no book for sim:BTC has arrived yet' });
    guard.noteBook('sim:BTC');
    guard.noteBook('sim:ETH');
    clock.advance(500);
    expect(guard.check('sim:BTC')).toEqual({ ok: true });
    clock.advance(1);
    expect(guard.check('sim:BTC')).toEqual({ ok: false, reason: 'STALE_BOOK', detail: 'book for sim:BTC is 501 ms old, limit 500 ms' });
    expect(guard.check('sim:ETH')).toEqual({ ok: true });
  });
});

describe('malformed burst detector', () => {
  it('tells strays from a burst of threshold messages within the window', () => {
    const clock = new SimulatedClock(0);
    const detector = new MalformedBurstDetector(clock, { threshold: 3, windowMs: 1_000 });
    expect([detector.record(), detector.record()]).toEqual([false, false]);
    clock.advance(1_001);
    expect(detector.record()).toBe(false);
    expect(detector.record()).toBe(false);
    expect(detector.record()).toBe(true);
    // A burst resets the window: the next message starts a new count.
    expect(detector.record()).toBe(false);
    expect(detector.seen).toBe(6);
  });
});
