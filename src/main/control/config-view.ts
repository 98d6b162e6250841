import { redactedConfig } from '../config/redact.js';
import type { OspreyConfig } from '../config/schema.js';
import { ControlError } from './errors.js';
import type { RuntimeControls } from './runtime-controls.js';

/**
 * What `config.get` answers: the loaded config with the values changed at runtime laid over it (risk
 * limits, strategy params), every Secret redacted and any known secret value scrubbed from text.
 * `path` ("risk.limits.sim") picks a subtree; a path that leads nowhere is NOT_FOUND.
 */
export function runningConfig(base: OspreyConfig, controls: RuntimeControls, path?: string): unknown {
  const current = {
    ...base,
    risk: { ...base.risk, limits: controls.riskLimits() },
    strategies: base.strategies.map((s) => ({ ...s, params: controls.strategyParams(s.id) })),
  } as OspreyConfig;
  let node: unknown = redactedConfig(current);
  for (const key of path === undefined || path === '' ? [] : path.split('.')) {
    const next = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
    if (next === undefined) throw new ControlError('NOT_FOUND', `no config key "${path}"`, { path });
    node = next;
  }
  return node;
}
