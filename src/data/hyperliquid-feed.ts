import { readFeedLines } from './feed-lines.js';
import { RecordCheck } from './record-check.js';

export interface HyperliquidLevel {
  px: string;
  sz: string;
  n: number;
}

export interface HyperliquidTrade {
  coin: string;
  /** "B": the aggressor bought; "A": the aggressor sold. */
  side: 'B' | 'A';
  px: string;
  sz: string;
  time: number;
  tid: number;
  hash: string;
  /** [buyer, seller]. */
  users: [string, string];
}

export type HyperliquidFeedMessage =
  | { channel: 'l2Book'; data: { coin: string; time: number; levels: [HyperliquidLevel[], HyperliquidLevel[]] } }
  | { channel: 'trades'; data: HyperliquidTrade[] };

export interface HyperliquidFeedRecord {
  lineNo: number;
  recvNs: bigint;
  message: HyperliquidFeedMessage;
}

/**
 * Reads a recorded Hyperliquid WebSocket feed (l2Book snapshots and trades) and checks every field, so
 * tests, the simulator and backtests can trust the values. Prices and sizes stay the venue's strings.
 */
export function readHyperliquidFeed(path: string): HyperliquidFeedRecord[] {
  return readFeedLines(path).map(({ lineNo, recvNs, json }) => {
    const check = new RecordCheck(path, lineNo);
    return { lineNo, recvNs, message: checkMessage(check, check.json(json)) };
  });
}

function checkMessage(check: RecordCheck, value: unknown): HyperliquidFeedMessage {
  const message = check.object(value, 'message');
  const channel = check.oneOf(message.channel, 'channel', ['l2Book', 'trades'] as const);
  if (channel === 'l2Book') {
    const data = check.object(message.data, 'data');
    const levels = check.array(data.levels, 'data.levels');
    if (levels.length !== 2) check.fail('data.levels', `expected [bids, asks], got ${levels.length} sides`);
    return {
      channel,
      data: {
        coin: check.string(data.coin, 'data.coin'),
        time: check.integer(data.time, 'data.time'),
        levels: [checkLevels(check, levels[0], 'data.levels[0]'), checkLevels(check, levels[1], 'data.levels[1]')],
      },
    };
  }
  const trades = check.array(message.data, 'data');
  return { channel, data: trades.map((t, i) => checkTrade(check, t, `data[${i}]`)) };
}

function checkLevels(check: RecordCheck, value: unknown, field: string): HyperliquidLevel[] {
  return check.array(value, field).map((raw, i) => {
    const level = check.object(raw, `${field}[${i}]`);
    return {
      px: check.decimal(level.px, `${field}[${i}].px`),
      sz: check.decimal(level.sz, `${field}[${i}].sz`),
      n: check.integer(level.n, `${field}[${i}].n`),
    };
  });
}

function checkTrade(check: RecordCheck, value: unknown, field: string): HyperliquidTrade {
  const trade = check.object(value, field);
  const users = check.array(trade.users, `${field}.users`);
  if (users.length !== 2) check.fail(`${field}.users`, `expected [buyer, seller], got ${users.length} entries`);
  return {
    coin: check.string(trade.coin, `${field}.coin`),
    side: check.oneOf(trade.side, `${field}.side`, ['B', 'A'] as const),
    px: check.decimal(trade.px, `${field}.px`),
    sz: check.decimal(trade.sz, `${field}.sz`),
    time: check.integer(trade.time, `${field}.time`),
    tid: check.integer(trade.tid, `${field}.tid`),
    hash: check.string(trade.hash, `${field}.hash`),
    users: [check.string(users[0], `${field}.users[0]`), check.string(users[1], `${field}.users[1]`)],
  };
}
