import { describe, expect, it } from 'vitest';
import { parseMaxFeeRate, AccountDirectory } from '../../../src/sim/hyperliquid/account-directory.js';
import { NONCES_KEPT, NonceBook } from '../../../src/sim/hyperliquid/nonces.js';

const NOW = 1_795_492_929_000;
const SIGNER = '0x' + '11'.repeat(20);

describe('NonceBook', () => {
  it('accepts out-of-order nonces while fewer than 100 are kept, never the same one twice', () => {
    const book = new NonceBook();
    for (const n of [NOW + 5, NOW + 1, NOW + 3]) {
      expect(book.problem(SIGNER, n, NOW)).toBeUndefined();
      book.record(SIGNER, n);
    }
    expect(book.problem(SIGNER, NOW + 1, NOW)).toBe(`Invalid nonce: duplicate nonce ${NOW + 1}`);
    expect(book.problem(SIGNER, NOW + 2, NOW)).toBeUndefined();
  });

  it('once 100 are kept, refuses anything not above the smallest of them', () => {
    const book = new NonceBook();
    for (let i = 1; i <= NONCES_KEPT + 10; i++) book.record(SIGNER, NOW + i * 10);
    // Kept: the 100 highest, NOW+110 .. NOW+1100; the smallest kept is NOW+110.
    expect(book.problem(SIGNER, NOW + 110, NOW)).toMatch(/duplicate nonce/);
    expect(book.problem(SIGNER, NOW + 105, NOW)).toMatch(/nonce too low/);
    expect(book.problem(SIGNER, NOW + 115, NOW)).toBeUndefined();
    expect(book.problem('0x' + '22'.repeat(20), NOW + 105, NOW)).toBeUndefined();
  });

  it('bounds nonces to (now - 2 days, now + 1 day)', () => {
    const book = new NonceBook();
    expect(book.problem(SIGNER, NOW - 2 * 86_400_000, NOW)).toMatch(/too far in the past/);
    expect(book.problem(SIGNER, NOW - 2 * 86_400_000 + 1, NOW)).toBeUndefined();
    expect(book.problem(SIGNER, NOW + 86_400_000, NOW)).toMatch(/too far in the future/);
    expect(book.problem(SIGNER, NOW + 86_400_000 - 1, NOW)).toBeUndefined();
  });
});

describe('AccountDirectory', () => {
  it('replaces the unnamed agent, keeps named ones, and expires valid_until agents', () => {
    const directory = new AccountDirectory();
    const master = '0x' + 'aa'.repeat(20);
    directory.approveAgent(master, '0x' + '01'.repeat(20), '');
    directory.approveAgent(master, '0x' + '02'.repeat(20), 'bot valid_until 1795492930000');
    directory.approveAgent(master, '0x' + '03'.repeat(20), '');
    expect(directory.agentsOf(master).map((a) => a.address)).toEqual(['0x' + '02'.repeat(20), '0x' + '03'.repeat(20)]);
    expect(directory.masterOf('0x' + '01'.repeat(20), NOW)).toBeUndefined();
    expect(directory.masterOf('0x' + '02'.repeat(20), 1_795_492_929_999)).toBe(master);
    expect(directory.masterOf('0x' + '02'.repeat(20), 1_795_492_930_001)).toBeUndefined();
  });

  it('reads builder fee rates as tenths of a basis point', () => {
    expect(parseMaxFeeRate('0.01%')).toBe(10);
    expect(parseMaxFeeRate('0.1%')).toBe(100);
    expect(parseMaxFeeRate('0%')).toBe(0);
    expect(parseMaxFeeRate('0.0001%')).toBeUndefined();
    expect(parseMaxFeeRate('1')).toBeUndefined();
  });
});
