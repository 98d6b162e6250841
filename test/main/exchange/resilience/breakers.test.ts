import { describe, expect, it } from 'vitest';
import { ValidationError, VenueError } from '../../../../src/core/errors.js';
import { VenueBreakers, type BreakerScope, type BreakerState } from '../../../../src/main/exchange/resilience/breakers.js';

const fast = { threshold: 3, halfOpenAfterMs: 50, maxHalfOpenAfterMs: 50 };
const rateLimited = () => Promise.reject(new VenueError('RATE_LIMITED', 'HTTP 429'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('venue and channel circuit breakers', () => {
  it('opens a channel after its threshold, refuses locally with the code that opened it, and closes on a good half-open probe', async () => {
    const breakers = new VenueBreakers('hyperliquid', { venue: { ...fast, threshold: 100 }, rest: fast, market: fast, user: fast });
    const changes: [BreakerScope, BreakerState][] = [];
    breakers.onChange((scope, state) => changes.push([scope, state]));
    let calls = 0;
    for (let i = 0; i < 10; i++) await breakers.execute('rest', () => { calls++; return rateLimited(); }).catch(() => undefined);
    expect(calls).toBe(3);
    await expect(breakers.execute('rest', async () => 'never')).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { local: true, sent: false, scope: 'rest' } });
    expect(breakers.state('market')).toBe('closed');
    await sleep(60);
    expect(await breakers.execute('rest', async () => 'probe')).toBe('probe');
    expect(changes).toEqual([['rest', 'open'], ['rest', 'half-open'], ['rest', 'closed']]);
  });

  it('does not count refused orders or bad requests as venue failures', async () => {
    const breakers = new VenueBreakers('binance', { rest: fast });
    for (let i = 0; i < 10; i++) {
      await breakers.execute('rest', () => Promise.reject(new VenueError('ORDER_REJECTED', 'margin'))).catch(() => undefined);
      await breakers.execute('rest', () => Promise.reject(new ValidationError('bad symbol'))).catch(() => undefined);
    }
    expect(breakers.state('rest')).toBe('closed');
  });

  it('opens at once on a tripping failure (a malformed burst) and stops every channel when the venue breaker opens', async () => {
    const breakers = new VenueBreakers('bybit', { venue: { ...fast, threshold: 4 }, rest: { ...fast, threshold: 10 }, market: fast, user: fast });
    await breakers.recordFailure('market', new ValidationError('burst', { burst: true, trip: true }));
    expect(breakers.state('market')).toBe('open');
    expect(breakers.state('user')).toBe('closed');
    for (let i = 0; i < 3; i++) await breakers.execute('rest', () => Promise.reject(new VenueError('VENUE_UNAVAILABLE', '502'))).catch(() => undefined);
    expect(breakers.state('venue')).toBe('open');
    expect(breakers.state('rest')).toBe('closed');
    await expect(breakers.execute('user', async () => 1)).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE', details: { scope: 'venue' } });
  });
});
