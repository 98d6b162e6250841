import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { StateError } from '../../../src/core/errors.js';
import { openStateEnv } from '../../../src/main/state/env.js';
import type { CorruptRecord } from '../../../src/main/state/loader.js';
import { StateStore } from '../../../src/main/state/store.js';
import { SCHEMA_KEY, encodeValue, openStateTables, orderKey, type StateTables } from '../../../src/main/state/tables.js';
import { fill, intent, removeDir, tempDir, update } from './fixtures.js';

/** Each test writes a healthy store, damages it behind the store's back, and expects open() to name the damage. */

let dir: string;
const clock = new SimulatedClock(1_700_000_000_000);

beforeEach(async () => {
  dir = tempDir();
  const store = await StateStore.open(dir, { clock });
  const i = intent('c-1');
  await store.writeIntent(i);
  await store.recordOrderUpdate(update(i, 'accepted'));
  await store.recordFill(fill('t-1'));
  await store.recordFill(fill('t-2', { side: 'sell', size: '0.05' }));
  await store.close();
});
afterEach(() => removeDir(dir));

async function tamper(change: (tables: StateTables) => Promise<unknown>[]): Promise<void> {
  const env = openStateEnv(dir);
  await Promise.all(change(openStateTables(env)));
  await env.close();
}

async function corruptRecords(): Promise<CorruptRecord[]> {
  const error = await StateStore.open(dir, { clock }).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StateError);
  expect((error as StateError).code).toBe('STATE_CORRUPT');
  return (error as StateError).details['records'] as CorruptRecord[];
}

describe('load() reports corrupt records by key', () => {
  it('opens the healthy store', async () => {
    const store = await StateStore.open(dir, { clock });
    expect(await store.load()).toEqual({ orders: 1, orderRecords: 2, fills: 2, positions: 1, balances: 0, snapshots: 0 });
    await store.close();
  });

  it('names a value that does not decode, and leaves it on disk', async () => {
    await tamper((t) => [t.orders.put(orderKey('c-1', 1), Uint8Array.from([0xc1, 0xff, 0x00]))]);
    expect(await corruptRecords()).toEqual([{ table: 'state/orders', key: '["c-1",1]', problem: expect.stringMatching(/does not decode/) }]);
    const env = openStateEnv(dir);
    expect(openStateTables(env).orders.get(orderKey('c-1', 1))).toEqual(Buffer.from([0xc1, 0xff, 0x00]));
    await env.close();
  });

  it('names a field that breaks the core types', async () => {
    await tamper((t) => [t.orders.put(orderKey('c-1', 1), encodeValue({ ...update(intent('c-1'), 'accepted'), status: 'bogus', filledSize: 0.1 }))]);
    const [record] = await corruptRecords();
    expect(record).toMatchObject({ table: 'state/orders', key: '["c-1",1]' });
    expect(record?.problem).toMatch(/status "bogus" is not an order status.*filledSize must be a decimal string/);
  });

  it('finds a gap and a backward move in an order history', async () => {
    await tamper((t) => [
      t.orders.put(orderKey('c-1', 2), encodeValue(update(intent('c-1'), 'filled', { filledSize: '0.5' }))),
      t.orders.put(orderKey('c-1', 3), encodeValue(update(intent('c-1'), 'accepted', { filledSize: '0.5' }))),
      t.orders.put(orderKey('c-2', 1), encodeValue(update(intent('c-2'), 'accepted'))),
    ]);
    expect(await corruptRecords()).toEqual([
      { table: 'state/orders', key: '["c-1",3]', problem: 'illegal status move: filled cannot move to accepted' },
      { table: 'state/orders', key: '["c-2",1]', problem: 'history seq 1 where 0 was expected: a record is missing' },
    ]);
  });

  it('finds a position that does not equal the replay of its fills, and a fill without a position', async () => {
    await tamper((t) => [
      t.positions.put('hyperliquid:BTC-PERP', encodeValue({ instrument: 'hyperliquid:BTC-PERP', size: '0.06', cost: '3250', realisedPnl: '0', fees: '1.3', updatedAt: 1 })),
      t.fills.put(['sim', 't-9'], encodeValue({ seq: 7, fill: fill('t-9', { venue: 'sim', instrument: 'sim:ETH' }) })),
    ]);
    const records = await corruptRecords();
    expect(records.map((r) => [r.table, r.key])).toEqual([['state/positions', '"hyperliquid:BTC-PERP"'], ['state/positions', '"sim:ETH"']]);
    expect(records[0]?.problem).toMatch(/fills replay to .*"size":"0.05"/);
    expect(records[1]?.problem).toMatch(/^missing/);
  });

  it('finds a fill stored under the wrong key and a reused fill seq', async () => {
    await tamper((t) => [
      t.fills.put(['hyperliquid', 't-3'], encodeValue({ seq: 9, fill: fill('t-4') })),
      t.fills.put(['hyperliquid', 't-5'], encodeValue({ seq: 0, fill: fill('t-5') })),
    ]);
    const records = await corruptRecords();
    expect(records.filter((r) => r.table === 'state/fills')).toEqual([
      { table: 'state/fills', key: '["hyperliquid","t-3"]', problem: 'record does not match its key' },
      { table: 'state/fills', key: '["hyperliquid","t-5"]', problem: 'fill seq 0 is used twice' },
    ]);
  });

  it('refuses a store written by another schema version', async () => {
    await tamper((t) => [t.meta.put(SCHEMA_KEY, encodeValue({ version: 99 }))]);
    expect(await corruptRecords()).toEqual([{ table: 'state/meta', key: '"schema"', problem: 'schema version 99, this build reads 1' }]);
  });

  it('lists every problem in one error, with the first ones in its message', async () => {
    await tamper((t) => [
      t.balances.put(['hyperliquid', 'USDC'], encodeValue({ venue: 'hyperliquid', asset: 'USDC', total: 'lots', available: '1', updatedAt: 1 })),
      t.snapshots.put('sma-1', Uint8Array.from([0xc1])),
    ]);
    const error = (await StateStore.open(dir, { clock }).catch((e: unknown) => e)) as StateError;
    expect(error.message).toMatch(/^STATE_CORRUPT: 2 corrupt record\(s\): state\/balances \["hyperliquid","USDC"\]: total must be a decimal string/);
    expect(error.message).toMatch(/state\/snapshots "sma-1": value does not decode/);
    expect(error.policy).toBe('halt');
  });
});
