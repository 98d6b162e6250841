import ccxt from 'ccxt';
import { installFastSigner } from '../../src/main/exchange/hyperliquid/fast-signer.js';
import { round, type BenchLine, type Suite, type SuiteOptions } from '../harness.js';
import { tickToIntentCases } from './tick-to-intent.js';

/**
 * `latency` suite (CONTRACTS.md "Benchmarks"). Each case group is its own function returning its lines,
 * so groups can be added or run alone; the suite runs them in order.
 */
export const latencySuite: Suite = async (options) => {
  const lines: BenchLine[] = [];
  lines.push(...(await hyperliquidSigningCases(options)));
  // worker, inline, floor-postmessage, worker-vs-floor: bench/suites/tick-to-intent.ts
  lines.push(...(await tickToIntentCases(options)));
  return lines;
};

/*
 * Hyperliquid signing: ccxt's own signL1Action against ours (fast-signer.ts) on the same instance
 * configuration, the same action mix and in the same process, warmed up first. Rounds alternate between
 * the two so drift in CPU frequency or GC affects both; each side reports its median round.
 */

/** A fixture key for the bench only; never funded anywhere. */
const BENCH_FIXTURE_PRIVATE_KEY = '0x' + '42'.repeat(32);

const cloid = (i: number) => '0x' + i.toString(16).padStart(32, '0');
const builder = { b: '0x6530512a6c89c7cfcebc3ba7fcd9ada5f30827a6', f: 10 };

/** What the engine signs most: single orders (limit, IOC, trigger), cancels, amends, leverage. */
function actionMix(): unknown[] {
  const actions: unknown[] = [];
  for (let i = 0; i < 64; i++) {
    const price = String(65_000 + (i % 17) * 0.5);
    const tif = ['Gtc', 'Ioc', 'Alo'][i % 3]!;
    const wire = { a: i % 4, b: i % 2 === 0, p: price, s: `0.00${1 + (i % 9)}`, r: i % 5 === 0, t: { limit: { tif } }, c: cloid(i) };
    switch (i % 8) {
      case 0:
      case 1:
      case 2:
        actions.push({ type: 'order', orders: [wire], grouping: 'na', builder });
        break;
      case 3:
        actions.push({ type: 'order', orders: [{ ...wire, t: { trigger: { isMarket: true, triggerPx: price, tpsl: 'sl' } } }], grouping: 'na', builder });
        break;
      case 4:
        actions.push({ type: 'cancel', cancels: [{ a: i % 4, o: 1_000_000_000 + i }] });
        break;
      case 5:
        actions.push({ type: 'cancelByCloid', cancels: [{ asset: i % 4, cloid: cloid(i) }] });
        break;
      case 6:
        actions.push({ type: 'batchModify', modifies: [{ oid: 1_000_000_000 + i, order: wire }] });
        break;
      default:
        actions.push({ type: 'updateLeverage', asset: i % 4, isCross: true, leverage: 1 + (i % 20) });
    }
  }
  return actions;
}

type Hyperliquid = InstanceType<typeof ccxt.hyperliquid>;

const newHyperliquid = (): Hyperliquid =>
  new ccxt.hyperliquid({ privateKey: BENCH_FIXTURE_PRIVATE_KEY, walletAddress: '0x' + '5a'.repeat(20), urls: { api: { public: 'http://127.0.0.1:9', private: 'http://127.0.0.1:9' } } });

/** Microseconds per signature over `count` signatures of the mix, nonces advancing like ccxt's. */
function timeSigning(exchange: Hyperliquid, actions: unknown[], count: number, nonceBase: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const signature = exchange.signL1Action(actions[i % actions.length], nonceBase + i) as { v: number };
    sink += signature.v;
  }
  const us = Number(process.hrtime.bigint() - start) / 1_000 / count;
  if (sink < 27 * count) throw new Error('signatures missing');
  return us;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function hyperliquidSigningCases({ quick, progress }: SuiteOptions): Promise<BenchLine[]> {
  const actions = actionMix();
  const reference = newHyperliquid();
  const ours = newHyperliquid();
  const status = installFastSigner(ours);
  if (!status.installed) progress('fast signer not installed (no native secp256k1): "ours" measures ccxt\'s signer');
  // Sanity before timing: both sides must agree on every action of the mix.
  const nonce = 1_763_000_000_000;
  for (let i = 0; i < actions.length; i++) {
    if (JSON.stringify(ours.signL1Action(actions[i], nonce + i)) !== JSON.stringify(reference.signL1Action(actions[i], nonce + i))) {
      throw new Error(`signatures differ on action ${i}`);
    }
  }
  const rounds = quick ? 5 : 11;
  const ccxtPerRound = quick ? 600 : 2_000;
  const oursPerRound = quick ? 3_000 : 10_000;
  timeSigning(reference, actions, ccxtPerRound, nonce); // warm-up: JIT and ccxt's lazy caches
  timeSigning(ours, actions, oursPerRound, nonce);
  const ccxtRounds: number[] = [];
  const oursRounds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ccxtRounds.push(timeSigning(reference, actions, ccxtPerRound, nonce + r * 100_000));
    oursRounds.push(timeSigning(ours, actions, oursPerRound, nonce + r * 100_000));
    await new Promise((resolve) => setImmediate(resolve)); // let progress output and timers through
  }
  const ccxtUs = median(ccxtRounds);
  const oursUs = median(oursRounds);
  const ratio = oursUs / ccxtUs;
  progress(`sign: ccxt ${round(ccxtUs, 1)} µs, ours ${round(oursUs, 1)} µs (${status.backend}), ratio ${round(ratio, 3)}`);
  const context = { backend: status.backend, actions: actions.length, rounds };
  return [
    { suite: 'latency', case: 'sign-hl-ccxt', metric: 'us_per_sign', value: round(ccxtUs, 2), unit: 'us', ...context, signs: ccxtPerRound * rounds },
    { suite: 'latency', case: 'sign-hl-ours', metric: 'us_per_sign', value: round(oursUs, 2), unit: 'us', ...context, signs: oursPerRound * rounds },
    { suite: 'latency', case: 'sign-hl-ours-vs-ccxt', metric: 'ratio', value: round(ratio, 4), unit: 'x', target: 0.15, ...context },
  ];
}
