/**
 * Remembers the venue trade ids of fills already published, so a fill that arrives twice (a duplicated
 * stream message, the stream and a REST poll both reporting it, a resubscribe snapshot) is published
 * once. Bounded: the oldest ids are forgotten first, long after any duplicate of them could arrive.
 */
export class FillDeduplicator {
  readonly #capacity: number;
  readonly #seen = new Set<string>();
  #duplicates = 0;

  constructor(capacity = 50_000) {
    this.#capacity = capacity;
  }

  get duplicates(): number {
    return this.#duplicates;
  }

  /** True the first time a trade id is offered; false (and counted) for every repeat. */
  firstSighting(venueTradeId: string): boolean {
    if (this.#seen.has(venueTradeId)) {
      this.#duplicates++;
      return false;
    }
    this.#seen.add(venueTradeId);
    if (this.#seen.size > this.#capacity) {
      // Sets iterate in insertion order: the first entry is the oldest.
      const oldest = this.#seen.values().next().value as string;
      this.#seen.delete(oldest);
    }
    return true;
  }
}
