import { afterEach, describe, expect, it } from 'vitest';
import { VenueError } from '../../../../src/core/errors.js';
import { VenueBreakers } from '../../../../src/main/exchange/resilience/breakers.js';
import { SessionLatch } from '../../../../src/main/exchange/resilience/session-latch.js';
import { StreamSupervisor, type StreamSession } from '../../../../src/main/exchange/resilience/stream-supervisor.js';
import { waitFor } from '../fakes/harness.js';

type Behaviour = 'refuse' | 'flap' | 'healthy';

/** Sessions that behave as the test says: refused at connect, up then dropped at once, or healthy. */
function scriptedSessions(next: () => Behaviour): { open: () => StreamSession; opened: Behaviour[]; live: SessionLatch[] } {
  const opened: Behaviour[] = [];
  const live: SessionLatch[] = [];
  return {
    opened, live,
    open: () => {
      const behaviour = next();
      opened.push(behaviour);
      const latch = new SessionLatch();
      const fail = () => latch.end(new VenueError('VENUE_UNAVAILABLE', `session ${opened.length}: ${behaviour}`));
      if (behaviour === 'refuse') setTimeout(fail, 1);
      else {
        setTimeout(() => latch.markReady(), 1);
        if (behaviour === 'flap') setTimeout(fail, 10);
        else live.push(latch);
      }
      return latch.session(() => latch.end(undefined));
    },
  };
}

const settings = { readyTimeoutMs: 500, stableAfterMs: 100, backoffInitialMs: 10, backoffMaxMs: 40 };
const breakerSettings = { threshold: 3, halfOpenAfterMs: 200, maxHalfOpenAfterMs: 200 };

describe('stream supervisor', () => {
  let supervisor: StreamSupervisor | undefined;
  afterEach(async () => supervisor?.stop());

  it('reconnects with backoff after a drop, without counting a stable session that dropped as a failure', async () => {
    const breakers = new VenueBreakers('sim', { market: breakerSettings });
    const sessions = scriptedSessions(() => 'healthy');
    const states: string[] = [];
    supervisor = new StreamSupervisor({ venue: 'sim', channel: 'market', breakers, open: sessions.open, settings, onState: (s) => states.push(s) });
    supervisor.start();
    for (let drop = 0; drop < 4; drop++) {
      await waitFor(() => supervisor!.up && sessions.live.length === drop + 1, `session ${drop + 1} up`);
      await new Promise((resolve) => setTimeout(resolve, 120));
      sessions.live[drop]!.end(new VenueError('VENUE_UNAVAILABLE', 'connection reset'));
    }
    await waitFor(() => sessions.live.length === 5, 'the fifth session');
    expect(breakers.state('market')).toBe('closed');
    expect(states.slice(0, 4)).toEqual(['up', 'down', 'up', 'down']);
  });

  it('opens the breaker on refused and flapping sessions, then closes it with a probe session that stays up', async () => {
    // A half-open delay well above the pause below, so a loaded machine cannot make the probe look early.
    const breakers = new VenueBreakers('sim', { market: { threshold: 3, halfOpenAfterMs: 1_000, maxHalfOpenAfterMs: 1_000 } });
    const script: Behaviour[] = ['refuse', 'flap', 'refuse'];
    const sessions = scriptedSessions(() => script.shift() ?? 'healthy');
    supervisor = new StreamSupervisor({ venue: 'sim', channel: 'market', breakers, open: sessions.open, settings });
    supervisor.start();
    await waitFor(() => breakers.state('market') === 'open', 'the breaker to open');
    expect(sessions.opened).toEqual(['refuse', 'flap', 'refuse']);
    // While open, no session is attempted; after the half-open delay one probe session is.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sessions.opened).toHaveLength(3);
    await waitFor(() => breakers.state('market') === 'closed', 'the probe to close the breaker', 5_000);
    expect(sessions.opened).toEqual(['refuse', 'flap', 'refuse', 'healthy']);
  });
});
