import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { mapCcxtError } from '../../../../src/main/exchange/ccxt/error-map.js';
import { hyperliquidCloid } from '../../../../src/main/exchange/hyperliquid/cloid.js';

describe('ccxt exceptions to our error codes', () => {
  const cases: [Error, string, string][] = [
    [new ccxt.RateLimitExceeded('bybit {"retCode":10006}'), 'fetchOrder', 'RATE_LIMITED'],
    [new ccxt.DDoSProtection('binanceusdm 418'), 'submit', 'RATE_LIMITED'],
    [new ccxt.RequestTimeout('timed out'), 'submit', 'TIMEOUT'],
    [new ccxt.ExchangeNotAvailable('502'), 'fetchBook', 'VENUE_UNAVAILABLE'],
    [new ccxt.NetworkError('ECONNREFUSED'), 'fetchBook', 'VENUE_UNAVAILABLE'],
    [new ccxt.InvalidNonce('-1021 outside recvWindow'), 'submit', 'VENUE_UNAVAILABLE'],
    [new ccxt.OrderNotFound('-2011'), 'cancel', 'ORDER_NOT_FOUND'],
    [new ccxt.InvalidOrder('Order must have minimum value of $10'), 'submit', 'ORDER_REJECTED'],
    [new ccxt.InsufficientFunds('Insufficient margin to place order.'), 'submit', 'ORDER_REJECTED'],
    [new ccxt.ExchangeError('unknown code 30208'), 'submit', 'ORDER_REJECTED'],
    [new ccxt.ExchangeError('unknown code 30208'), 'fetchBalances', 'VENUE_UNAVAILABLE'],
    [new ccxt.BadSymbol('no such market'), 'fetchBook', 'VALIDATION_FAILED'],
    [new ccxt.ArgumentsRequired('symbol required'), 'fetchFills', 'INVARIANT_BROKEN'],
    [new TypeError('fetch failed'), 'fetchBook', 'VENUE_UNAVAILABLE'],
  ];

  it.each(cases)('%s during %s -> %s', (error, operation, code) => {
    const mapped = mapCcxtError('binance', error, operation as never);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain(error.message);
  });
});

describe('Hyperliquid cloid', () => {
  it('is 0x plus 32 hex digits, the same for the same client order id and different for another', () => {
    const cloid = hyperliquidCloid('osp-1');
    expect(cloid).toMatch(/^0x[0-9a-f]{32}$/);
    expect(hyperliquidCloid('osp-1')).toBe(cloid);
    expect(hyperliquidCloid('osp-2')).not.toBe(cloid);
  });
});
