import { fixture } from './fixtures.js';
import { LoopbackServer, type FakeReply, type FakeRequest, type WsPeer } from './loopback-server.js';

interface FakeOrder {
  orderId: number;
  clientOrderId: string;
  side: string;
  price: string;
  origQty: string;
  timeInForce: string;
  reduceOnly: boolean;
  status: string;
}

/**
 * Binance USDⓈ-M on loopback, answering as ../refs/binance-usdm-ccxt.md documents: exchangeInfo, depth,
 * signed order routes backed by a small order store, account and position queries, listen keys, and a
 * WebSocket that acknowledges SUBSCRIBE so ccxt.pro fetches its depth snapshot.
 */
export class BinanceFake {
  readonly server: LoopbackServer;
  readonly orders = new Map<number, FakeOrder>();
  readonly subscriptions: string[] = [];
  #nextOrderId = 8389766000;

  private constructor(server: LoopbackServer) {
    this.server = server;
  }

  static async start(): Promise<BinanceFake> {
    const fake = new BinanceFake(await LoopbackServer.start());
    fake.#routes();
    fake.server.onWsMessage = (peer, message) => fake.#onWs(peer, message);
    return fake;
  }

  get restUrl(): string {
    return this.server.httpUrl;
  }

  get wsUrl(): string {
    return `${this.server.wsUrl}/ws`;
  }

  /** Requests that reached the order endpoint (any method). */
  orderRequests(): FakeRequest[] {
    return this.server.requests.filter((r) => r.path === '/fapi/v1/order');
  }

  close(): Promise<void> {
    return this.server.close();
  }

  #routes(): void {
    const s = this.server;
    s.route('GET', '/fapi/v1/exchangeInfo', () => ({ body: fixture('binance', 'exchange-info') }));
    s.route('GET', '/fapi/v1/depth', () => ({ body: fixture('binance', 'depth-snapshot') }));
    s.route('GET', '/fapi/v1/premiumIndex', () => ({ body: { symbol: 'BTCUSDT', markPrice: '30010.5', indexPrice: '30009.0', lastFundingRate: '0.00010000', nextFundingTime: 1700006400000, time: 1700000000000 } }));
    s.route('GET', '/fapi/v3/account', () => ({ body: fixture('binance', 'account') }));
    s.route('GET', '/fapi/v1/leverageBracket', () => ({ body: fixture('binance', 'leverage-bracket') }));
    s.route('GET', '/fapi/v3/positionRisk', () => ({ body: fixture('binance', 'position-risk') }));
    s.route('GET', '/fapi/v1/userTrades', () => ({ body: fixture('binance', 'user-trades') }));
    s.route('POST', '/fapi/v1/listenKey', () => ({ body: { listenKey: 'fake-listen-key' } }));
    s.route('PUT', '/fapi/v1/listenKey', () => ({ body: {} }));
    s.route('POST', '/fapi/v1/order', (r) => this.#create(new URLSearchParams(r.body)));
    s.route('PUT', '/fapi/v1/order', (r) => this.#amend(new URLSearchParams(r.body)));
    s.route('DELETE', '/fapi/v1/order', (r) => this.#withOrder(r.query, -2011, 'Unknown order sent.', (o) => { o.status = 'CANCELED'; }));
    s.route('GET', '/fapi/v1/order', (r) => this.#withOrder(r.query, -2013, 'Order does not exist.', () => undefined));
    s.route('GET', '/fapi/v1/openOrders', () => ({ body: [...this.orders.values()].filter((o) => o.status === 'NEW').map((o) => this.#wire(o)) }));
  }

  #create(form: URLSearchParams): FakeReply {
    const order: FakeOrder = {
      orderId: this.#nextOrderId++,
      clientOrderId: form.get('newClientOrderId') ?? `x-${this.#nextOrderId}`,
      side: form.get('side') ?? 'BUY',
      price: form.get('price') ?? '0',
      origQty: form.get('quantity') ?? '0',
      timeInForce: form.get('timeInForce') ?? 'GTC',
      reduceOnly: form.get('reduceOnly') === 'true',
      status: 'NEW',
    };
    this.orders.set(order.orderId, order);
    return { body: this.#wire(order) };
  }

  #amend(form: URLSearchParams): FakeReply {
    return this.#withOrder(form, -2013, 'Order does not exist.', (o) => {
      o.price = form.get('price') ?? o.price;
      o.origQty = form.get('quantity') ?? o.origQty;
    });
  }

  #withOrder(params: URLSearchParams, code: number, msg: string, change: (o: FakeOrder) => void): FakeReply {
    const byId = params.get('orderId');
    const byClient = params.get('origClientOrderId');
    const order = [...this.orders.values()].find((o) => (byId !== null && String(o.orderId) === byId) || (byClient !== null && o.clientOrderId === byClient));
    if (order === undefined) return { status: 400, body: { code, msg } };
    change(order);
    return { body: this.#wire(order) };
  }

  #wire(o: FakeOrder): Record<string, unknown> {
    return {
      ...fixture('binance', 'order-new'), orderId: o.orderId, clientOrderId: o.clientOrderId, side: o.side, price: o.price, origQty: o.origQty,
      timeInForce: o.timeInForce, reduceOnly: o.reduceOnly, status: o.status, time: 1700000000000, updateTime: 1700000000000,
    };
  }

  #onWs(peer: WsPeer, message: unknown): void {
    const m = message as { method?: string; params?: string[]; id?: number };
    if (m.method === 'SUBSCRIBE' || m.method === 'UNSUBSCRIBE') {
      if (m.method === 'SUBSCRIBE') this.subscriptions.push(...(m.params ?? []));
      peer.socket.send(JSON.stringify({ result: null, id: m.id }));
    }
  }
}
