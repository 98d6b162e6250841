import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../../src/core/clock.js';
import type { Fill, Order, OrderIntent, OrderStatus } from '../../../src/core/types.js';
import { StateStore } from '../../../src/main/state/store.js';

/** Builders and a temp-dir store for the state tests. */

export function tempDir(prefix = 'osprey-state-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function intent(clientOrderId: string, over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    clientOrderId,
    strategyId: 'sma-1',
    instrument: 'hyperliquid:BTC-PERP',
    side: 'buy',
    type: 'limit',
    size: '0.5',
    price: '65000.5',
    timeInForce: 'GTC',
    reduceOnly: false,
    createdAt: 1_700_000_000_000,
    ...over,
  };
}

export function update(base: OrderIntent | Order, status: OrderStatus, over: Partial<Order> = {}): Order {
  const prev = base as Partial<Order>;
  return {
    ...base,
    status,
    filledSize: prev.filledSize ?? '0',
    avgFillPrice: prev.avgFillPrice ?? '0',
    updatedAt: (prev.updatedAt ?? base.createdAt) + 1,
    ...over,
  };
}

export function fill(venueTradeId: string, over: Partial<Fill> = {}): Fill {
  return {
    venue: 'hyperliquid',
    instrument: 'hyperliquid:BTC-PERP',
    venueTradeId,
    venueOrderId: 'v-1',
    clientOrderId: 'c-1',
    side: 'buy',
    price: '65000',
    size: '0.1',
    fee: '0.65',
    feeCurrency: 'USDC',
    liquidity: 'taker',
    ts: 1_700_000_000_100,
    ...over,
  };
}

export interface OpenedStore {
  readonly store: StateStore;
  readonly dir: string;
  readonly clock: SimulatedClock;
  reopen(): Promise<StateStore>;
  cleanup(): Promise<void>;
}

/** A store in a fresh temp dir; `reopen` closes the current one and opens the same dir again. */
export async function openTempStore(): Promise<OpenedStore> {
  const dir = tempDir();
  const clock = new SimulatedClock(1_700_000_000_000);
  let current = await StateStore.open(dir, { clock });
  return {
    get store() {
      return current;
    },
    dir,
    clock,
    async reopen() {
      await current.close();
      current = await StateStore.open(dir, { clock });
      return current;
    },
    async cleanup() {
      await current.close();
      removeDir(dir);
    },
  };
}
