import { describe, expect, it } from 'vitest';
import { DepthSequencer } from '../../src/data/depth-sequence.js';

describe('DepthSequencer (Binance U/u/pu rule)', () => {
  it('is unsynced until a snapshot', () => {
    const s = new DepthSequencer();
    expect(s.synced).toBe(false);
    expect(s.check(990, 995, 989)).toBe('unsynced');
  });

  it('drops diffs ending before the snapshot, applies the bridging one, then follows pu links', () => {
    // The sequence ccxt 4.5.84 was verified on (refs/binance-usdm-ccxt.md §5).
    const s = new DepthSequencer();
    s.startFromSnapshot(1000);
    expect(s.check(990, 995, 989)).toBe('stale');
    expect(s.check(996, 1002, 995)).toBe('apply');
    expect(s.lastUpdateId).toBe(1002);
    expect(s.check(1003, 1007, 1002)).toBe('apply');
    expect(s.check(1003, 1004, 1002)).toBe('stale');
    expect(s.check(1010, 1012, 1009)).toBe('gap');
    expect(s.lastUpdateId).toBe(1007);
  });

  it('a first diff that starts after the snapshot id is a gap', () => {
    const s = new DepthSequencer();
    s.startFromSnapshot(1000);
    expect(s.check(1001, 1005, 1000)).toBe('gap');
  });

  it('reset forgets the book', () => {
    const s = new DepthSequencer();
    s.startFromSnapshot(5);
    s.reset();
    expect(s.synced).toBe(false);
    expect(s.check(1, 9, 0)).toBe('unsynced');
  });
});
