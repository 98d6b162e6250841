import type { Address } from '../venue-api.js';

/**
 * Hyperliquid's replay protection (docs "Nonces and API wallets"): per signer the 100 highest nonces are
 * kept; a new nonce must be unused, larger than the smallest kept one, and within (now - 2 days,
 * now + 1 day). Nonces are per signing key, so a master and each of its API wallets count separately.
 */
export const NONCES_KEPT = 100;
export const NONCE_PAST_WINDOW_MS = 2 * 24 * 3600_000;
export const NONCE_FUTURE_WINDOW_MS = 24 * 3600_000;

export class NonceBook {
  /** Ascending, at most NONCES_KEPT entries, per signer. */
  readonly #highest = new Map<Address, number[]>();

  /** Why `nonce` may not be used by `signer` at time `nowMs`, or undefined when it may. Does not record it. */
  problem(signer: Address, nonce: number, nowMs: number): string | undefined {
    if (!Number.isSafeInteger(nonce) || nonce <= 0) return `Invalid nonce: ${nonce} is not a positive integer`;
    if (nonce <= nowMs - NONCE_PAST_WINDOW_MS) return `Invalid nonce: nonce too far in the past: ${nonce}, now ${nowMs}`;
    if (nonce >= nowMs + NONCE_FUTURE_WINDOW_MS) return `Invalid nonce: nonce too far in the future: ${nonce}, now ${nowMs}`;
    const kept = this.#highest.get(signer);
    if (kept === undefined) return undefined;
    if (binarySearch(kept, nonce) >= 0) return `Invalid nonce: duplicate nonce ${nonce}`;
    const smallest = kept[0];
    if (kept.length >= NONCES_KEPT && smallest !== undefined && nonce <= smallest) return `Invalid nonce: nonce too low: ${nonce} <= ${smallest}`;
    return undefined;
  }

  /** Records an accepted nonce, forgetting the smallest once more than NONCES_KEPT are held. */
  record(signer: Address, nonce: number): void {
    let kept = this.#highest.get(signer);
    if (kept === undefined) {
      kept = [];
      this.#highest.set(signer, kept);
    }
    const at = binarySearch(kept, nonce);
    if (at >= 0) return;
    kept.splice(-at - 1, 0, nonce);
    if (kept.length > NONCES_KEPT) kept.shift();
  }
}

/** Index of `value` in ascending `sorted`, or -(insertion point) - 1 when absent. */
function binarySearch(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]!;
    if (at === value) return mid;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}
