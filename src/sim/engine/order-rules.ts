import { Decimal, dec, str } from '../../core/decimal.js';
import { hyperliquidPriceProblem, hyperliquidSizeProblem } from '../../core/rounding.js';
import type { Cloid, OrderRequest, SimMarket } from '../venue-api.js';
import type { MarginAccount } from './accounts.js';
import type { MarketBook } from './book.js';
import { canAfford, type MarginContext, type OrderExposure } from './margin.js';

/**
 * The venue's order checks and their exact texts. Texts marked [live] are Hyperliquid's (../refs
 * hyperliquid 4.1); texts marked [sim] are the simulator's own where the live wording is not on record.
 */
export const REJECT = {
  /** [live] */
  tickSize: (asset: number) => `Price must be divisible by tick size. asset=${asset}`,
  /** [live] */
  invalidSize: () => 'Order has invalid size.',
  /** [live] */
  zeroSize: () => 'Order has zero size.',
  /** [live] */
  minValue: (asset: number) => `Order must have minimum value of $10. asset=${asset}`,
  /** [live] */
  margin: (asset: number) => `Insufficient margin to place order. asset=${asset}`,
  /** [live] */
  reduceOnly: (asset: number) => `Reduce only order would increase position. asset=${asset}`,
  /** [live] `bbo` is the visible best bid and ask at the time. */
  postOnly: (asset: number, bid: string, ask: string) => `Post only order would have immediately matched, bbo was ${bid}@${ask}. asset=${asset}`,
  /** [live] */
  iocNoMatch: (asset: number) => `Order could not immediately match against any resting orders. asset=${asset}`,
  /** [live] cancel, cancelByCloid and modify of an order that is not open. */
  unknownOrder: (asset: number) => `Order was never placed, already canceled, or filled. asset=${asset}`,
  /** [live] */
  priceBand: (asset: number) => `Order price cannot be more than 80% away from the reference price. asset=${asset}`,
  /** [sim] */
  duplicateCloid: (asset: number) => `Duplicate cloid. asset=${asset}`,
  /** [sim] */
  unknownAsset: (asset: number) => `Unknown asset. asset=${asset}`,
  /** [sim] */
  isolatedMargin: (asset: number) => `Isolated margin is not simulated; use cross. asset=${asset}`,
  /** [sim] */
  invalidLeverage: (asset: number, max: number) => `Leverage must be a whole number from 1 to ${max}. asset=${asset}`,
  /** [sim] */
  leverageMargin: (asset: number) => `Insufficient margin for this leverage. asset=${asset}`,
  /** [sim] */
  noReferencePrice: (asset: number) => `No reference price yet for this market. asset=${asset}`,
  /** [live] prefix; the server answers this for signers the venue does not admit. */
  unknownUser: (user: string) => `User or API Wallet ${user} does not exist.`,
} as const;

/** The minimum order value in USDC. */
export const MIN_ORDER_VALUE = new Decimal(10);
/** Hyperliquid refuses limit prices more than 80% away from the reference (mark) price. */
export const PRICE_BAND = new Decimal('0.8');

export interface ParsedOrder {
  readonly px: Decimal;
  readonly sz: Decimal;
}

/** Price, size and value rules that need nothing but the request: an error text, or the parsed numbers. */
export function checkShape(req: OrderRequest, market: SimMarket): { error: string } | ParsedOrder {
  const asset = req.assetId;
  const px = parse(req.price);
  if (px === undefined || hyperliquidPriceProblem(px, market.szDecimals, market.kind) !== undefined) return { error: REJECT.tickSize(asset) };
  const sz = parse(req.size);
  if (sz === undefined) return { error: REJECT.invalidSize() };
  if (sz.isZero()) return { error: REJECT.zeroSize() };
  if (hyperliquidSizeProblem(sz, market.szDecimals) !== undefined) return { error: REJECT.invalidSize() };
  if (px.times(sz).lt(MIN_ORDER_VALUE)) return { error: REJECT.minValue(asset) };
  return { px, sz };
}

/** The 80% band around the reference price. */
export function outsidePriceBand(px: Decimal, reference: Decimal): boolean {
  return px.minus(reference).abs().gt(reference.times(PRICE_BAND));
}

/** A reduce-only order must face an open position: a buy needs a short, a sell needs a long. */
export function increasesPosition(isBuy: boolean, position: Decimal): boolean {
  return isBuy ? position.gte(0) : position.lte(0);
}

/** The text of a post-only rejection, from the visible best bid and ask, printed like the live text ("64994@65007"). */
export function postOnlyError(asset: number, bid: Decimal | undefined, ask: Decimal | undefined): string {
  return REJECT.postOnly(asset, bid === undefined ? '0' : str(bid), ask === undefined ? '0' : str(ask));
}

export interface AdmissionContext {
  readonly market: SimMarket & { readonly coin: string };
  readonly account: MarginAccount;
  readonly book: MarketBook;
  /** Mark price, or undefined before the market has any data. */
  readonly reference: Decimal | undefined;
  readonly cloidTaken: (cloid: Cloid) => boolean;
  /** The user's other open orders (a modified order's predecessor excluded). */
  readonly otherOrders: readonly OrderExposure[];
  readonly margin: MarginContext;
  /** A modify without a cloid keeps its predecessor's. */
  readonly inheritedCloid?: Cloid;
}

export type Admission = { readonly error: string } | (ParsedOrder & { readonly cloid: Cloid | undefined; readonly position: Decimal });

/**
 * Every check a new (or modified) order passes before it may touch the book, in the venue's order: price and
 * size rules, $10 minimum, cloid, price band, reduce-only, post-only, margin, and IOC with nothing to meet.
 */
export function admitOrder(req: OrderRequest, ctx: AdmissionContext): Admission {
  const asset = req.assetId;
  const shape = checkShape(req, ctx.market);
  if ('error' in shape) return shape;
  const { px, sz } = shape;
  const cloid = req.cloid ?? ctx.inheritedCloid;
  if (cloid !== undefined && ctx.cloidTaken(cloid)) return { error: REJECT.duplicateCloid(asset) };
  if (ctx.reference === undefined) return { error: REJECT.noReferencePrice(asset) };
  if (outsidePriceBand(px, ctx.reference)) return { error: REJECT.priceBand(asset) };
  const position = ctx.account.size(ctx.market.coin);
  if (req.reduceOnly && increasesPosition(req.isBuy, position)) return { error: REJECT.reduceOnly(asset) };
  const bid = ctx.book.best(true);
  const ask = ctx.book.best(false);
  const crossing = req.isBuy ? ask !== undefined && ask.lte(px) : bid !== undefined && bid.gte(px);
  if (req.tif === 'Alo' && crossing) return { error: postOnlyError(asset, bid, ask) };
  const exposure = { coin: ctx.market.coin, isBuy: req.isBuy, px, size: sz, reduceOnly: req.reduceOnly };
  if (!req.reduceOnly && !canAfford(ctx.account, ctx.otherOrders, exposure, ctx.margin)) return { error: REJECT.margin(asset) };
  if (req.tif === 'Ioc' && !crossing) return { error: REJECT.iocNoMatch(asset) };
  return { px, sz, cloid, position };
}

function parse(text: string): Decimal | undefined {
  try {
    return dec(text);
  } catch {
    return undefined;
  }
}
