import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { AcceleratedClock } from '../../../src/sim/engine/replay-clock.js';
import { createSimVenue } from '../../../src/sim/engine/venue.js';
import { scriptedVenue } from './scripted.js';

/** A base clock the test moves by hand, standing in for the wall clock. */
class HandClock implements Clock {
  ms = 1_000_000;
  now(): number {
    return this.ms;
  }
  monotonicNs(): bigint {
    return BigInt(this.ms) * 1_000_000n;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AcceleratedClock', () => {
  it('runs speed times as fast as its base from a chosen start, measuring latency in real time', () => {
    const base = new HandClock();
    const clock = new AcceleratedClock(60, base, 5_000);
    expect(clock.now()).toBe(5_000);
    base.ms += 1_000;
    expect(clock.now()).toBe(65_000);
    expect(clock.monotonicNs()).toBe(base.monotonicNs());
  });

  it('refuses a speed that is not a positive number', () => {
    expect(() => new AcceleratedClock(0)).toThrow(/positive/);
    expect(() => new AcceleratedClock(Number.NaN)).toThrow(/positive/);
  });
});

describe('real-time replay', () => {
  it('applies replay steps on a timer between start() and stop()', () => {
    vi.useFakeTimers();
    const base = new HandClock();
    const venue = createSimVenue({ clock: new AcceleratedClock(10, base) });
    const times: number[] = [];
    venue.on('book', (b) => b.coin === 'BTC' && times.push(b.time));
    venue.start(20);
    base.ms += 100; // 1 s of venue time at 10x: the snapshots at 0.493 s and 1.037 s... only the first is due
    vi.advanceTimersByTime(20);
    expect(times.map((t) => t - 1_000_000)).toEqual([493]);
    venue.stop();
    base.ms += 1_000;
    vi.advanceTimersByTime(100);
    expect(times).toHaveLength(1);
    // Any venue call catches up on what is due, timer or not.
    venue.l2Book('BTC');
    expect(times.length).toBeGreaterThan(1);
  });

  it('step() and advance() need a SimulatedClock', () => {
    const venue = createSimVenue({ clock: new AcceleratedClock(1, new HandClock()) });
    expect(() => venue.advance(10)).toThrow(/SimulatedClock/);
    expect(() => venue.step()).toThrow(/SimulatedClock/);
  });

  it('step() jumps to the next replay step and never moves time back', () => {
    const { venue, clock } = scriptedVenue();
    const before = clock.now();
    venue.advance(5);
    expect(venue.nextEventTime()).toBeUndefined();
    expect(venue.step()).toBeUndefined();
    expect(clock.now()).toBe(before + 5);
  });
});
