import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { RateLimiter } from '../../../../src/main/exchange/resilience/rate-limiter.js';
import { TokenBucket } from '../../../../src/main/exchange/resilience/token-bucket.js';
import { BINANCE_WEIGHTS } from '../../../../src/main/exchange/binance/weights.js';
import { BYBIT_WEIGHTS } from '../../../../src/main/exchange/bybit/weights.js';
import { HYPERLIQUID_WEIGHTS } from '../../../../src/main/exchange/hyperliquid/weights.js';

describe('token bucket', () => {
  it('allows a full window at once, then refills continuously at limit per window', () => {
    const clock = new SimulatedClock(0);
    const bucket = TokenBucket.perWindow('weight', 1200, 60_000, clock);
    expect(bucket.waitFor(1200)).toBe(0);
    bucket.take(1200);
    expect(bucket.waitFor(20)).toBe(1000);
    clock.advance(1000);
    expect(bucket.waitFor(20)).toBe(0);
    clock.advance(10 * 60_000);
    expect(bucket.available).toBe(1200);
    expect(bucket.waitFor(1201)).toBe(Number.POSITIVE_INFINITY);
  });

  it('starts empty after the venue says 429', () => {
    const clock = new SimulatedClock(0);
    const bucket = TokenBucket.perWindow('ip', 600, 5_000, clock);
    bucket.drain();
    expect(bucket.waitFor(1)).toBe(9);
  });
});

describe('rate limiter with venue weights', () => {
  it('spends Hyperliquid weights: 20 for most info, 2 for books, 1 per action, 1200 a minute', async () => {
    const clock = new SimulatedClock(0);
    const limiter = new RateLimiter('hyperliquid', HYPERLIQUID_WEIGHTS, clock);
    for (let i = 0; i < 60; i++) await limiter.acquire(limiter.costOf('fetchOpenOrders'), 0);
    expect(limiter.stats().available.weight).toBe(0);
    await expect(limiter.acquire(limiter.costOf('submit'), 10)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { local: true, sent: false, waitMs: 50 } });
    clock.advance(100);
    await limiter.acquire(limiter.costOf('fetchBook'), 0);
    expect(limiter.stats()).toMatchObject({ refusals: 1, available: { weight: 0 } });
  });

  it('waits for tokens when the wait fits the budget', async () => {
    const clock = new SimulatedClock(0);
    const limiter = new RateLimiter('bybit', BYBIT_WEIGHTS, clock);
    for (let i = 0; i < 10; i++) await limiter.acquire(limiter.costOf('submit'), 0);
    // The 11th create in the same second needs 100 ms of refill; real time passes, the simulated clock is moved along.
    const pending = limiter.acquire(limiter.costOf('submit'), 1_000);
    clock.advance(100);
    await pending;
    expect(limiter.stats().waits).toBe(1);
  });

  it('prices Binance calls by rows asked for and counts orders on their own buckets', () => {
    const limiter = new RateLimiter('binance', BINANCE_WEIGHTS, new SimulatedClock(0));
    expect(limiter.costOf('fetchBook', { depth: 50 })).toEqual([{ bucket: 'weight', weight: 2 }]);
    expect(limiter.costOf('fetchBook', { depth: 1000 })).toEqual([{ bucket: 'weight', weight: 20 }]);
    expect(limiter.costOf('fetchOpenOrders', { symbol: false })).toEqual([{ bucket: 'weight', weight: 40 }]);
    expect(limiter.costOf('submit')).toEqual([{ bucket: 'weight', weight: 0 }, { bucket: 'orders10s', weight: 1 }, { bucket: 'orders1m', weight: 1 }]);
  });
});
