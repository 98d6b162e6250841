import type { Clock } from '../../core/clock.js';
import type { Executor } from '../execution/executor.js';
import type { ExecutionVenue } from '../execution/venue-port.js';
import type { Denial } from '../risk/checks.js';
import type { RiskGate } from '../risk/gate.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { type OrderFindings, type UnknownOrderPolicy, adoptVenueOrders, resolveStoredOrders } from './orders.js';
import { type PositionMismatch, comparePositions, rebuildExposure } from './rebuild.js';

export type ReconcileState = 'pending' | 'running' | 'ok' | 'failed';

export interface ReconcileReport extends OrderFindings {
  readonly fillsFetched: number;
  /** Fills the venue had that the store did not: recorded now (never invented). */
  readonly fillsRecorded: number;
  readonly positionMismatches: PositionMismatch[];
}

export interface ReconcileStatus {
  readonly state: ReconcileState;
  /** Why trading is blocked, in words for health and RPC; absent when ok. */
  readonly reason?: string;
  readonly lastRunAt?: number;
  readonly lastReport?: ReconcileReport;
}

export interface ReconcilerOptions {
  readonly venue: ExecutionVenue;
  readonly executor: Executor;
  readonly gate: RiskGate;
  readonly clock: Clock;
  readonly unknownOrders?: UnknownOrderPolicy;
  /** How far before the checkpoint fills are asked for again (venue stamps vs our receipt). */
  readonly fillOverlapMs?: number;
  /** With no checkpoint (first start), how far back to ask for fills. */
  readonly firstLookbackMs?: number;
}

/**
 * Compares the engine's state with the venue's, on start and then periodically: every stored open order
 * is looked up, unknown venue orders are adopted (or cancelled by policy), fills since the checkpoint are
 * recorded, and positions are compared exactly. Until a run completes with positions equal, the gate's
 * precondition refuses every intent with NOT_RECONCILED and the reason: the engine does not trade on a
 * state it is not sure of. A failed periodic run blocks trading again until a run succeeds.
 */
export class Reconciler {
  readonly #venue: ExecutionVenue;
  readonly #executor: Executor;
  readonly #gate: RiskGate;
  readonly #clock: Clock;
  readonly #policy: UnknownOrderPolicy;
  readonly #overlapMs: number;
  readonly #firstLookbackMs: number;
  #status: ReconcileStatus = { state: 'pending', reason: 'reconciliation has not run yet' };
  #rebuilt = false;
  #running: Promise<ReconcileStatus> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ReconcilerOptions) {
    this.#venue = options.venue;
    this.#executor = options.executor;
    this.#gate = options.gate;
    this.#clock = options.clock;
    this.#policy = options.unknownOrders ?? 'adopt';
    this.#overlapMs = options.fillOverlapMs ?? 60_000;
    this.#firstLookbackMs = options.firstLookbackMs ?? 7 * 86_400_000;
    options.gate.setPrecondition(() => this.precondition());
  }

  status(): ReconcileStatus {
    return this.#status;
  }

  /** The gate's precondition: a denial unless the last run completed. */
  precondition(): Denial | undefined {
    if (this.#status.state === 'ok') return undefined;
    return { code: 'NOT_RECONCILED', reason: `reconciliation ${this.#status.state}: ${this.#status.reason ?? 'no reason given'}`, limit: '0', value: '0' };
  }

  /**
   * Tells the adapter about every stored open order, so venue reports about them map back to their
   * client ids and strategies. Runs at the start of every reconciliation; the engine should also call it
   * before the adapter's streams start, so fills replayed at connect are attributed from the first one.
   */
  registerStoredOrders(): void {
    for (const order of this.#executor.ledger.store.openOrders()) this.#venue.track(order, order.venueOrderId);
  }

  /** One run; concurrent calls share it. Never throws: a failure is the returned (and held) status. */
  run(): Promise<ReconcileStatus> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Periodic runs every `intervalMs` (timer unref'd: it never keeps the process alive). */
  startPeriodic(intervalMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.run(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #run(): Promise<ReconcileStatus> {
    const previous = this.#status;
    const startedAt = this.#clock.now();
    // The first run rebuilds exposure from disk; until it completes, trading stays blocked.
    if (previous.state !== 'ok') this.#status = { ...previous, state: 'running', reason: 'reconciliation in progress' };
    try {
      const report = await this.#reconcile(startedAt);
      this.#status = report.positionMismatches.length === 0
        ? { state: 'ok', lastRunAt: startedAt, lastReport: report }
        : { state: 'failed', reason: `positions differ from the venue: ${report.positionMismatches.map((m) => `${m.instrument} ours ${m.ours} venue ${m.venue}`).join('; ')}`, lastRunAt: startedAt, lastReport: report };
    } catch (error) {
      this.#status = { state: 'failed', reason: `reconciliation could not complete: ${error instanceof Error ? error.message : String(error)}`, lastRunAt: startedAt };
    }
    return this.#status;
  }

  async #reconcile(startedAt: number): Promise<ReconcileReport> {
    const ledger = this.#executor.ledger;
    const store = ledger.store;
    if (!this.#rebuilt) {
      // Fills and order reports already flowing (a stream replays them at connect) must have reached
      // both store and exposure, or the rebuild below would count one of them twice.
      await this.#executor.settled();
      rebuildExposure(store, this.#gate.exposure);
      this.#rebuilt = true;
    }
    this.registerStoredOrders();
    const stored = await resolveStoredOrders(this.#venue, ledger, (id) => this.#executor.isSending(id));
    const foreign = await adoptVenueOrders(this.#venue, ledger, this.#gate.exposure, this.#policy);
    const checkpoint = readCheckpoint(store);
    const since = checkpoint === undefined ? startedAt - this.#firstLookbackMs : checkpoint.fillsUntil - this.#overlapMs;
    let fillsFetched = 0;
    let fillsRecorded = 0;
    // The checkpoint is in the venue's time (its fill stamps), not ours: clocks differ, and a fill stamped
    // before our clock's "now" must still be asked for next time.
    let fillsUntil = checkpoint?.fillsUntil ?? since;
    let mismatches: PositionMismatch[] = [];
    // Positions are compared after the fills are in; a fill landing between the two reads is caught by one retry.
    for (let attempt = 0; attempt < 2; attempt++) {
      const fills = await this.#venue.fetchFills(since);
      fillsFetched += fills.length;
      for (const fill of fills) {
        if (await ledger.applyFill(fill)) fillsRecorded++;
        if (fill.ts > fillsUntil) fillsUntil = fill.ts;
      }
      mismatches = comparePositions(store, await this.#venue.fetchPositions(), (id) => this.#venue.instrument(id)?.kind === 'spot');
      if (mismatches.length === 0) break;
    }
    if (mismatches.length === 0) await writeCheckpoint(store, { fillsUntil, completedAt: this.#clock.now() });
    return { ...stored, ...foreign, fillsFetched, fillsRecorded, positionMismatches: mismatches };
  }
}
