import { describe, expect, it } from 'vitest';
import { ALICE, BOB, order, scriptedVenue } from './scripted.js';

describe('venue events', () => {
  it('one order that trades tells the server everything, once, after the state is complete', () => {
    const { venue } = scriptedVenue();
    venue.place(ALICE, [order({ isBuy: false, price: '100008', size: '0.1' })]);
    const log: string[] = [];
    venue.on('trades', (t) => log.push(`trades ${t.map((x) => `${x.side}:${x.px}:${x.sz}:${x.users.join('/')}`).join(',')}`));
    venue.on('book', (b) => log.push(`book ${b.coin} ${b.levels[1][0]?.px}`));
    venue.on('candle', (c) => c.i === '1m' && log.push(`candle ${c.s} ${c.c}`));
    venue.on('orderUpdates', (user, updates) => log.push(`orders ${user} ${updates.map((u) => `${u.order.oid}:${u.status}:${u.order.sz}`).join(',')}`));
    venue.on('fills', (user, fills) => {
      // State is complete when listeners run: the position already includes this fill.
      const szi = venue.clearinghouseState(user).assetPositions[0]?.position.szi;
      log.push(`fills ${user} ${fills.map((f) => `${f.oid}:${f.sz}`).join(',')} szi=${szi}`);
    });
    venue.on('account', (user) => log.push(`account ${user}`));
    venue.place(BOB, [order({ price: '100010', size: '0.3', tif: 'Ioc' })]);
    expect(log).toEqual([
      `trades B:100008.0:0.1:${BOB}/${ALICE},B:100010.0:0.2:${BOB}/0x0000000000000000000000000000000000000000`,
      'book BTC 100010.0',
      'candle BTC 100010.0',
      `orders ${ALICE} 1:filled:0.0`,
      `orders ${BOB} 2:filled:0.0`,
      `fills ${BOB} 2:0.1,2:0.2 szi=0.3`,
      `fills ${ALICE} 1:0.1 szi=-0.1`,
      `account ${BOB}`,
      `account ${ALICE}`,
    ]);
  });

  it('keeps telling the other listeners when one throws, then reports the error', () => {
    const { venue } = scriptedVenue();
    const heard: string[] = [];
    venue.on('orderUpdates', () => {
      throw new Error('listener broke');
    });
    venue.on('orderUpdates', (user) => heard.push(user));
    venue.on('account', (user) => heard.push(`account ${user}`));
    expect(() => venue.place(ALICE, [order({ price: '99000', size: '0.001' })])).toThrow('listener broke');
    expect(heard).toEqual([ALICE, `account ${ALICE}`]);
    expect(venue.openOrders(ALICE)).toHaveLength(1);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const { venue } = scriptedVenue();
    let calls = 0;
    const off = venue.on('account', () => calls++);
    venue.place(ALICE, [order({ price: '99000', size: '0.001' })]);
    off();
    venue.place(ALICE, [order({ price: '99000', size: '0.001' })]);
    expect(calls).toBe(1);
  });

  it('announces a leverage change and a cancel as account changes', () => {
    const { venue } = scriptedVenue();
    const accounts: string[] = [];
    venue.on('account', (user) => accounts.push(user));
    venue.updateLeverage(ALICE, 0, true, 5);
    venue.place(BOB, [order({ price: '99000', size: '0.001' })]);
    venue.cancel(BOB, [{ assetId: 0, oid: 1 }]);
    expect(accounts).toEqual([ALICE, BOB, BOB]);
  });
});
