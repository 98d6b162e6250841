import type { StateStore } from '../state/store.js';

/**
 * Where the last complete reconciliation left off, kept in the store's snapshot table under a reserved
 * id so it survives restarts with the rest of the state. Fills are asked for from a little before it:
 * the venue may stamp a fill earlier than the moment we learnt of it.
 */
export const CHECKPOINT_ID = '__osprey.reconcile__';

export interface Checkpoint {
  /** Venue time (ms) of the newest fill recorded at the last complete run; everything before it is recorded. */
  readonly fillsUntil: number;
  readonly completedAt: number;
}

export function readCheckpoint(store: StateStore): Checkpoint | undefined {
  const data = store.loadSnapshot(CHECKPOINT_ID)?.data as Partial<Checkpoint> | undefined;
  if (data === undefined || typeof data.fillsUntil !== 'number' || typeof data.completedAt !== 'number') return undefined;
  return { fillsUntil: data.fillsUntil, completedAt: data.completedAt };
}

export async function writeCheckpoint(store: StateStore, checkpoint: Checkpoint): Promise<void> {
  await store.saveSnapshot(CHECKPOINT_ID, checkpoint);
}
