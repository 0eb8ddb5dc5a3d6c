/**
 * What the 60-chain registry costs (npm run bench:registry): probe requests per minute with the
 * full registry and 0, 1, 3 and 10 chains in use, under the probe schedule the worker runs
 * (extension/background/probes.ts: chains in use only, a few chains at once) against, in the
 * same run, the schedule before it (every chain: in use every 30 s, the rest every 5 min); the
 * worker's engine start-up time and its stored snapshot size with the full registry against
 * the first registry's 9 chains (Lifeline's own engine on a simulated network and clock: no
 * sockets, no internet); then the real worker's start and storage in Chromium with the built
 * extension (bench/registry-worker.ts; REGISTRY_BENCH_BROWSER=0 skips it). Writes
 * bench/registry-cost-results.json and bench/REGISTRY-COST.md.
 */
import { writeFile } from 'node:fs/promises';
import { createManualClock } from '../src/testing/manual-clock';
import { createSimNetwork, type SimCall } from '../src/testing/sim-network';
import { createEngineSet, type EngineSet } from '../src/engine/engine-set';
import { mergeRegistry } from '../src/config/merge';
import { DEFAULT_ENDPOINTS, SUPPORTED_CHAIN_IDS } from '../src/registry/defaults';
import { chainsToProbe, runWithLimit } from '../src/health/probe-schedule';
import { DEFAULT_POLICY, SHELL_POLICY } from '../src/policy/index';
import type { Endpoint } from '../src/types';
import { percentile } from './stats';
import { measureWorker } from './registry-worker';

const MINUTE = 60_000;
const SIMULATED_MS = 30 * MINUTE;
const TICK_MS = SHELL_POLICY.probeAlarmPeriodMinutes * MINUTE;
const FIRST_CHAINS = [1, 56, 137, 42161, 10, 8453, 43114, 100, 11155111];
// The chains a user is most likely on first: the first registry's, then the rest in registry order.
const BY_LIKELY_USE = [...FIRST_CHAINS, ...SUPPORTED_CHAIN_IDS.filter((c) => !FIRST_CHAINS.includes(c))];

type Schedule = 'before' | 'now';

interface ProbeCost {
  schedule: Schedule;
  chainsInUse: number;
  requestsPerMinute: number;
  /** Most probe requests in flight at once. */
  peakInFlight: number;
  chainsProbed: number;
}

function peakInFlight(calls: readonly SimCall[]): number {
  const edges = calls.flatMap((c) => [[c.sentAt, 1], [c.answeredAt ?? c.sentAt, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    now += delta;
    peak = Math.max(peak, now);
  }
  return peak;
}

async function probeCost(schedule: Schedule, inUseCount: number): Promise<ProbeCost> {
  const clock = createManualClock();
  const endpoints = DEFAULT_ENDPOINTS.filter((e) => e.enabled);
  // Real answer times vary: 40–300 ms, spread over the endpoints.
  const net = createSimNetwork({ clock, endpoints: endpoints.map((endpoint, i) => ({ endpoint, latencyMs: 40 + ((i * 37) % 260) })), blockTimeMs: () => 2_000 });
  const engine = createEngineSet({ endpoints, transport: net.transport, clock, policyFor: () => ({}) });
  const inUse = BY_LIKELY_USE.slice(0, inUseCount);
  const probed = new Set<number>();
  const round = async () => {
    const due = engine.chainsDueForProbe(inUse);
    if (schedule === 'before') {
      due.forEach((c) => probed.add(c));
      await Promise.all(due.map((chainId) => engine.probeChain(chainId)));
      return;
    }
    const chains = chainsToProbe({ due, inUse, withOwnEndpoints: [] });
    chains.forEach((c) => probed.add(c));
    await runWithLimit(chains, SHELL_POLICY.maxConcurrentChainProbes, (chainId) => engine.probeChain(chainId));
  };
  const start = clock.now();
  while (clock.now() - start < SIMULATED_MS) {
    const tickAt = clock.now();
    await clock.settle(round(), TICK_MS);
    await clock.advanceByAsync(Math.max(0, tickAt + TICK_MS - clock.now()));
  }
  return {
    schedule,
    chainsInUse: inUseCount,
    requestsPerMinute: Math.round((net.calls.length / (SIMULATED_MS / MINUTE)) * 10) / 10,
    peakInFlight: peakInFlight(net.calls),
    chainsProbed: probed.size,
  };
}

interface StartCost {
  registry: string;
  chains: number;
  endpoints: number;
  /** Building the worker's engine from the registry and the stored snapshot (engine-host.ts). */
  engineStartMsP50: number;
  engineStartMsP95: number;
  /** chrome.storage.session's engineSnapshot after 30 min with 10 chains in use, JSON bytes. */
  snapshotBytes: number;
}

async function startCost(label: string, defaults: readonly Endpoint[]): Promise<StartCost> {
  // A realistic snapshot: 30 simulated minutes with 10 chains in use.
  const clock = createManualClock();
  const enabled = defaults.filter((e) => e.enabled);
  const net = createSimNetwork({ clock, endpoints: enabled.map((endpoint) => ({ endpoint })), blockTimeMs: () => 2_000 });
  const live: EngineSet = createEngineSet({ endpoints: defaults, transport: net.transport, clock, policyFor: () => ({}) });
  const inUse = BY_LIKELY_USE.filter((c) => defaults.some((e) => e.chainId === c)).slice(0, 10);
  for (let t = 0; t < SIMULATED_MS; t += TICK_MS) {
    const chains = chainsToProbe({ due: live.chainsDueForProbe(inUse), inUse, withOwnEndpoints: [] });
    await clock.settle(runWithLimit(chains, SHELL_POLICY.maxConcurrentChainProbes, (c) => live.probeChain(c)), TICK_MS);
    await clock.advanceByAsync(TICK_MS);
  }
  const snapshot: unknown = JSON.parse(JSON.stringify(live.snapshot()));
  const snapshotBytes = JSON.stringify(snapshot).length;
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const endpoints = Object.values(mergeRegistry(defaults, undefined)).flat();
    const engine = createEngineSet({ endpoints, policyFor: () => ({}), snapshot });
    engine.healthView();
    samples.push(performance.now() - t0);
  }
  const warm = samples.slice(10);
  return {
    registry: label,
    chains: new Set(defaults.map((e) => e.chainId)).size,
    endpoints: defaults.length,
    engineStartMsP50: Math.round(percentile(warm, 0.5) * 100) / 100,
    engineStartMsP95: Math.round(percentile(warm, 0.95) * 100) / 100,
    snapshotBytes,
  };
}

const probes: ProbeCost[] = [];
for (const inUseCount of [0, 1, 3, 10]) {
  for (const schedule of ['before', 'now'] as const) probes.push(await probeCost(schedule, inUseCount));
}
const starts = [await startCost('first 9 chains', DEFAULT_ENDPOINTS.filter((e) => FIRST_CHAINS.includes(e.chainId))), await startCost('full registry', DEFAULT_ENDPOINTS)];

const worker = process.env.REGISTRY_BENCH_BROWSER === '0' ? null : await measureWorker();

const results = {
  generatedAt: new Date().toISOString(),
  registry: { chains: SUPPORTED_CHAIN_IDS.length, endpoints: DEFAULT_ENDPOINTS.length, enabledEndpoints: DEFAULT_ENDPOINTS.filter((e) => e.enabled).length },
  simulatedMinutes: SIMULATED_MS / MINUTE,
  probeIntervals: { activeMs: DEFAULT_POLICY.probe.activeIntervalMs, idleMs: DEFAULT_POLICY.probe.idleIntervalMs, maxConcurrentChains: SHELL_POLICY.maxConcurrentChainProbes },
  probes,
  start: starts,
  worker,
};
await writeFile(new URL('./registry-cost-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const row = (inUse: number, schedule: Schedule) => probes.find((p) => p.chainsInUse === inUse && p.schedule === schedule)!;
const md = [
  '# Registry cost (`npm run bench:registry`)',
  '',
  `${results.registry.chains} chains, ${results.registry.endpoints} default endpoints (${results.registry.enabledEndpoints} on by default). ` +
    `${results.simulatedMinutes} simulated minutes of 30 s probe alarms on Lifeline's engine over a simulated network (no sockets). ` +
    '"Before": every chain probed, in use every 30 s and idle every 5 min, all at once. "Now": chains in use only, ' +
    `at most ${SHELL_POLICY.maxConcurrentChainProbes} chains at once (idle chains with the user's own endpoints, none here, every 5 min).`,
  '',
  '| chains in use | probe requests/min before | now | peak in flight before | now | chains probed before | now |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...[0, 1, 3, 10].map((n) => `| ${n} | ${row(n, 'before').requestsPerMinute} | ${row(n, 'now').requestsPerMinute} | ${row(n, 'before').peakInFlight} | ${row(n, 'now').peakInFlight} | ${row(n, 'before').chainsProbed} | ${row(n, 'now').chainsProbed} |`),
  '',
  '| registry | chains | endpoints | engine start p50 | p95 | stored snapshot |',
  '| --- | --- | --- | --- | --- | --- |',
  ...starts.map((s) => `| ${s.registry} | ${s.chains} | ${s.endpoints} | ${s.engineStartMsP50} ms | ${s.engineStartMsP95} ms | ${(s.snapshotBytes / 1024).toFixed(1)} KiB |`),
  '',
  'Engine start: building the worker\'s engine from the merged registry and the stored snapshot, then its health view ' +
    '(what `engine-host.ts` does on the worker\'s first message), in Node on this machine; 50 warm runs. Snapshot: ' +
    '`chrome.storage.session` `engineSnapshot` after 30 minutes with 10 chains in use, as JSON.',
  '',
  ...(worker
    ? [
        `Real worker in Chromium (built extension, full registry), stopped before each message, ${worker.runs} runs each, alternating:`,
        '',
        '| woken by | p50 | p95 |',
        '| --- | --- | --- |',
        `| a message needing no engine (boot only, baseline) | ${worker.bootOnlyMsP50} ms | ${worker.bootOnlyMsP95} ms |`,
        `| the popup's status (boot + engine from 60 chains + snapshot) | ${worker.statusMsP50} ms | ${worker.statusMsP95} ms |`,
        '',
        `Storage after probing ${worker.chainsInUse} chains in use: chrome.storage.session ${(worker.sessionStorageBytes / 1024).toFixed(1)} KiB, chrome.storage.local ${(worker.localStorageBytes / 1024).toFixed(1)} KiB. Largest session keys: ${Object.entries(worker.sessionStorageByKey).slice(0, 4).map(([k, b]) => `${k} ${(b / 1024).toFixed(1)} KiB`).join(', ')}.`,
        '',
      ]
    : []),
].join('\n');
await writeFile(new URL('./REGISTRY-COST.md', import.meta.url), md);
console.log(md);
