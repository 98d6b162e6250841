import * as z from 'zod';
import type { TradingState } from '../../core/events.js';
import { nameKey } from '../config/fields.js';
import { riskLimitsSchema, type OspreyConfig, type RiskLimits } from '../config/schema.js';
import { ControlError } from './errors.js';

/**
 * The values an operator may change while the engine runs (the config's RUNTIME_UPDATABLE fields plus
 * the pause flag and the trading state). The loaded config stays frozen; this holds the current values,
 * starting from it. Every change is validated whole before it is applied, and applied by swapping one
 * frozen object, so a reader sees either the old or the new value, never a mix. Components that act on
 * these (risk gate, strategy host, execution) read them here and listen with `onChange`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type StrategyParams = Readonly<Record<string, JsonValue>>;

export type ControlChange =
  | { kind: 'paused'; paused: boolean }
  | { kind: 'tradingState'; from: TradingState; to: TradingState; reason: string }
  | { kind: 'riskLimits'; account: string; before: RiskLimits | undefined; after: RiskLimits }
  | { kind: 'strategyParams'; strategyId: string; before: StrategyParams; after: StrategyParams };

export type ControlListener = (change: ControlChange) => void;

export interface Problem {
  readonly path: string;
  readonly message: string;
}

const riskLimitsPatch = riskLimitsSchema.partial();

export class RuntimeControls {
  #paused = false;
  #tradingState: TradingState = 'ACTIVE';
  #riskLimits: Readonly<Record<string, RiskLimits>>;
  readonly #params = new Map<string, StrategyParams>();
  readonly #listeners: ControlListener[] = [];

  constructor(config: OspreyConfig) {
    this.#riskLimits = config.risk.limits;
    for (const strategy of config.strategies) this.#params.set(strategy.id, strategy.params as StrategyParams);
  }

  get paused(): boolean {
    return this.#paused;
  }

  get tradingState(): TradingState {
    return this.#tradingState;
  }

  riskLimits(): Readonly<Record<string, RiskLimits>> {
    return this.#riskLimits;
  }

  strategyParams(strategyId: string): StrategyParams {
    const params = this.#params.get(strategyId);
    if (params === undefined) throw new ControlError('NOT_FOUND', `no strategy with id "${strategyId}"`, { strategyId });
    return params;
  }

  onChange(listener: ControlListener): () => void {
    this.#listeners.push(listener);
    return () => void this.#listeners.splice(this.#listeners.indexOf(listener) >>> 0, 1);
  }

  /** Returns whether anything changed. */
  setPaused(paused: boolean): boolean {
    if (this.#paused === paused) return false;
    this.#paused = paused;
    this.#emit({ kind: 'paused', paused });
    return true;
  }

  setTradingState(to: TradingState, reason: string): TradingState {
    const from = this.#tradingState;
    if (from !== to) {
      this.#tradingState = to;
      this.#emit({ kind: 'tradingState', from, to, reason });
    }
    return from;
  }

  /**
   * Merges `patch` over the account's limits and applies the result if the whole set is valid (the
   * config's own schema). A new account needs every limit. Throws ControlError(INVALID_PARAMS).
   */
  updateRiskLimits(account: string, patch: Record<string, unknown>): { before: RiskLimits | undefined; after: RiskLimits } {
    const problems: Problem[] = [];
    if (!nameKey.safeParse(account).success) problems.push({ path: 'account', message: 'allowed: 1-64 letters, digits, _ . : - (starting with a letter or digit)' });
    const shape = riskLimitsPatch.safeParse(patch);
    if (!shape.success) problems.push(...issuesOf(shape.error, 'limits'));
    const before = this.#riskLimits[account];
    const merged = riskLimitsSchema.safeParse({ ...before, ...patch });
    if (shape.success && !merged.success) problems.push(...issuesOf(merged.error, 'limits', before === undefined ? ' (a new account needs every limit)' : ''));
    if (problems.length > 0 || !merged.success) throw invalid(`risk limits for "${account}" refused`, problems);
    const after = Object.freeze(merged.data);
    this.#riskLimits = Object.freeze({ ...this.#riskLimits, [account]: after });
    this.#emit({ kind: 'riskLimits', account, before, after });
    return { before, after };
  }

  /**
   * Merges `patch` over a strategy's params. Until strategies declare their own parameter schemas (the
   * strategy engine), the configured params are the schema: a key must already exist and keep its JSON
   * type, so a typo cannot slip in as a new, ignored parameter. Throws NOT_FOUND or INVALID_PARAMS.
   */
  updateStrategyParams(strategyId: string, patch: Record<string, unknown>): { before: StrategyParams; after: StrategyParams } {
    const before = this.strategyParams(strategyId);
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const path = `params.${key}`;
      if (!Object.hasOwn(before, key)) {
        problems.push({ path, message: `"${strategyId}" has no parameter "${key}"; allowed: ${Object.keys(before).join(', ') || 'none configured'}` });
      } else if (!z.json().safeParse(value).success || (typeof value === 'number' && !Number.isFinite(value))) {
        problems.push({ path, message: 'allowed: a JSON value' });
      } else if (jsonType(value) !== jsonType(before[key])) {
        problems.push({ path, message: `expected a ${jsonType(before[key])}, got a ${jsonType(value)}` });
      }
    }
    if (Object.keys(patch).length === 0) problems.push({ path: 'params', message: 'allowed: at least one parameter' });
    if (problems.length > 0) throw invalid(`params for "${strategyId}" refused`, problems);
    const after = Object.freeze({ ...before, ...(structuredClone(patch) as Record<string, JsonValue>) });
    this.#params.set(strategyId, after);
    this.#emit({ kind: 'strategyParams', strategyId, before, after });
    return { before, after };
  }

  #emit(change: ControlChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'mapping' : typeof value;
}

function issuesOf(error: z.ZodError, prefix: string, suffix = ''): Problem[] {
  return error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].join('.'), message: `${issue.message}${suffix}` }));
}

function invalid(message: string, problems: Problem[]): ControlError {
  return new ControlError('INVALID_PARAMS', `${message}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
}
