/**
 * Binance USDⓈ-M depth-diff sequencing, shared by the recorded-feed rebuild (src/data) and the live
 * decoder (src/main/exchange/binance) so both follow one rule:
 *   - start from a REST snapshot with `lastUpdateId` L;
 *   - drop diffs that end before it (`u < L`);
 *   - the first diff applied must span it (`U <= L <= u`);
 *   - after that, each diff's `pu` must equal the previous diff's `u`; anything else is a gap, and the
 *     book must be rebuilt from a fresh snapshot.
 * A diff that repeats or precedes the last applied one (`u <= last`) is stale and dropped, which
 * tolerates a duplicate after a reconnect without calling it a gap.
 */
export type DiffVerdict =
  /** Apply the diff to the book. */
  | 'apply'
  /** Already covered by the snapshot or an applied diff; drop it. */
  | 'stale'
  /** Updates are missing between the book and this diff; the book is no longer trustworthy. */
  | 'gap'
  /** No snapshot yet: buffer the diff, it may bridge the snapshot to come. */
  | 'unsynced';

export class DepthSequencer {
  /** Update id the book is at; undefined until a snapshot arrives. */
  #lastId: number | undefined;
  /** True once a diff spanning the snapshot's id was applied; from then on `pu` links must hold. */
  #bridged = false;

  get synced(): boolean {
    return this.#lastId !== undefined;
  }

  get lastUpdateId(): number | undefined {
    return this.#lastId;
  }

  /** The book was replaced by a snapshot at `lastUpdateId`. */
  startFromSnapshot(lastUpdateId: number): void {
    this.#lastId = lastUpdateId;
    this.#bridged = false;
  }

  /** Forget the book (after a gap or a reconnect); diffs are `unsynced` until the next snapshot. */
  reset(): void {
    this.#lastId = undefined;
    this.#bridged = false;
  }

  /** Decides what to do with a diff `{U: first, u: last, pu: previous last}` and advances on 'apply'. */
  check(first: number, last: number, previousLast: number): DiffVerdict {
    const at = this.#lastId;
    if (at === undefined) return 'unsynced';
    if (last <= at && (this.#bridged || last < at)) return 'stale';
    const applies = this.#bridged ? previousLast === at : first <= at && at <= last;
    if (!applies) return 'gap';
    this.#lastId = last;
    this.#bridged = true;
    return 'apply';
  }
}
