import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { EventFactory } from '../../../src/core/event-factory.js';
import { AuditJournal } from '../../../src/main/audit/journal.js';

const dirs: string[] = [];
function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-journal-'));
  dirs.push(dir);
  return join(dir, 'state.lmdb');
}
const freshEnv = () => open({ path: freshPath() });
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('AuditJournal', () => {
  it('appends events and decisions and answers queries by time range and type', async () => {
    const env = freshEnv();
    const clock = new SimulatedClock(1_000);
    const events = new EventFactory(clock);
    const journal = new AuditJournal(env);
    journal.recordEvent(events.make('order.intent', { order: { clientOrderId: 'c1', strategyId: 's', instrument: 'i', side: 'buy', type: 'limit', size: '0.01', price: '65000', timeInForce: 'GTC', reduceOnly: false, createdAt: 1000 } }));
    clock.advance(10);
    journal.recordEvent(events.make('order.accepted', { clientOrderId: 'c1', venueOrderId: '77' }));
    journal.recordDecision('risk', clock.now(), { verdict: 'allow', clientOrderId: 'c2' });
    clock.advance(10);
    journal.recordEvent(events.make('order.rejected', { clientOrderId: 'c3', code: 'ORDER_REJECTED', reason: 'min notional' }));
    await journal.flush();

    expect(journal.query().map((e) => e.type)).toEqual(['order.intent', 'order.accepted', 'decision.risk', 'order.rejected']);
    expect(journal.query({ from: 1010, to: 1020 }).map((e) => e.type)).toEqual(['order.accepted', 'decision.risk']);
    expect(journal.query({ types: ['order.rejected'] }).map((e) => (e.data as { reason: string }).reason)).toEqual(['min notional']);
    expect(journal.query({ types: ['order.'] }).map((e) => e.type)).toEqual(['order.intent', 'order.accepted', 'order.rejected']);
    expect(journal.query({ types: ['decision.risk'], from: 1011 })).toEqual([]);
    expect(journal.query({ limit: 2 })).toHaveLength(2);
    const intent = journal.query({ types: ['order.intent'] })[0]!;
    expect((intent.data as { order: { price: string } }).order.price).toBe('65000');
    await env.close();
  });

  it('survives a reopen and keeps sequence numbers unique even if the clock stepped back', async () => {
    const path = freshPath();
    const env = open({ path });
    let journal = new AuditJournal(env);
    journal.recordDecision('a', 5_000, 1);
    journal.recordDecision('a', 5_000, 2);
    await journal.flush();
    await env.close();

    const reopened = open({ path });
    journal = new AuditJournal(reopened);
    journal.recordDecision('a', 4_000, 3); // earlier timestamp after restart
    await journal.flush();
    const all = journal.query({ types: ['decision.a'] });
    expect(all.map((e) => e.data)).toEqual([3, 1, 2]);
    expect(new Set(all.map((e) => e.seq)).size).toBe(3);
    await reopened.close();
  });
});
