import { describe, expect, it } from 'vitest';
import { LifecycleError } from '../../../src/core/errors.js';
import { BaseComponent, Lifecycle, TRANSITIONS, type LifecycleState } from '../../../src/main/engine/lifecycle.js';

const STATES = Object.keys(TRANSITIONS) as LifecycleState[];

class Probe extends BaseComponent {
  failStart = false;
  calls: string[] = [];
  protected async onStart(): Promise<void> {
    this.calls.push('start');
    if (this.failStart) throw new Error('cannot open');
  }
  protected async onStop(): Promise<void> {
    this.calls.push('stop');
  }
}

describe('lifecycle', () => {
  it('allows exactly the moves in the transition table', () => {
    for (const from of STATES) {
      for (const to of STATES) {
        if (from === to) continue;
        const lc = new Lifecycle('x');
        // Walk to `from` through legal moves.
        const path: Record<LifecycleState, LifecycleState[]> = {
          stopped: [], starting: ['starting'], running: ['starting', 'running'], degraded: ['starting', 'running', 'degraded'],
          stopping: ['starting', 'running', 'stopping'], failed: ['starting', 'failed'],
        };
        for (const step of path[from]) lc.moveTo(step);
        expect(lc.state).toBe(from);
        if (TRANSITIONS[from].includes(to)) {
          lc.moveTo(to);
          expect(lc.state).toBe(to);
        } else {
          expect(() => lc.moveTo(to)).toThrow(LifecycleError);
          expect(lc.state).toBe(from);
        }
      }
    }
  });

  it('notifies listeners with the reason', () => {
    const lc = new Lifecycle('feed');
    const changes: unknown[] = [];
    lc.onChange((c) => changes.push(c));
    lc.moveTo('starting');
    lc.moveTo('running');
    lc.moveTo('degraded', 'book stale');
    expect(changes).toEqual([
      { component: 'feed', from: 'stopped', to: 'starting' },
      { component: 'feed', from: 'starting', to: 'running' },
      { component: 'feed', from: 'running', to: 'degraded', reason: 'book stale' },
    ]);
    expect(lc.reason).toBe('book stale');
  });

  it('a component passes through starting and stopping, and a failed start leaves it failed', async () => {
    const ok = new Probe('ok');
    await ok.start();
    expect(ok.lifecycle.state).toBe('running');
    await ok.stop();
    await ok.stop(); // idempotent
    expect(ok.lifecycle.state).toBe('stopped');
    expect(ok.calls).toEqual(['start', 'stop']);

    const bad = new Probe('bad');
    bad.failStart = true;
    await expect(bad.start()).rejects.toThrow('cannot open');
    expect(bad.lifecycle.state).toBe('failed');
    expect(bad.lifecycle.reason).toBe('cannot open');
    await expect(bad.start()).rejects.toThrow(); // failed -> starting is allowed (supervisor restart)
  });
});
