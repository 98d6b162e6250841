import { fixture } from './fixtures.js';
import { LoopbackServer, type FakeReply, type FakeRequest, type WsPeer } from './loopback-server.js';

interface FakeOrder {
  orderId: string;
  orderLinkId: string;
  side: string;
  price: string;
  qty: string;
  timeInForce: string;
  orderStatus: string;
}

const ok = (result: unknown): FakeReply => ({ body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: 1717000000000 } });

/**
 * Bybit v5 (linear) on loopback as ../refs/bybit-v5-ccxt.md documents: the retCode envelope, order
 * create/cancel/amend/realtime backed by a small store, account queries, and public and private
 * WebSockets that acknowledge subscribe, auth and ping as Bybit does.
 */
export class BybitFake {
  readonly server: LoopbackServer;
  readonly orders = new Map<string, FakeOrder>();
  readonly topics: string[] = [];
  #next = 1;

  private constructor(server: LoopbackServer) {
    this.server = server;
  }

  static async start(): Promise<BybitFake> {
    const fake = new BybitFake(await LoopbackServer.start());
    fake.#routes();
    fake.server.onWsMessage = (peer, message) => fake.#onWs(peer, message);
    return fake;
  }

  /** JSON bodies sent to an order route, in order. */
  orderBodies(path: string): Record<string, unknown>[] {
    return this.server.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  #routes(): void {
    const s = this.server;
    s.route('GET', '/v5/market/instruments-info', (r) => (r.query.get('status') === 'PreLaunch' ? ok({ category: 'linear', list: [], nextPageCursor: '' }) : { body: fixture('bybit', 'instruments-info') }));
    s.route('GET', '/v5/market/orderbook', () => ({ body: fixture('bybit', 'orderbook-rest') }));
    s.route('GET', '/v5/account/wallet-balance', () => ({ body: fixture('bybit', 'wallet-balance') }));
    s.route('GET', '/v5/position/list', () => ({ body: fixture('bybit', 'position-list') }));
    s.route('GET', '/v5/execution/list', () => ({ body: fixture('bybit', 'execution-list') }));
    s.route('POST', '/v5/order/create', (r) => this.#create(JSON.parse(r.body)));
    s.route('POST', '/v5/order/cancel', (r) => this.#withOrder(JSON.parse(r.body), (o) => { o.orderStatus = 'Cancelled'; }));
    s.route('POST', '/v5/order/amend', (r) => {
      const body = JSON.parse(r.body) as Record<string, string>;
      return this.#withOrder(body, (o) => { o.price = body.price ?? o.price; o.qty = body.qty ?? o.qty; });
    });
    s.route('GET', '/v5/order/realtime', (r) => this.#query(r));
  }

  #create(body: Record<string, string>): FakeReply {
    const order: FakeOrder = {
      orderId: `bb-${this.#next++}`, orderLinkId: body.orderLinkId ?? '', side: body.side ?? 'Buy', price: body.price ?? '0', qty: body.qty ?? '0',
      timeInForce: body.timeInForce ?? 'GTC', orderStatus: 'New',
    };
    this.orders.set(order.orderId, order);
    return ok({ orderId: order.orderId, orderLinkId: order.orderLinkId });
  }

  #find(params: { orderId?: string | null; orderLinkId?: string | null }): FakeOrder | undefined {
    return [...this.orders.values()].find((o) => (params.orderId != null && o.orderId === params.orderId) || (params.orderLinkId != null && o.orderLinkId === params.orderLinkId));
  }

  #withOrder(body: Record<string, string>, change: (o: FakeOrder) => void): FakeReply {
    const order = this.#find(body);
    if (order === undefined) return { body: fixture('bybit', 'errors').notFound.body };
    change(order);
    return ok({ orderId: order.orderId, orderLinkId: order.orderLinkId });
  }

  #query(r: FakeRequest): FakeReply {
    const byId = r.query.get('orderId');
    const byLink = r.query.get('orderLinkId');
    const list = byId !== null || byLink !== null ? [this.#find({ orderId: byId, orderLinkId: byLink })].filter((o) => o !== undefined) : [...this.orders.values()].filter((o) => o.orderStatus === 'New');
    return ok({ category: 'linear', nextPageCursor: '', list: list.map((o) => this.#wire(o!)) });
  }

  #wire(o: FakeOrder): Record<string, unknown> {
    return {
      orderId: o.orderId, orderLinkId: o.orderLinkId, symbol: 'BTCUSDT', side: o.side, orderType: 'Limit', price: o.price, qty: o.qty, timeInForce: o.timeInForce,
      orderStatus: o.orderStatus, avgPrice: '', leavesQty: o.qty, cumExecQty: '0', cumExecValue: '0', reduceOnly: false, tpslMode: '', createdTime: '1717000000000', updatedTime: '1717000000100',
    };
  }

  #onWs(peer: WsPeer, message: unknown): void {
    const m = message as { op?: string; req_id?: number; args?: string[] };
    const reqId = String(m.req_id ?? '');
    if (m.op === 'ping') peer.socket.send(JSON.stringify(peer.path.includes('private') ? { req_id: reqId, op: 'pong', args: ['1717000000000'], conn_id: 'c' } : { success: true, ret_msg: 'pong', conn_id: 'c', req_id: reqId, op: 'ping' }));
    if (m.op === 'auth') peer.socket.send(JSON.stringify({ success: true, ret_msg: '', op: 'auth', conn_id: 'c' }));
    if (m.op === 'subscribe') {
      this.topics.push(...(m.args ?? []));
      peer.socket.send(JSON.stringify({ success: true, ret_msg: peer.path.includes('private') ? '' : 'subscribe', conn_id: 'c', req_id: reqId, op: 'subscribe' }));
    }
  }
}
