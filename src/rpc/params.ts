import * as z from 'zod';
import { TOPICS, isTopic, type Topic } from '../core/events.js';

/** Param schemas several methods share, and the topic patterns of `subscribe`. */

export const reason = z.string().min(1).max(200).optional();

export const filterParams = z.strictObject({
  instrument: z.string().min(1).max(128).optional(),
  strategyId: z.string().min(1).max(64).optional(),
});

/** Free-form values (params, limits) are bounded before anything recursive walks them. */
export const MAX_JSON_DEPTH = 16;
export const MAX_JSON_NODES = 10_000;

/** An object of JSON values, at most MAX_JSON_DEPTH deep and MAX_JSON_NODES values in all. */
export const boundedJsonRecord = z
  .record(z.string().max(128), z.unknown())
  .check((ctx) => {
    const problem = jsonBoundsProblem(ctx.value);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

/** Walks iteratively (no recursion a hostile nesting could overflow); a reason, or undefined when fine. */
export function jsonBoundsProblem(root: unknown): string | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) return `more than ${MAX_JSON_NODES} values; allowed: fewer`;
    if (depth > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH}; allowed: shallower values`;
    if (value !== null && typeof value === 'object') {
      for (const child of Object.values(value)) stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Topic patterns: a topic ("order.filled"), a family ("order.*"), or "*" for every topic. Unknown
 * names are refused with the list of topics, so a typo is not a silent empty subscription.
 */
export const topicPatterns = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(TOPICS.length)
  .check((ctx) => {
    for (const pattern of ctx.value) {
      if (expandTopics(pattern).length === 0) {
        ctx.issues.push({ code: 'custom', message: `unknown topic "${pattern}"; allowed: "*", a family such as "order.*", or one of ${TOPICS.join(', ')}`, input: pattern });
      }
    }
  });

export function expandTopics(pattern: string): Topic[] {
  if (pattern === '*') return [...TOPICS];
  if (pattern.endsWith('.*')) {
    const family = pattern.slice(0, -1);
    return TOPICS.filter((t) => t.startsWith(family));
  }
  return isTopic(pattern) ? [pattern] : [];
}
