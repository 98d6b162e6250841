import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** A parsed JSON fixture from test/fixtures/<venue>/<name>.json, fresh each call so tests may mutate it. */
export function fixture<T = any>(venue: 'binance' | 'bybit' | 'hyperliquid', name: string): T {
  return JSON.parse(readFileSync(`${ROOT}${venue}/${name}.json`, 'utf8')) as T;
}
