import { ConfigError } from '../../core/errors.js';
import { STRATEGY_API_VERSION, type StrategyDefinition } from './api.js';
import { marketMaker } from './market-maker.js';
import { meanReversion } from './mean-reversion.js';
import { smaCross } from './sma-cross.js';

/** Built-in strategies by the name configs use. */
const BUILT_IN: ReadonlyMap<string, StrategyDefinition> = new Map(
  ([smaCross, marketMaker, meanReversion] as unknown as StrategyDefinition[]).map((d) => [d.name, d]),
);

export function builtInStrategies(): string[] {
  return [...BUILT_IN.keys()].sort();
}

/**
 * The definition for `name`: a built-in, or the default export of `moduleUrl` (a user plug-in, a file:
 * URL of compiled JavaScript). Refuses a plug-in built for another API version: its hooks would be
 * called with a context it does not expect. Throws ConfigError (CONFIG_INVALID) naming the problem.
 */
export async function resolveStrategy(name: string, moduleUrl?: string): Promise<StrategyDefinition> {
  if (moduleUrl === undefined) {
    const found = BUILT_IN.get(name);
    if (found === undefined) throw new ConfigError([{ path: 'strategies.name', message: `unknown strategy "${name}"; built in: ${builtInStrategies().join(', ')}` }]);
    return found;
  }
  const mod = (await import(moduleUrl)) as { default?: unknown };
  return checkDefinition(mod.default, name, moduleUrl);
}

function checkDefinition(value: unknown, name: string, where: string): StrategyDefinition {
  const def = value as Partial<StrategyDefinition> | undefined;
  const problem =
    typeof def !== 'object' || def === null ? 'has no default export'
    : def.apiVersion !== STRATEGY_API_VERSION ? `is built for strategy API ${String(def.apiVersion)}, this engine runs ${STRATEGY_API_VERSION}`
    : def.name !== name ? `defines "${String(def.name)}", not "${name}"`
    : typeof def.create !== 'function' || typeof def.params?.safeParse !== 'function' ? 'lacks create() or a params schema'
    : undefined;
  if (problem !== undefined) throw new ConfigError([{ path: 'strategies.module', message: `${where} ${problem}` }]);
  return def as StrategyDefinition;
}

/** Parses params with the definition's schema; ConfigError lists every bad key under `strategies.<id>.params`. */
export function parseParams<P>(definition: StrategyDefinition<P>, strategyId: string, params: unknown): P {
  const result = definition.params.safeParse(params);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => ({ path: [`strategies.${strategyId}.params`, ...i.path.map(String)].join('.'), message: i.message })));
}
