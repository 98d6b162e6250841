#!/usr/bin/env node
import type { BenchLine, Suite } from './harness.js';

/** `npm run --silent bench -- SUITE [--quick] [--json]` (CONTRACTS.md "Benchmarks"). */
const SUITES: Record<string, () => Promise<Suite>> = {
  state: async () => (await import('./suites/state.js')).stateSuite,
  bus: async () => (await import('./suites/bus.js')).busSuite,
  pipeline: async () => (await import('./suites/pipeline.js')).pipelineSuite,
  rpc: async () => (await import('./suites/rpc.js')).rpcSuite,
  latency: async () => (await import('./suites/latency.js')).latencySuite,
};

function usage(): never {
  process.stderr.write(`usage: npm run --silent bench -- SUITE [--quick] [--json]\nsuites: ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}

function printTable(lines: BenchLine[]): void {
  const rows = lines.map((l) => [l.suite, l.case, l.metric, String(l.value), l.unit]);
  const header = ['suite', 'case', 'metric', 'value', 'unit'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${fmt(r)}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  const unknownFlags = args.filter((a) => a.startsWith('--') && a !== '--quick' && a !== '--json');
  if (names.length === 0 || unknownFlags.length > 0) usage();
  const quick = args.includes('--quick');
  const json = args.includes('--json');
  const all: BenchLine[] = [];
  for (const name of names) {
    const load = SUITES[name];
    if (!load) usage();
    const suite = await load();
    const lines = await suite({ quick, progress: (m) => process.stderr.write(`[${name}] ${m}\n`) });
    if (json) for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
    all.push(...lines);
  }
  if (!json) printTable(all);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
