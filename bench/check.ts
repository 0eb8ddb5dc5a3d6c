/**
 * Checks bench/results.json against the engine's benchmark targets and prints pass/fail per target.
 * Run: npx tsx bench/check.ts [path/to/results.json]   (exit code 1 if any target fails)
 *
 * Targets:
 *   1. primary-hang: lifeline p99 ≤ lifeline's own healthy p99 + 250 ms
 *   2. primary-hang: lifeline p99 ≥ 20× lower than viem fallback (defaults)
 *   3. primary-hang: lifeline p99 ≥ 1.5× lower than ethers FallbackProvider (defaults)
 *   4. outage-start: lifeline p99 ≥ 10× lower than viem fallback rank: true
 *   4b. broad-outage: lifeline p99 ≤ 500 ms (reads relayed in the first 10 s of a broad outage)
 *   5. every scenario with at least one healthy endpoint (all scenarios of this bench): lifeline
 *      100 % success and 0 wrong answers
 *   6. healthy: lifeline no worse than the best peer (viem-fallback, viem-fallback-rank,
 *      ethers-fallback; `single` has no failover and is a baseline, not a peer):
 *        p50 ≤ best peer p50 + max(1 ms, 10 %), p99 ≤ best peer p99 + max(5 ms, 25 %),
 *        success ≥ and wrong ≤ the best peer's ("best" = lowest p50, resp. lowest p99).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ClientResult {
  success: number;
  wrong: number;
  p50: number;
  p99: number;
}
export interface Results {
  scenarios: Record<string, Record<string, ClientResult>>;
}
export interface Verdict {
  target: string;
  pass: boolean;
  detail: string;
}

export const PEERS = ['viem-fallback', 'viem-fallback-rank', 'ethers-fallback'] as const;
/** Scenarios in which no endpoint is healthy (target 5 does not apply); none in this bench. */
export const NO_HEALTHY_ENDPOINT: readonly string[] = [];

const ms = (value: number) => `${value.toFixed(1)} ms`;
const times = (value: number) => `${value.toFixed(1)}×`;

export function checkResults(results: Results): Verdict[] {
  const verdicts: Verdict[] = [];
  const get = (scenario: string, client: string): ClientResult | undefined => results.scenarios[scenario]?.[client];
  const need = (target: string, pairs: [string, string][]): ClientResult[] | undefined => {
    const found = pairs.map(([s, c]) => get(s, c));
    if (found.every((r): r is ClientResult => r !== undefined)) return found;
    const missing = pairs.filter((_, i) => found[i] === undefined).map(([s, c]) => `${s}/${c}`);
    verdicts.push({ target, pass: false, detail: `missing in results: ${missing.join(', ')}` });
    return undefined;
  };

  {
    const target = 'hang: lifeline p99 ≤ healthy p99 + 250 ms';
    const r = need(target, [['primary-hang', 'lifeline'], ['healthy', 'lifeline']]);
    if (r) {
      const [hang, healthy] = r as [ClientResult, ClientResult];
      verdicts.push({ target, pass: hang.p99 <= healthy.p99 + 250, detail: `hang p99 ${ms(hang.p99)}, healthy p99 ${ms(healthy.p99)} (limit ${ms(healthy.p99 + 250)})` });
    }
  }
  for (const [peer, factor, scenario] of [
    ['viem-fallback', 20, 'primary-hang'],
    ['ethers-fallback', 1.5, 'primary-hang'],
    ['viem-fallback-rank', 10, 'outage-start'],
  ] as const) {
    const target = `${scenario}: lifeline p99 ≥ ${factor}× lower than ${peer}`;
    const r = need(target, [[scenario, 'lifeline'], [scenario, peer]]);
    if (r) {
      const [lifeline, other] = r as [ClientResult, ClientResult];
      const ratio = other.p99 / lifeline.p99;
      verdicts.push({ target, pass: ratio >= factor, detail: `lifeline ${ms(lifeline.p99)}, ${peer} ${ms(other.p99)} → ${times(ratio)}` });
    }
  }
  {
    const target = 'broad-outage: lifeline p99 ≤ 500 ms';
    const r = need(target, [['broad-outage', 'lifeline']]);
    if (r) {
      const [lifeline] = r as [ClientResult];
      verdicts.push({ target, pass: lifeline.p99 <= 500, detail: `lifeline p99 ${ms(lifeline.p99)} in the first 10 s of the outage` });
    }
  }
  {
    const target = 'lifeline 100 % success and 0 wrong wherever a healthy endpoint exists';
    const scenarios = Object.keys(results.scenarios).filter((s) => !NO_HEALTHY_ENDPOINT.includes(s));
    const bad: string[] = [];
    for (const scenario of scenarios) {
      const r = get(scenario, 'lifeline');
      if (!r) bad.push(`${scenario}: missing`);
      else if (r.success < 1 || r.wrong > 0) bad.push(`${scenario}: success ${(r.success * 100).toFixed(2)} %, wrong ${r.wrong}`);
    }
    verdicts.push({ target, pass: scenarios.length > 0 && bad.length === 0, detail: bad.length ? bad.join('; ') : `${scenarios.length} scenarios: all 100 %, 0 wrong` });
  }
  {
    const target = 'healthy: lifeline no worse than the best peer (p50 +1 ms/10 %, p99 +5 ms/25 %)';
    const r = need(target, [['healthy', 'lifeline'], ...PEERS.map((p): [string, string] => ['healthy', p])]);
    if (r) {
      const [lifeline, ...peers] = r as [ClientResult, ...ClientResult[]];
      const byP50 = peers.reduce((a, b) => (b.p50 < a.p50 ? b : a));
      const byP99 = peers.reduce((a, b) => (b.p99 < a.p99 ? b : a));
      const nameOf = (x: ClientResult) => PEERS[peers.indexOf(x)]!;
      const p50Limit = byP50.p50 + Math.max(1, byP50.p50 * 0.1);
      const p99Limit = byP99.p99 + Math.max(5, byP99.p99 * 0.25);
      const bestSuccess = Math.max(...peers.map((p) => p.success));
      const bestWrong = Math.min(...peers.map((p) => p.wrong));
      const pass = lifeline.p50 <= p50Limit && lifeline.p99 <= p99Limit && lifeline.success >= bestSuccess && lifeline.wrong <= bestWrong;
      verdicts.push({
        target,
        pass,
        detail:
          `p50 ${ms(lifeline.p50)} vs best ${nameOf(byP50)} ${ms(byP50.p50)} (limit ${ms(p50Limit)}); ` +
          `p99 ${ms(lifeline.p99)} vs best ${nameOf(byP99)} ${ms(byP99.p99)} (limit ${ms(p99Limit)}); ` +
          `success ${(lifeline.success * 100).toFixed(1)} % vs ${(bestSuccess * 100).toFixed(1)} %, wrong ${lifeline.wrong} vs ${bestWrong}`,
      });
    }
  }
  return verdicts;
}

export function printVerdicts(verdicts: readonly Verdict[]): boolean {
  for (const v of verdicts) console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${v.target}\n      ${v.detail}`);
  const failed = verdicts.filter((v) => !v.pass).length;
  console.log(failed === 0 ? `all ${verdicts.length} targets met` : `${failed} of ${verdicts.length} targets missed`);
  return failed === 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? fileURLToPath(new URL('./results.json', import.meta.url));
  const results = JSON.parse(readFileSync(path, 'utf8')) as Results;
  process.exit(printVerdicts(checkResults(results)) ? 0 : 1);
}
