import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Uws from 'uWebSockets.js';

export type UwsModule = typeof Uws;

/**
 * Loads uWebSockets.js's native binding for this platform, Node ABI and architecture, or says why it
 * cannot. The binding is required directly rather than through the package's entry, because that entry
 * quietly substitutes its own JavaScript stand-in (printing to stdout) when the binary does not load;
 * Osprey falls back to the `ws` package instead, and wants to know that it did.
 *
 * UWS_USE_FALLBACK=1 (the package's own switch) forces the fallback, to test it.
 */
export function loadUws(env: NodeJS.ProcessEnv = process.env): { ok: true; module: UwsModule } | { ok: false; reason: string } {
  if (/^(1|true)$/i.test(env.UWS_USE_FALLBACK ?? '')) return { ok: false, reason: 'UWS_USE_FALLBACK is set' };
  const require = createRequire(import.meta.url);
  const binary = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
  try {
    const root = dirname(require.resolve('uWebSockets.js/package.json'));
    return { ok: true, module: require(join(root, 'binaries', binary)) as UwsModule };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { ok: false, reason: `native binding ${binary} did not load: ${reason}` };
  }
}
