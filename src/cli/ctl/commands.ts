import type { StageLatency } from '../../main/metrics/latency.js';
import { duration, noneLeft, pairs, positiveInt, takeAll, takeOne, takeSwitch } from './args.js';
import { UsageError, type RpcClient } from './client.js';
import { cell, keyValues, table, timestamp, type Row } from './format.js';
import { drawHistogram, latencyBins, latencyTable } from './histogram.js';
import { Decimal, str } from '../../core/decimal.js';

/**
 * ospreyctl's subcommands: each maps its arguments onto one JSON-RPC call (or a batch) and prints
 * the result, as a table for people or as the result object with --json. `run` returns the exit code.
 */

export interface CommandContext {
  readonly args: string[];
  readonly client: RpcClient;
  readonly json: boolean;
  readonly out: (text: string) => void;
  /** Progress and notes for a person, on stderr, so stdout stays the result alone. */
  readonly err: (text: string) => void;
}

export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly run: (ctx: CommandContext) => Promise<number>;
}

type Rows = readonly Row[];

/** Prints the result: JSON, or what `human` makes of it. */
function show(ctx: CommandContext, result: unknown, human: (r: never) => string): number {
  ctx.out(ctx.json ? `${JSON.stringify(result)}\n` : human(result as never));
  return 0;
}

/** A command that is one call with no arguments, shown as a table or key/values. */
function simple(method: string, summary: string, human: (r: never) => string): Command {
  return {
    usage: '',
    summary,
    run: async (ctx) => {
      noneLeft(ctx.args, '');
      return show(ctx, await ctx.client.call(method), human);
    },
  };
}

function reasonOf(args: string[]): Record<string, unknown> {
  return args.length === 0 ? {} : { reason: args.splice(0).join(' ') };
}

/** Entry = cost / size in exact decimals, shown to 10 significant figures (binary floats would print 118363.00000000001). */
const entryPrice = (_: unknown, row: Row) => {
  const size = new Decimal(String(row.size));
  return size.isZero() ? '-' : str(new Decimal(String(row.cost)).div(size).toSignificantDigits(10));
};

export const COMMANDS: Readonly<Record<string, Command>> = {
  status: simple('engine.status', 'engine state, transport, counters, components', (s: Row & { counters: Row; components: Rows; venues: Rows; strategies: Rows }) =>
    keyValues({ state: s.state, mode: s.mode, uptimeS: s.uptimeS, transport: s.transport, paused: s.paused, tradingState: s.tradingState }) +
    `\n${keyValues(s.counters)}\n${table(s.components, ['name', 'state', 'reason'])}\n${table(s.venues, ['venue', 'enabled', 'state'])}\n${table(s.strategies, ['id', 'name', 'instrument', 'enabled', 'state'])}`,
  ),
  health: {
    usage: '',
    summary: 'health report (exit 1 when failing)',
    run: async (ctx) => {
      noneLeft(ctx.args, '');
      const h = (await ctx.client.call('health.get')) as Row & { components: Rows; eventLoop: Row; memory: Row; problems: string[] };
      show(ctx, h, () => `status: ${cell(h.status)}\n${table(h.components, ['name', 'state', 'reason'])}event loop p99: ${cell(h.eventLoop.p99Ms)} ms, rss: ${cell(h.memory.rssMb)} MB\n${h.problems.map((p) => `problem: ${p}\n`).join('')}`);
      return h.status === 'failing' ? 1 : 0;
    },
  },
  positions: simple('positions.list', 'open positions', (rows: Rows) => table(rows, ['instrument', 'size', { key: 'entry', format: entryPrice }, 'realisedPnl', 'fees', { key: 'updatedAt', title: 'updated', format: timestamp }])),
  balances: simple('balances.list', 'balances per venue and asset', (rows: Rows) => table(rows, ['venue', 'asset', 'total', 'available', { key: 'updatedAt', title: 'updated', format: timestamp }])),
  strategies: simple('strategies.list', 'configured strategies', (rows: Rows) => table(rows, ['id', 'name', 'instrument', 'enabled', 'state'])),
  orders: {
    usage: '[--instrument I] [--strategy S]',
    summary: 'open orders',
    run: async (ctx) => {
      const instrument = takeOne(ctx.args, '--instrument');
      const strategyId = takeOne(ctx.args, '--strategy');
      noneLeft(ctx.args, COMMANDS.orders!.usage);
      const rows = await ctx.client.call('orders.list', { ...(instrument ? { instrument } : {}), ...(strategyId ? { strategyId } : {}) });
      return show(ctx, rows, (r: Rows) => table(r, ['clientOrderId', 'strategyId', 'instrument', 'side', 'type', 'size', 'price', 'status', 'filledSize', { key: 'createdAt', title: 'created', format: timestamp }]));
    },
  },
  cancel: {
    usage: 'CLIENT_ORDER_ID | --all [--instrument I] [--strategy S]',
    summary: 'cancel one order, or all',
    run: async (ctx) => {
      if (takeSwitch(ctx.args, '--all')) {
        const instrument = takeOne(ctx.args, '--instrument');
        const strategyId = takeOne(ctx.args, '--strategy');
        noneLeft(ctx.args, COMMANDS.cancel!.usage);
        return show(ctx, await ctx.client.call('orders.cancelAll', { ...(instrument ? { instrument } : {}), ...(strategyId ? { strategyId } : {}) }), (r) => keyValues(r));
      }
      const [id, ...rest] = ctx.args;
      if (id === undefined) throw new UsageError(`usage: cancel ${COMMANDS.cancel!.usage}`);
      noneLeft(rest, COMMANDS.cancel!.usage);
      return show(ctx, await ctx.client.call('orders.cancel', { clientOrderId: id }), (r) => keyValues(r));
    },
  },
  pause: { usage: '[REASON]', summary: 'stop placing new orders', run: async (ctx) => show(ctx, await ctx.client.call('engine.pause', reasonOf(ctx.args)), (r) => keyValues(r)) },
  halt: { usage: '[REASON]', summary: 'trading state HALTED (kill switch)', run: async (ctx) => show(ctx, await ctx.client.call('risk.state.set', { state: 'HALTED', ...reasonOf(ctx.args) }), (r) => keyValues(r)) },
  resume: {
    usage: '[REASON]',
    summary: 'undo pause and halt: trading ACTIVE again',
    run: async (ctx) => {
      const reason = reasonOf(ctx.args);
      const [resumed, state] = await ctx.client.batch([{ method: 'engine.resume', params: reason }, { method: 'risk.state.set', params: { state: 'ACTIVE', ...reason } }]);
      return show(ctx, { ...(resumed as Row), ...(state as Row) }, (r) => keyValues(r));
    },
  },
  'risk-state': {
    usage: 'ACTIVE|REDUCING|HALTED [REASON]',
    summary: 'set the trading state',
    run: async (ctx) => {
      const state = ctx.args.shift();
      if (state === undefined) throw new UsageError(`usage: risk-state ${COMMANDS['risk-state']!.usage}`);
      return show(ctx, await ctx.client.call('risk.state.set', { state: state.toUpperCase(), ...reasonOf(ctx.args) }), (r) => keyValues(r));
    },
  },
  limits: {
    usage: '[ACCOUNT [key=value ...]]',
    summary: 'show risk limits, or change an account’s',
    run: async (ctx) => {
      const [account, ...sets] = ctx.args;
      if (sets.length > 0) return show(ctx, await ctx.client.call('risk.limits.set', { account: account!, limits: pairs(sets) }), (r: { limits: Row }) => keyValues(r.limits));
      const all = (await ctx.client.call('risk.limits.get', account === undefined ? {} : { account })) as Record<string, Row>;
      return show(ctx, all, () => table(Object.entries(all).map(([name, limits]) => ({ account: name, ...limits })), ['account', ...Object.keys(Object.values(all)[0] ?? {})]));
    },
  },
  params: {
    usage: 'STRATEGY_ID [key=value ...]',
    summary: 'show or change a strategy’s parameters',
    run: async (ctx) => {
      const [id, ...sets] = ctx.args;
      if (id === undefined) throw new UsageError(`usage: params ${COMMANDS.params!.usage}`);
      const result = sets.length === 0 ? await ctx.client.call('strategies.params.get', { id }) : await ctx.client.call('strategies.params.set', { id, params: pairs(sets) });
      return show(ctx, result, (r: { params: Row }) => keyValues(r.params));
    },
  },
  latency: {
    usage: '[--stage S ...] [--histogram]',
    summary: 'latency percentiles per stage; --histogram draws each distribution',
    run: async (ctx) => {
      const stages = takeAll(ctx.args, '--stage');
      const draw = takeSwitch(ctx.args, '--histogram');
      noneLeft(ctx.args, COMMANDS.latency!.usage);
      const report = (await ctx.client.call('metrics.latency', stages.length > 0 ? { stages } : {})) as { stages: StageLatency[] };
      return show(ctx, report, () => latencyTable(report.stages) + (draw ? report.stages.map((s) => `\n${drawHistogram(s.stage, latencyBins(s.histogram))}`).join('') : ''));
    },
  },
  audit: {
    usage: '[--type T ...] [--since 15m] [--limit N]',
    summary: 'audit journal entries, oldest first',
    run: async (ctx) => {
      const types = takeAll(ctx.args, '--type');
      const since = takeOne(ctx.args, '--since');
      const limit = positiveInt(takeOne(ctx.args, '--limit'), '--limit');
      noneLeft(ctx.args, COMMANDS.audit!.usage);
      const params = { ...(types.length > 0 ? { types } : {}), ...(since === undefined ? {} : { from: Math.floor(Date.now() - duration(since, '--since')) }), ...(limit === undefined ? {} : { limit }) };
      const rows = await ctx.client.call('audit.query', params);
      return show(ctx, rows, (r: Rows) => table(r, ['seq', { key: 'ts', title: 'time', format: timestamp }, 'type', { key: 'data', format: (d) => cell(d).slice(0, 120) }]));
    },
  },
  config: { usage: '[PATH]', summary: 'the running config, secrets redacted', run: async (ctx) => show(ctx, await ctx.client.call('config.get', ctx.args[0] === undefined ? {} : { path: ctx.args[0] }), (r) => `${JSON.stringify(r, null, 2)}\n`) },
  subscribe: {
    usage: 'TOPIC ... [--count N] [--seconds S]',
    summary: 'print events as they happen ("order.*", "*")',
    run: async (ctx) => {
      const count = positiveInt(takeOne(ctx.args, '--count'), '--count');
      const seconds = positiveInt(takeOne(ctx.args, '--seconds'), '--seconds');
      if (ctx.args.length === 0) throw new UsageError(`usage: subscribe ${COMMANDS.subscribe!.usage}`);
      await ctx.client.subscribe(
        ctx.args,
        (topic, event) => ctx.out(ctx.json ? `${JSON.stringify({ topic, event })}\n` : `${topic} ${JSON.stringify(event)}\n`),
        { ...(count === undefined ? {} : { count }), ...(seconds === undefined ? {} : { seconds }) },
        (topics) => ctx.err(`subscribed to ${topics.join(', ')}; Ctrl-C stops\n`),
      );
      return 0;
    },
  },
  shutdown: { usage: '[REASON]', summary: 'stop the engine (as SIGTERM does)', run: async (ctx) => show(ctx, await ctx.client.call('engine.shutdown', reasonOf(ctx.args)), (r) => keyValues(r)) },
  call: {
    usage: 'METHOD [PARAMS_JSON]',
    summary: 'any JSON-RPC method, params as a JSON object',
    run: async (ctx) => {
      const [method, raw, ...rest] = ctx.args;
      if (method === undefined) throw new UsageError(`usage: call ${COMMANDS.call!.usage}`);
      noneLeft(rest, COMMANDS.call!.usage);
      let params: Record<string, unknown> | undefined;
      try {
        params = raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        throw new UsageError('PARAMS_JSON is not valid JSON');
      }
      return show(ctx, await ctx.client.call(method, params), (r) => `${JSON.stringify(r, null, 2)}\n`);
    },
  },
};
