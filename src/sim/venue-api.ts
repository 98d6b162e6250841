/**
 * The simulated venue as its protocol server sees it. The shapes are Hyperliquid's own (field names,
 * string decimals, numeric oids, "B"/"A" sides) because the one server in front of it speaks
 * Hyperliquid's API; the matching engine, accounts and replay behind it are venue-neutral code.
 *
 * Owners: src/sim/engine (implements SimVenue), src/sim/hyperliquid (the HTTP/WS server using it).
 */

/** Lower-case 0x-prefixed 20-byte hex address: the account is the signer. */
export type Address = string;
/** 0x + 32 hex client order id (Hyperliquid cloid). */
export type Cloid = string;

export interface SimMarket {
  /** Wire name: "BTC" for perps, "PURR/USDC" or "@1" for spot. */
  readonly coin: string;
  /** Order asset id: perp = universe index, spot = 10000 + spot index. */
  readonly assetId: number;
  readonly kind: 'perp' | 'spot';
  readonly szDecimals: number;
  readonly maxLeverage: number;
}

export type Tif = 'Gtc' | 'Ioc' | 'Alo';

export interface OrderRequest {
  readonly assetId: number;
  readonly isBuy: boolean;
  /** Decimal strings exactly as received; the venue validates them (5 sig figs, szDecimals, $10 minimum). */
  readonly price: string;
  readonly size: string;
  readonly reduceOnly: boolean;
  readonly tif: Tif;
  readonly cloid?: Cloid;
}

/** One per order, in request order, with the live venue's texts (../refs hyperliquid §4.1). */
export type PlaceResult =
  | { readonly resting: { readonly oid: number; readonly cloid?: Cloid } }
  | { readonly filled: { readonly totalSz: string; readonly avgPx: string; readonly oid: number; readonly cloid?: Cloid } }
  | { readonly error: string };

export type CancelResult = 'success' | { readonly error: string };

export type OrderStatusName = 'open' | 'filled' | 'canceled' | 'rejected' | 'marginCanceled' | 'reduceOnlyCanceled' | 'triggered';

/** Hyperliquid's "frontend order" shape. `sz` is the remaining size; `origSz` the original. */
export interface SimOrder {
  readonly coin: string;
  readonly side: 'B' | 'A';
  readonly limitPx: string;
  readonly sz: string;
  readonly oid: number;
  readonly timestamp: number;
  readonly triggerCondition: 'N/A';
  readonly isTrigger: false;
  readonly triggerPx: '0.0';
  readonly children: [];
  readonly isPositionTpsl: false;
  readonly reduceOnly: boolean;
  readonly orderType: 'Limit';
  readonly origSz: string;
  readonly tif: Tif;
  readonly cloid: Cloid | null;
}

export interface OrderUpdate {
  readonly order: SimOrder;
  readonly status: OrderStatusName;
  readonly statusTimestamp: number;
}

/** Hyperliquid's user fill shape (REST userFills and WS userFills). */
export interface SimFill {
  readonly coin: string;
  readonly px: string;
  readonly sz: string;
  readonly side: 'B' | 'A';
  readonly time: number;
  readonly startPosition: string;
  readonly dir: string;
  readonly closedPnl: string;
  readonly hash: string;
  readonly oid: number;
  readonly crossed: boolean;
  readonly fee: string;
  readonly tid: number;
  readonly feeToken: string;
  readonly cloid: Cloid | null;
}

export interface BookLevelWire {
  readonly px: string;
  readonly sz: string;
  readonly n: number;
}

export interface L2Book {
  readonly coin: string;
  readonly time: number;
  readonly levels: readonly [readonly BookLevelWire[], readonly BookLevelWire[]];
}

export interface PublicTrade {
  readonly coin: string;
  readonly side: 'B' | 'A';
  readonly px: string;
  readonly sz: string;
  readonly time: number;
  readonly hash: string;
  readonly tid: number;
  readonly users: readonly [Address, Address];
}

export interface Candle {
  readonly t: number;
  readonly T: number;
  readonly s: string;
  readonly i: string;
  readonly o: string;
  readonly c: string;
  readonly h: string;
  readonly l: string;
  readonly v: string;
  readonly n: number;
}

/** Hyperliquid `clearinghouseState` (perp account), every field the live venue sends. */
export interface ClearinghouseState {
  readonly marginSummary: MarginSummary;
  readonly crossMarginSummary: MarginSummary;
  readonly crossMaintenanceMarginUsed: string;
  readonly withdrawable: string;
  readonly assetPositions: readonly AssetPosition[];
  readonly time: number;
}

export interface MarginSummary {
  readonly accountValue: string;
  readonly totalNtlPos: string;
  readonly totalRawUsd: string;
  readonly totalMarginUsed: string;
}

export interface AssetPosition {
  readonly type: 'oneWay';
  readonly position: {
    readonly coin: string;
    readonly szi: string;
    readonly leverage: { readonly type: 'cross'; readonly value: number } | { readonly type: 'isolated'; readonly value: number; readonly rawUsd: string };
    readonly entryPx: string;
    readonly positionValue: string;
    readonly unrealizedPnl: string;
    readonly returnOnEquity: string;
    readonly liquidationPx: string | null;
    readonly marginUsed: string;
    readonly maxLeverage: number;
    readonly cumFunding: { readonly allTime: string; readonly sinceOpen: string; readonly sinceChange: string };
  };
}

export interface SpotBalance {
  readonly coin: string;
  readonly token: number;
  readonly hold: string;
  readonly total: string;
  readonly entryNtl: string;
}

/** Per-market context (metaAndAssetCtxs[1][i]). */
export interface PerpAssetCtx {
  readonly funding: string;
  readonly openInterest: string;
  readonly prevDayPx: string;
  readonly dayNtlVlm: string;
  readonly premium: string | null;
  readonly oraclePx: string;
  readonly markPx: string;
  readonly midPx: string | null;
  readonly impactPxs: readonly [string, string] | null;
  readonly dayBaseVlm: string;
}

/** What the venue tells its server, so the server can push WebSocket channels. */
export interface SimVenueEvents {
  book: (book: L2Book) => void;
  trades: (trades: readonly PublicTrade[]) => void;
  candle: (candle: Candle) => void;
  orderUpdates: (user: Address, updates: readonly OrderUpdate[]) => void;
  fills: (user: Address, fills: readonly SimFill[]) => void;
  /** The account's margin, positions or balances changed (fill, cancel, funding). */
  account: (user: Address) => void;
}

export interface SimVenue {
  readonly markets: readonly SimMarket[];
  /** Venue time in ms (simulated or live clock). */
  now(): number;

  /** True when the address may trade: any address by default (funded on first sight), or only a configured list. */
  admits(user: Address): boolean;

  place(user: Address, orders: readonly OrderRequest[]): PlaceResult[];
  cancel(user: Address, cancels: readonly { assetId: number; oid: number }[]): CancelResult[];
  cancelByCloid(user: Address, cancels: readonly { assetId: number; cloid: Cloid }[]): CancelResult[];
  /** batchModify: the order keeps its place only if price and side are unchanged; a new oid is assigned. */
  modify(user: Address, modifies: readonly { oid: number | Cloid; order: OrderRequest }[]): PlaceResult[];
  updateLeverage(user: Address, assetId: number, isCross: boolean, leverage: number): { error: string } | undefined;

  clearinghouseState(user: Address): ClearinghouseState;
  spotBalances(user: Address): SpotBalance[];
  openOrders(user: Address): SimOrder[];
  /** By oid or cloid; undefined when the venue never saw it. */
  orderStatus(user: Address, id: number | Cloid): OrderUpdate | undefined;
  historicalOrders(user: Address): OrderUpdate[];
  userFills(user: Address, startTime?: number, endTime?: number): SimFill[];

  l2Book(coin: string): L2Book | undefined;
  candles(coin: string, interval: string, startTime: number, endTime: number): Candle[];
  perpContexts(): PerpAssetCtx[];
  mids(): Record<string, string>;

  on<E extends keyof SimVenueEvents>(event: E, listener: SimVenueEvents[E]): () => void;
}
