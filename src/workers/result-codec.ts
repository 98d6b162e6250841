import type { Side, TimeInForce } from '../core/types.js';
import type { HookFailure, RunnerOutput, WireResult, WireResultExtras } from './protocol.js';
import type { RiskDenial } from './risk/precheck.js';
import type { StrategyIntent } from './strategies/api.js';

/*
 * A batch's result, worker to host, as the flat array protocol.ts describes (`WireResult`). The worker
 * opens it when the batch arrives, appends each output with something in it, and closes it with the
 * times; the host reads the times and then the outputs, each decoded back into exactly what the
 * strategy returned.
 */

const HEADER = 4;

/** A result for batch `seq`, picked up at `recvNs`, with no outputs yet. */
export function openResult(seq: number, recvNs: number): WireResult {
  return [seq, recvNs, 0, 0];
}

/** Appends one instance's output. The worker appends only outputs that carry something. */
export function appendOutput(result: WireResult, out: RunnerOutput): void {
  result.push(out.strategyId, out.intents.length);
  for (const x of out.intents) {
    switch (x.kind) {
      case 'submit': {
        const o = x.order;
        result.push('s', o.clientOrderId, o.side === 'buy' ? 0 : 1, o.type === 'market' ? 1 : 0, o.size, o.price, o.timeInForce, o.reduceOnly ? 1 : 0, x.postOnly ? 1 : 0, o.createdAt, x.slippageBps ?? -1);
        break;
      }
      case 'cancel':
        result.push('c', x.clientOrderId);
        break;
      case 'amend':
        result.push('a', x.clientOrderId, x.price ?? null, x.size ?? null);
    }
  }
  if (out.denials.length === 0 && out.errors.length === 0 && out.logs.length === 0 && out.snapshot === undefined) {
    result.push(0);
    return;
  }
  const extras: { -readonly [K in keyof WireResultExtras]: WireResultExtras[K] } = {};
  if (out.denials.length > 0) extras.d = out.denials;
  if (out.errors.length > 0) extras.e = out.errors;
  if (out.logs.length > 0) extras.l = out.logs;
  if (out.snapshot !== undefined) extras.s = out.snapshot;
  result.push(extras);
}

/** Stamps when the worker finished the batch and how long the risk pre-check took. */
export function closeResult(result: WireResult, doneNs: number, riskNs: number): void {
  result[2] = doneNs;
  result[3] = riskNs;
}

export interface ResultTimes {
  readonly seq: number;
  readonly recvNs: number;
  readonly doneNs: number;
  readonly riskNs: number;
}

export function resultTimes(result: WireResult): ResultTimes {
  return { seq: result[0] as number, recvNs: result[1] as number, doneNs: result[2] as number, riskNs: result[3] as number };
}

/** Entries after the kind, per intent kind. */
const WIDTH: Readonly<Record<string, number>> = { s: 10, c: 1, a: 3 };

function width(kind: unknown): number {
  const n = typeof kind === 'string' ? WIDTH[kind] : undefined;
  if (n === undefined) throw new Error(`worker result: unknown intent kind ${String(kind)}`);
  return n;
}

/** The intent whose kind is at `result[k]`. */
function readIntent(result: WireResult, k: number, strategyId: string, instrument: string): StrategyIntent {
  switch (result[k]) {
    case 's': {
      const side: Side = result[k + 2] === 0 ? 'buy' : 'sell';
      const order = {
        clientOrderId: result[k + 1] as string, strategyId, instrument, side, type: result[k + 3] === 1 ? 'market' : 'limit',
        size: result[k + 4] as string, price: result[k + 5] as string, timeInForce: result[k + 6] as TimeInForce, reduceOnly: result[k + 7] === 1, createdAt: result[k + 9] as number,
      } as const;
      const postOnly = result[k + 8] === 1;
      const slippageBps = result[k + 10] as number;
      return slippageBps >= 0 ? { kind: 'submit', order, postOnly, slippageBps } : { kind: 'submit', order, postOnly };
    }
    case 'c':
      return { kind: 'cancel', strategyId, instrument, clientOrderId: result[k + 1] as string };
    default: {
      const price = result[k + 2] as string | null;
      const size = result[k + 3] as string | null;
      return { kind: 'amend', strategyId, instrument, clientOrderId: result[k + 1] as string, ...(price === null ? {} : { price }), ...(size === null ? {} : { size }) };
    }
  }
}

/**
 * Calls `each` with every output of `result`, in order. `instrumentOf` gives an instance's instrument
 * (intents carry neither it nor the strategy id: the runner refuses intents for any other), or
 * undefined when the host no longer has the instance (unloaded while the batch was in flight): that
 * output is read past and dropped.
 */
export function readOutputs(result: WireResult, instrumentOf: (strategyId: string) => string | undefined, each: (output: RunnerOutput) => void): void {
  let k = HEADER;
  while (k < result.length) {
    const strategyId = result[k++] as string;
    const count = result[k++] as number;
    const instrument = instrumentOf(strategyId);
    const intents: StrategyIntent[] = [];
    for (let i = 0; i < count; i++) {
      const next = k + 1 + width(result[k]);
      if (instrument !== undefined) intents.push(readIntent(result, k, strategyId, instrument));
      k = next;
    }
    const extras = result[k++] as WireResultExtras | 0;
    if (instrument === undefined) continue;
    const output: RunnerOutput = extras === 0
      ? { strategyId, intents, denials: [], errors: [], logs: [] }
      : { strategyId, intents, denials: (extras.d ?? []) as RiskDenial[], errors: (extras.e ?? []) as HookFailure[], logs: (extras.l ?? []) as RunnerOutput['logs'] };
    if (extras !== 0 && extras.s !== undefined) output.snapshot = extras.s;
    each(output);
  }
}
