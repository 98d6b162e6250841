import { describe, expect, it } from 'vitest';
import { ALICE, BOB, order, scriptedVenue } from './scripted.js';

/** Every refusal the venue can give an order, with the live venue's exact text (../refs hyperliquid 4.1). */
describe('order refusals', () => {
  it('refuses a price that breaks the 5-significant-figure / decimals rule', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '100000.5', size: '0.001' })])).toEqual([{ error: 'Price must be divisible by tick size. asset=0' }]);
    expect(venue.place(ALICE, [order({ assetId: 1, price: '3000.55', size: '0.01' })])).toEqual([{ error: 'Price must be divisible by tick size. asset=1' }]);
    expect(venue.place(ALICE, [order({ price: 'abc', size: '0.001' })])).toEqual([{ error: 'Price must be divisible by tick size. asset=0' }]);
    expect(venue.place(ALICE, [order({ price: '0', size: '0.001' })])).toEqual([{ error: 'Price must be divisible by tick size. asset=0' }]);
  });

  it('refuses sizes with too many decimals, zero, negative or unreadable', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '99000', size: '0.000001' })])).toEqual([{ error: 'Order has invalid size.' }]);
    expect(venue.place(ALICE, [order({ price: '99000', size: '-0.1' })])).toEqual([{ error: 'Order has invalid size.' }]);
    expect(venue.place(ALICE, [order({ price: '99000', size: 'x' })])).toEqual([{ error: 'Order has invalid size.' }]);
    expect(venue.place(ALICE, [order({ price: '99000', size: '0' })])).toEqual([{ error: 'Order has zero size.' }]);
  });

  it('refuses orders worth less than $10 and accepts exactly $10', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '99000', size: '0.0001' })])).toEqual([{ error: 'Order must have minimum value of $10. asset=0' }]);
    expect(venue.place(ALICE, [order({ assetId: 1, price: '2500', size: '0.004' })])).toEqual([{ resting: { oid: 1 } }]);
  });

  it('refuses an order the account cannot margin, and accepts a smaller one', () => {
    const { venue } = scriptedVenue({}, { balance: 1000 });
    // 1 BTC at 99,000 needs 4,950 USDC at the default 20x.
    expect(venue.place(ALICE, [order({ price: '99000', size: '1' })])).toEqual([{ error: 'Insufficient margin to place order. asset=0' }]);
    expect(venue.place(ALICE, [order({ price: '99000', size: '0.1' })])).toEqual([{ resting: { oid: 1 } }]);
    // The resting order's 495 USDC stays reserved: another 0.11 BTC (544.5) no longer fits.
    expect(venue.place(ALICE, [order({ price: '99000', size: '0.11' })])).toEqual([{ error: 'Insufficient margin to place order. asset=0' }]);
  });

  it('refuses a reduce-only order that would open or grow a position', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ isBuy: false, price: '100000', size: '0.1', reduceOnly: true, tif: 'Ioc' })])).toEqual([
      { error: 'Reduce only order would increase position. asset=0' },
    ]);
    venue.place(ALICE, [order({ price: '100010', size: '0.1', tif: 'Ioc' })]);
    expect(venue.place(ALICE, [order({ price: '100010', size: '0.1', reduceOnly: true })])).toEqual([{ error: 'Reduce only order would increase position. asset=0' }]);
  });

  it('refuses a post-only order that would cross, quoting the best bid and ask', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '100010', size: '0.1', tif: 'Alo' })])).toEqual([
      { error: 'Post only order would have immediately matched, bbo was 100000@100010. asset=0' },
    ]);
    expect(venue.place(ALICE, [order({ isBuy: false, assetId: 1, price: '2999', size: '0.1', tif: 'Alo' })])).toEqual([
      { error: 'Post only order would have immediately matched, bbo was 3000@3001. asset=1' },
    ]);
    expect(venue.place(ALICE, [order({ price: '100005', size: '0.1', tif: 'Alo' })])).toEqual([{ resting: { oid: 1 } }]);
  });

  it('refuses an IOC that meets nothing, and assigns no order id to it', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '100000', size: '0.1', tif: 'Ioc' })])).toEqual([
      { error: 'Order could not immediately match against any resting orders. asset=0' },
    ]);
    expect(venue.historicalOrders(ALICE)).toEqual([]);
  });

  it('refuses a price more than 80% away from the mark', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ price: '190000', size: '0.001' })])).toEqual([
      { error: 'Order price cannot be more than 80% away from the reference price. asset=0' },
    ]);
  });

  it('refuses an unknown asset and a cloid the user already used', () => {
    const { venue } = scriptedVenue();
    expect(venue.place(ALICE, [order({ assetId: 7, price: '100', size: '1' })])).toEqual([{ error: 'Unknown asset. asset=7' }]);
    const cloid = '0x1234567890abcdef1234567890abcdef';
    expect(venue.place(ALICE, [order({ price: '99000', size: '0.001', cloid })])).toEqual([{ resting: { oid: 1, cloid } }]);
    expect(venue.place(ALICE, [order({ price: '99001', size: '0.001', cloid })])).toEqual([{ error: 'Duplicate cloid. asset=0' }]);
    // Another user may use the same cloid.
    expect(venue.place(BOB, [order({ price: '99001', size: '0.001', cloid })])).toEqual([{ resting: { oid: 2, cloid } }]);
  });

  it('answers each order of a batch on its own, in order', () => {
    const { venue } = scriptedVenue();
    const results = venue.place(ALICE, [order({ price: '99000', size: '0.001' }), order({ price: '99000', size: '0' }), order({ price: '99001', size: '0.001' })]);
    expect(results).toEqual([{ resting: { oid: 1 } }, { error: 'Order has zero size.' }, { resting: { oid: 2 } }]);
  });

  it('refuses signers outside the allow-list', () => {
    const { venue } = scriptedVenue({}, { accounts: [ALICE.toUpperCase().replace('0X', '0x')] });
    expect(venue.admits(ALICE)).toBe(true);
    expect(venue.admits(BOB)).toBe(false);
    expect(venue.place(BOB, [order({ price: '99000', size: '0.001' })])).toEqual([{ error: `User or API Wallet ${BOB} does not exist.` }]);
    expect(venue.clearinghouseState(BOB).marginSummary.accountValue).toBe('0.0');
    expect(venue.clearinghouseState(ALICE).marginSummary.accountValue).toBe('100000.0');
  });
});

describe('cancels of orders that are not open', () => {
  const unknown = { error: 'Order was never placed, already canceled, or filled. asset=0' };

  it('by oid: never placed, already cancelled, filled, or another user’s', () => {
    const { venue } = scriptedVenue();
    expect(venue.cancel(ALICE, [{ assetId: 0, oid: 999 }])).toEqual([unknown]);
    venue.place(ALICE, [order({ price: '99000', size: '0.001' })]);
    expect(venue.cancel(BOB, [{ assetId: 0, oid: 1 }])).toEqual([unknown]);
    expect(venue.cancel(ALICE, [{ assetId: 1, oid: 1 }])).toEqual([{ error: 'Order was never placed, already canceled, or filled. asset=1' }]);
    expect(venue.cancel(ALICE, [{ assetId: 0, oid: 1 }, { assetId: 0, oid: 1 }])).toEqual(['success', unknown]);
    expect(venue.place(ALICE, [order({ price: '100010', size: '0.1' })])).toEqual([{ filled: { totalSz: '0.1', avgPx: '100010.0', oid: 2 } }]);
    expect(venue.cancel(ALICE, [{ assetId: 0, oid: 2 }])).toEqual([unknown]);
  });

  it('by cloid', () => {
    const { venue } = scriptedVenue();
    const cloid = '0xabcdefabcdefabcdefabcdefabcdef01';
    expect(venue.cancelByCloid(ALICE, [{ assetId: 0, cloid }])).toEqual([unknown]);
    venue.place(ALICE, [order({ price: '99000', size: '0.001', cloid })]);
    expect(venue.cancelByCloid(ALICE, [{ assetId: 0, cloid }])).toEqual(['success']);
    expect(venue.orderStatus(ALICE, cloid)?.status).toBe('canceled');
    expect(venue.cancelByCloid(ALICE, [{ assetId: 0, cloid }])).toEqual([unknown]);
  });

  it('modify of an order that is not open answers the same text', () => {
    const { venue } = scriptedVenue();
    expect(venue.modify(ALICE, [{ oid: 5, order: order({ price: '99000', size: '0.001' }) }])).toEqual([unknown]);
  });
});
