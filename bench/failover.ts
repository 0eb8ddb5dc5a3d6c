/**
 * Failover benchmark in real Chromium: what a user sees in the first seconds of an outage, with
 * Lifeline and without it (the baseline: the same mock wallet, no Lifeline), in the same run.
 *
 * Every scenario runs both sides at once, each in its own browser against its own fault-injecting
 * endpoints (one ganache node behind all of them), so both meet the same machine at the same
 * moment and the run stays within a few minutes; FAILOVER_SEQUENTIAL=1 runs them one after the
 * other instead. Pages read on a fixed schedule (bench/failover-page.ts), timed and checked in
 * the page. Figures are over the reads issued in the first 10 s of the outage (bench/failover-metrics.ts).
 *
 * Run: npm run bench:failover (builds first), under the shared browser lock:
 *   flock /tmp/e2e.lock npm run bench:failover
 *   FAILOVER_SCENARIOS=wallet-new-tab,dapp-hang-2s flock /tmp/e2e.lock npm run bench:failover
 * Writes bench/failover-results.json (scenarios measured now replace their earlier figures) and
 * bench/FAILOVER.md, and prints the table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { startEvmNode } from '../e2e/fixtures/evm-node';
import { startRpcEndpoint, type FaultMode, type RpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { startDappServer } from '../e2e/fixtures/dapp-server';
import { evaluateWithTimeout } from '../e2e/fixtures/browser';
import { DEFAULT_ACCOUNT, launchWithMockWallet, walletRpcLog, type LaunchedWithWallet } from '../e2e/fixtures/mock-wallet/index';
import { configureLifeline } from '../e2e/fixtures/lifeline';
import type { FailoverPageApi, IssuedRead, LoadOptions, ReadRecord, ReadSpec } from './failover-page';
import { judge, markdownTable, outageMetrics, windowMetrics, type ScenarioResult, type SideMetrics } from './failover-metrics';
import { round } from './stats';
import { PAGE_TRAFFIC } from '../src/policy/index';

const CHAIN = 1337;
/** 5 reads per second per tab: a dApp polling block number and balance. */
const TICK_MS = 200;
/** Healthy reads before the outage: the guard learns the wallet's speed (8 samples) and Lifeline
 *  learns the chain of the dApp's RPC, as on a page that worked before the outage. */
const WARMUP_MS = 2_000;
/** The figures cover the reads issued in the outage's first 10 s: the seconds users notice. */
const WINDOW_MS = 10_000;
const NEW_TAB_AT_MS = 3_000;
const MULTI_TABS = 10;
const MULTI_HEALTHY_MS = 5_000;
const MULTI_HANG_MS = 25_000;
const MULTI_AFTER_MS = 10_000;
/** The dApp's client timeout in recovery-redirect: viem's default. A timeout under Lifeline's 4 s
 *  hang threshold would never be redirected, leaving nothing to recover from. */
const RECOVERY_DAPP_TIMEOUT_MS = 10_000;
/** How long to wait for traffic to come back (the target is 60 s; a little more shows a miss). */
const RECOVERY_MAX_MS = 65_000;
const RECOVERY_POLL_MS = 100;
/** A read that ended this long ago has had every relay it will get (relays start at issue or at
 *  the hedge, both before the read's own answer). */
const RELAY_SETTLE_MS = 300;
/** Waiting for Lifeline to learn the dApp RPC's chain (its own eth_chainId look-up). */
const CHAIN_LEARN_MAX_MS = 15_000;
/** Per read in the page: above the slowest real path (viem: 4 attempts × 10 s + 1.05 s back-off). */
const SETTLE_CAP_MS = 50_000;
/** Bounds of any page load loop, stopped earlier by each scenario. */
const LOAD_MAX_MS = 120_000;
/** The whole run; normally ~4 min. */
const RUN_MAX_MS = 15 * 60_000;

const HANG: FaultMode = { kind: 'hang' };
const HEALTHY: FaultMode = { kind: 'healthy' };

/** A host coming back answers again and resets the connections it held hung, as a restarted
 *  server does. Left open, hung CORS preflights would hold all six of Chromium's connections to
 *  the host for good (a page's abort does not end its preflight), and nothing could reach it. */
async function recover(endpoint: RpcEndpoint): Promise<void> {
  await endpoint.setMode(HEALTHY);
  endpoint.dropHung();
}

const watchdog = setTimeout(() => {
  console.error(`[failover] did not finish within ${RUN_MAX_MS / 60_000} min`);
  process.exit(2);
}, RUN_MAX_MS);
watchdog.unref();

const wallNow = () => performance.timeOrigin + performance.now();
const sleepUntil = (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - wallNow())));
const log = (line: string) => console.log(`[failover ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---- the page's load script: bench/failover-page.ts with viem, one IIFE -------------------------
async function bundlePageScript(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: true,
      target: 'chrome111',
      lib: { entry: fileURLToPath(new URL('./failover-page.ts', import.meta.url)), formats: ['iife'], name: 'failoverPage', fileName: 'failover-page' },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if ('output' in o) for (const chunk of o.output) if (chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('bundling bench/failover-page.ts produced no script');
}

// ---- the endpoints of one side -------------------------------------------------------------------
interface World {
  label: string;
  walletRpc: RpcEndpoint;
  dappRpc: RpcEndpoint;
  /** Lifeline's configured endpoints for the chain, in order (scenarios use the first 2 or all 6). */
  lifelineEndpoints: RpcEndpoint[];
}

const node = await startEvmNode({ chainId: CHAIN });
await node.mine(5);
const headHex = await node.request<string>('eth_blockNumber');
const balanceHex = await node.request<string>('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
/** The reads a dApp polls: each answer must equal the node's (nothing mines during the run). */
const READS: ReadSpec[] = [
  { method: 'eth_blockNumber', params: [], expected: headHex },
  { method: 'eth_getBalance', params: [DEFAULT_ACCOUNT, 'latest'], expected: balanceHex },
];
const dapp = await startDappServer();

async function startWorld(label: string): Promise<World> {
  const endpoint = (name: string) => startRpcEndpoint({ upstream: node.url, name: `${label}-${name}` });
  return {
    label,
    walletRpc: await endpoint('wallet-rpc'),
    dappRpc: await endpoint('dapp-rpc'),
    lifelineEndpoints: await Promise.all([1, 2, 3, 4, 5, 6].map((n) => endpoint(`lifeline-${n}`))),
  };
}
const allEndpoints = (w: World) => [w.walletRpc, w.dappRpc, ...w.lifelineEndpoints];
async function resetWorld(w: World): Promise<void> {
  await Promise.all(allEndpoints(w).map(recover));
  for (const e of allEndpoints(w)) e.clearRequests();
}

// ---- one side of a scenario: a browser with the mock wallet, with or without Lifeline -----------
interface Session {
  lifeline: boolean;
  world: World;
  launched: LaunchedWithWallet;
  lifelineOrigin: string | null;
  /** Lifeline's endpoints in this session's configuration. */
  configured: RpcEndpoint[];
  openDapp(): Promise<Page>;
}

let pageScript = '';
let chromiumVersion = '';

async function withSession<T>(world: World, lifeline: boolean, lifelineEndpointCount: number, run: (s: Session) => Promise<T>): Promise<T> {
  await resetWorld(world);
  const launched = await launchWithMockWallet(
    // The mock's logs stay in memory: persisting them on every read would slow the wallet itself under load.
    { chainId: CHAIN, rpcUrls: { [CHAIN]: world.walletRpc.url }, order: 'after-lifeline', persistLogs: false },
    { withLifeline: lifeline },
  );
  try {
    const configured = lifeline ? world.lifelineEndpoints.slice(0, lifelineEndpointCount) : [];
    if (lifeline) {
      await configureLifeline(launched.browser.worker!, configured.map((e, i) => ({ chainId: CHAIN, url: e.url, label: `Endpoint ${i + 1}` })));
    }
    const session: Session = {
      lifeline,
      world,
      launched,
      lifelineOrigin: launched.browser.extensionId ? `chrome-extension://${launched.browser.extensionId}` : null,
      configured,
      async openDapp() {
        const page = await launched.browser.context.newPage();
        await page.goto(dapp.pageUrl());
        await page.addScriptTag({ content: pageScript });
        const guarded = await page.evaluate(() => Symbol.for('lifeline.guard') in window);
        if (guarded !== lifeline) throw new Error(`${world.label}: the page is ${guarded ? '' : 'not '}guarded, expected the opposite`);
        if (!chromiumVersion) {
          // The user agent string is frozen at x.0.0.0; the browser itself knows its build.
          const cdp = await launched.browser.context.newCDPSession(page);
          chromiumVersion = ((await cdp.send('Browser.getVersion')) as { product: string }).product;
          await cdp.detach();
        }
        return page;
      },
    };
    return await run(session);
  } finally {
    await launched.close().catch(() => undefined);
    await resetWorld(world);
  }
}

// ---- driving the page ------------------------------------------------------------------------------
interface BenchWindow {
  failoverBench: FailoverPageApi;
}
const startLoad = (page: Page, options: LoadOptions) => page.evaluate((o) => (window as unknown as BenchWindow).failoverBench.start(o), options);
const stopLoad = (page: Page): Promise<ReadRecord[]> => page.evaluate(() => (window as unknown as BenchWindow).failoverBench.stop());
const settledSoFar = (page: Page): Promise<ReadRecord[]> => page.evaluate(() => (window as unknown as BenchWindow).failoverBench.settledSoFar());
const issuedSoFar = (page: Page): Promise<IssuedRead[]> => page.evaluate(() => (window as unknown as BenchWindow).failoverBench.issuedSoFar());

const load = (tab: string, options: Partial<LoadOptions> = {}): LoadOptions => ({
  tab,
  via: 'wallet',
  reads: READS,
  intervalMs: TICK_MS,
  maxDurationMs: LOAD_MAX_MS,
  maxReads: LOAD_MAX_MS / TICK_MS,
  settleCapMs: SETTLE_CAP_MS,
  ...options,
});

/** JSON-RPC reads Lifeline itself sent to its configured endpoints since `since` (relays and probes). */
function lifelineRequests(s: Session, since: number, methods: readonly string[] = ['eth_blockNumber', 'eth_getBalance']): number {
  let n = 0;
  for (const e of s.configured) for (const r of e.requests) if (r.at >= since && r.httpMethod === 'POST' && r.origin === s.lifelineOrigin) n += r.rpcMethods.filter((m) => methods.includes(m)).length;
  return n;
}

/** Redirected page requests (Origin: null after a DNR redirect) that reached Lifeline's endpoints. */
function redirectedRequests(s: Session, since: number): number {
  let n = 0;
  for (const e of s.configured) for (const r of e.requests) if (r.at >= since && r.httpMethod === 'POST' && r.origin === 'null') n++;
  return n;
}

/** Waits until Lifeline has learned the chain of the dApp's own RPC URL (needed to redirect it). */
async function waitForChainLearned(s: Session, url: string): Promise<boolean> {
  const deadline = wallNow() + CHAIN_LEARN_MAX_MS;
  while (wallNow() < deadline) {
    const state = (await evaluateWithTimeout(s.launched.browser.worker!, async () => (await chrome.storage.session.get('pageTraffic')).pageTraffic as unknown, 5_000).catch(() => undefined)) as
      | { tracker?: { endpoints?: Array<{ url: string; chainId?: number }> } }
      | undefined;
    if (state?.tracker?.endpoints?.some((e) => e.url === url && e.chainId === CHAIN)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

// ---- scenarios ---------------------------------------------------------------------------------------
/** The wallet's RPC hangs while one tab reads; optionally most of Lifeline's endpoints fail too,
 *  or a second tab opens during the outage and its reads are the ones measured. */
async function walletOutage(s: Session, options: { broad?: boolean; newTabAtMs?: number }): Promise<SideMetrics> {
  const page = await s.openDapp();
  await startLoad(page, load('open-tab'));
  await sleepUntil(wallNow() + WARMUP_MS);
  const outageAt = wallNow();
  const failing: Array<[RpcEndpoint, FaultMode]> = [[s.world.walletRpc, HANG]];
  // Broad: the four endpoints Lifeline would try first hang or refuse connections; the last two are healthy.
  if (options.broad) s.world.lifelineEndpoints.slice(0, 4).forEach((e, i) => failing.push([e, i % 2 === 0 ? HANG : { kind: 'refuse' }]));
  await Promise.all(failing.map(([e, mode]) => e.setMode(mode)));

  let newTab: { page: Page; openedAt: number } | null = null;
  if (options.newTabAtMs !== undefined) {
    await sleepUntil(outageAt + options.newTabAtMs);
    const openedAt = wallNow();
    const second = await s.openDapp();
    await startLoad(second, load('new-tab'));
    newTab = { page: second, openedAt };
  }
  await sleepUntil(outageAt + WINDOW_MS);
  const [openRecords, newRecords] = await Promise.all([stopLoad(page), newTab ? stopLoad(newTab.page) : Promise.resolve([])]);
  const relayed = lifelineRequests(s, outageAt);
  if (!newTab) return { ...outageMetrics(openRecords, outageAt, WINDOW_MS), lifelineReads: relayed };
  const measured = outageMetrics(newRecords, outageAt, WINDOW_MS);
  const good = newRecords.filter((r) => r.ok);
  const firstIssued = newRecords.length ? Math.min(...newRecords.map((r) => r.start)) : null;
  return {
    ...measured,
    firstGoodSinceOpenMs: good.length ? round(Math.min(...good.map((r) => r.end)) - newTab.openedAt, 1) : null,
    firstReadSinceOpenMs: firstIssued === null ? null : round(firstIssued - newTab.openedAt, 1),
    openTab: outageMetrics(openRecords, outageAt, WINDOW_MS),
    lifelineReads: relayed,
  };
}

/** The dApp's own RPC host hangs; its viem client gives up on an attempt after `timeoutMs`. */
async function dappHang(s: Session, timeoutMs: number): Promise<SideMetrics> {
  const url = s.world.dappRpc.url;
  const page = await s.openDapp();
  const loadStart = wallNow();
  await startLoad(page, load('tab', { via: 'http', rpcUrl: url, timeoutMs }));
  const chainLearned = s.lifeline ? await waitForChainLearned(s, url) : null;
  await sleepUntil(loadStart + WARMUP_MS);
  const outageAt = wallNow();
  await s.world.dappRpc.setMode(HANG);
  await sleepUntil(outageAt + WINDOW_MS);
  const records = await stopLoad(page);
  return { ...outageMetrics(records, outageAt, WINDOW_MS), clientTimeoutMs: timeoutMs, chainLearned, redirectedRequests: redirectedRequests(s, outageAt) };
}

/** Ten tabs read through the wallet: healthy, a 25 s hang of its RPC, then 10 s after recovery. */
async function multiTab(s: Session): Promise<SideMetrics> {
  const pages: Page[] = [];
  for (let i = 0; i < MULTI_TABS; i++) pages.push(await s.openDapp());
  const visibility = await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as BenchWindow).failoverBench.visibility())));
  const loadStart = wallNow();
  await Promise.all(pages.map((p, i) => startLoad(p, load(`tab-${i + 1}`))));
  const healthyFrom = loadStart + WARMUP_MS;
  await sleepUntil(healthyFrom + MULTI_HEALTHY_MS);
  const hangAt = wallNow();
  await s.world.walletRpc.setMode(HANG);
  await sleepUntil(hangAt + MULTI_HANG_MS);
  const recoverAt = wallNow();
  await recover(s.world.walletRpc);
  await sleepUntil(recoverAt + MULTI_AFTER_MS);
  const records = (await Promise.all(pages.map(stopLoad))).flat();
  return {
    ...outageMetrics(records, hangAt, WINDOW_MS),
    healthy: windowMetrics(records, healthyFrom, hangAt),
    during: windowMetrics(records, hangAt, recoverAt),
    after: windowMetrics(records, recoverAt, recoverAt + MULTI_AFTER_MS),
    tabsVisible: visibility.filter((v) => v === 'visible').length,
  };
}

/** After a 10 s hang of the wallet's RPC, the time until a read is answered by the wallet alone
 *  (its own RPC answered it, Lifeline relayed nothing for it). Every read asks a fresh address, so
 *  the endpoints' logs say exactly who served which read. */
async function recoveryWallet(s: Session): Promise<SideMetrics> {
  const page = await s.openDapp();
  await startLoad(page, load('tab', { freshAddressReads: true }));
  await sleepUntil(wallNow() + WARMUP_MS);
  const outageAt = wallNow();
  await s.world.walletRpc.setMode(HANG);
  await sleepUntil(outageAt + WINDOW_MS);
  const recoverAt = wallNow();
  await recover(s.world.walletRpc);

  let recoveredMs: number | null = null;
  let firstWalletAnswerMs: number | null = null;
  const deadline = recoverAt + RECOVERY_MAX_MS;
  while (recoveredMs === null && wallNow() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
    const [settled, rpcLog] = await Promise.all([settledSoFar(page), walletRpcLog(s.launched.walletWorker)]);
    const walletAnswered = new Set(rpcLog.filter((e) => e.outcome === 'result' && Array.isArray(e.params)).map((e) => String((e.params as unknown[])[0]).toLowerCase()));
    const relayed = new Set<string>();
    for (const e of s.configured) for (const r of e.requests) for (const p of r.rpcParams) if (Array.isArray(p)) relayed.add(String(p[0]).toLowerCase());
    const answeredByWallet = settled
      .filter((r) => r.ok && r.address && r.end >= recoverAt && r.end <= wallNow() - RELAY_SETTLE_MS && walletAnswered.has(r.address.toLowerCase()))
      .sort((a, b) => a.end - b.end);
    if (answeredByWallet[0] && firstWalletAnswerMs === null) firstWalletAnswerMs = round(answeredByWallet[0].end - recoverAt, 1);
    const alone = answeredByWallet.find((r) => !relayed.has(r.address!.toLowerCase()));
    if (alone) recoveredMs = round(alone.end - recoverAt, 1);
  }
  const records = await stopLoad(page);
  return { ...outageMetrics(records, outageAt, WINDOW_MS), recoveredMs, firstWalletAnswerMs };
}

/** After a 10 s hang of the dApp's own RPC host, the time until the page's requests reach it again
 *  (with Lifeline: once its redirect rule is gone). Every read asks a fresh address, so a request
 *  that reaches the host is known to belong to a read issued after the recovery, not to one that
 *  waited in Chromium's queue for the host's connections since the outage. */
async function recoveryRedirect(s: Session): Promise<SideMetrics> {
  const url = s.world.dappRpc.url;
  const page = await s.openDapp();
  const loadStart = wallNow();
  await startLoad(page, load('tab', { via: 'http', rpcUrl: url, timeoutMs: RECOVERY_DAPP_TIMEOUT_MS, freshAddressReads: true }));
  const chainLearned = s.lifeline ? await waitForChainLearned(s, url) : null;
  await sleepUntil(loadStart + WARMUP_MS);
  const outageAt = wallNow();
  await s.world.dappRpc.setMode(HANG);
  await sleepUntil(outageAt + WINDOW_MS);
  const redirected = redirectedRequests(s, outageAt);
  const ruleDuringOutage = s.lifeline ? (await redirectRules(s)) > 0 : null;
  const recoverAt = wallNow();
  await recover(s.world.dappRpc);

  const deadline = recoverAt + RECOVERY_MAX_MS;
  let recoveredMs: number | null = null;
  let ruleRemovedMs: number | null = null;
  while (recoveredMs === null && wallNow() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
    if (s.lifeline && ruleRemovedMs === null && (await redirectRules(s)) === 0) ruleRemovedMs = round(wallNow() - recoverAt, 0);
    const sinceRecovery = new Set((await issuedSoFar(page)).filter((r) => r.start >= recoverAt && r.address).map((r) => r.address!.toLowerCase()));
    const back = s.world.dappRpc.requests.find(
      (r) => r.at >= recoverAt && r.httpMethod === 'POST' && r.origin === dapp.origin && r.rpcParams.some((p) => Array.isArray(p) && sinceRecovery.has(String(p[0]).toLowerCase())),
    );
    if (back) recoveredMs = round(back.at - recoverAt, 1);
  }
  const records = await stopLoad(page);
  return { ...outageMetrics(records, outageAt, WINDOW_MS), recoveredMs, ruleRemovedMs, ruleDuringOutage, clientTimeoutMs: RECOVERY_DAPP_TIMEOUT_MS, chainLearned, redirectedRequests: redirected };
}

/** Lifeline's page redirect rules in force (its dynamic rule id range). */
async function redirectRules(s: Session): Promise<number> {
  const rules = await evaluateWithTimeout(s.launched.browser.worker!, () => chrome.declarativeNetRequest.getDynamicRules(), 5_000);
  return rules.filter((r) => r.id >= PAGE_TRAFFIC.ruleIdBase && r.id < PAGE_TRAFFIC.ruleIdBase + PAGE_TRAFFIC.maxRules).length;
}

interface Scenario {
  /** Lifeline endpoints configured for the chain. */
  endpoints: number;
  run(s: Session): Promise<SideMetrics>;
}
const SCENARIOS: Record<string, Scenario> = {
  'wallet-open-tab': { endpoints: 2, run: (s) => walletOutage(s, {}) },
  'wallet-new-tab': { endpoints: 2, run: (s) => walletOutage(s, { newTabAtMs: NEW_TAB_AT_MS }) },
  'broad-outage': { endpoints: 6, run: (s) => walletOutage(s, { broad: true }) },
  'dapp-hang-1s': { endpoints: 2, run: (s) => dappHang(s, 1_000) },
  'dapp-hang-2s': { endpoints: 2, run: (s) => dappHang(s, 2_000) },
  'dapp-hang-10s': { endpoints: 2, run: (s) => dappHang(s, 10_000) },
  'multi-tab': { endpoints: 2, run: multiTab },
  'recovery-wallet': { endpoints: 2, run: recoveryWallet },
  'recovery-redirect': { endpoints: 2, run: recoveryRedirect },
};

// ---- the run -----------------------------------------------------------------------------------------
const requested = (process.env.FAILOVER_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const unknown = requested.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(`[failover] unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? Object.keys(SCENARIOS).filter((name) => requested.includes(name)) : Object.keys(SCENARIOS);
const sequential = process.env.FAILOVER_SEQUENTIAL === '1';

const RESULTS_FILE = new URL('./failover-results.json', import.meta.url);
const REPORT_FILE = new URL('./FAILOVER.md', import.meta.url);

pageScript = await bundlePageScript();
const worlds = { lifeline: await startWorld('lifeline'), baseline: await startWorld('baseline') };
const loadBefore = os.loadavg();
const runStart = wallNow();
const measured: Record<string, ScenarioResult> = {};
let exitCode = 0;

try {
  for (const name of selected) {
    const scenario = SCENARIOS[name]!;
    log(`${name}: running (${sequential ? 'Lifeline, then baseline' : 'Lifeline and baseline at once'})`);
    const side = (lifeline: boolean) => withSession(lifeline ? worlds.lifeline : worlds.baseline, lifeline, scenario.endpoints, scenario.run);
    const sides = sequential ? [await Promise.allSettled([side(true)]), await Promise.allSettled([side(false)])].flat() : await Promise.allSettled([side(true), side(false)]);
    const failure = sides.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw new Error(`${name}: ${failure.reason instanceof Error ? failure.reason.stack : String(failure.reason)}`);
    const [lifeline, baseline] = sides.map((r) => (r as PromiseFulfilledResult<SideMetrics>).value) as [SideMetrics, SideMetrics];
    measured[name] = { lifeline, baseline, measuredAt: new Date().toISOString() };
    const verdict = judge(name, measured[name]);
    const line = (label: string, m: SideMetrics) => `${label} p50 ${m.p50} ms, p99 ${m.p99} ms, failed ${m.failed}/${m.reads}, first good ${m.firstGoodMs ?? 'never'}${'recoveredMs' in m ? `, recovered ${m.recoveredMs ?? 'never'}` : ''}`;
    log(`${name}: ${line('Lifeline', lifeline)} | ${line('baseline', baseline)}${verdict ? ` | ${verdict.pass ? 'PASS' : 'FAIL'} (${verdict.target}: ${verdict.measured})` : ''}`);
  }
} catch (error) {
  console.error(`[failover] aborted: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
}

if (Object.keys(measured).length > 0) {
  const previous = existsSync(RESULTS_FILE) ? (JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as { scenarios?: Record<string, ScenarioResult> }) : {};
  const merged = { ...(previous.scenarios ?? {}), ...measured };
  const scenarios = Object.fromEntries(Object.keys(SCENARIOS).filter((n) => n in merged).map((n) => [n, merged[n]!]));
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const environment: Environment = {
    date: new Date().toISOString(),
    commit,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverageBefore: loadBefore.map((l) => round(l, 2)),
    loadAverageAfter: os.loadavg().map((l) => round(l, 2)),
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    node: process.version,
    chromium: chromiumVersion,
    viem: (JSON.parse(await readFile(new URL('../node_modules/viem/package.json', import.meta.url), 'utf8')) as { version: string }).version,
    sides: sequential ? 'sequential' : 'concurrent',
    runSeconds: round((wallNow() - runStart) / 1000, 0),
    scenariosMeasuredThisRun: Object.keys(measured),
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify({ scenarios, environment }, null, 2)}\n`);
  await writeFile(REPORT_FILE, report(scenarios, environment));
  console.log(`\n${markdownTable(scenarios)}\n`);
  log(`wrote ${fileURLToPath(RESULTS_FILE)} and ${fileURLToPath(REPORT_FILE)}`);
}

await Promise.all([...allEndpoints(worlds.lifeline), ...allEndpoints(worlds.baseline)].map((e) => e.close()));
await dapp.close();
await node.close();
process.exit(exitCode);

interface Environment {
  date: string;
  commit: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  platform: string;
  node: string;
  chromium: string;
  viem: string;
  sides: 'sequential' | 'concurrent';
  runSeconds: number;
  scenariosMeasuredThisRun: string[];
}

function report(scenarios: Record<string, ScenarioResult>, env: Environment): string {
  return `# Failover benchmark

\`npm run bench:failover\` (under the shared browser lock: \`flock /tmp/e2e.lock npm run bench:failover\`).
What a user sees in the first seconds of an outage, with Lifeline and without it (baseline: the
same mock wallet, no Lifeline), measured in the same run. Figures in bench/failover-results.json.

Measured ${env.date} at commit ${env.commit}; ${env.cores} × ${env.cpu}, load average
${env.loadAverageBefore.join(' / ')} before, ${env.loadAverageAfter.join(' / ')} after; Chromium ${env.chromium}, Node ${env.node};
the two sides ran ${env.sides === 'concurrent' ? 'at the same time' : 'one after the other'}; ${env.runSeconds} s in all.

${markdownTable(scenarios)}

p50/p99: time from issuing a read to its answer, over the reads issued in the first 10 s of the
outage; a failed read counts at its time to failure. failed/reads: reads that failed or answered
wrongly, of the reads issued. first good: outage start to the first correct answer (never: none
in the window). Targets are judged on the Lifeline side only.

## Scenarios

- **wallet-open-tab**: a dApp tab reads \`eth_blockNumber\` and the account's balance through
  \`window.ethereum\` (5 reads/s, alternating) when the wallet's RPC starts hanging. Lifeline has
  two healthy endpoints. The mock wallet times its own reads out after 10 s (Rabby's custom RPC).
- **wallet-new-tab**: as above; 3 s into the hang a second tab opens and reads at once (5/s); its
  reads are the ones measured (first good also given from the moment the tab opened).
- **broad-outage**: the wallet's RPC hangs and so do 4 of Lifeline's 6 endpoints (two hang, two
  refuse connections; they are first in Lifeline's order); the last two are healthy.
- **dapp-hang-1s / -2s / -10s**: the dApp's own RPC URL (page fetch, not the wallet) hangs. The
  page reads it through viem's http transport (bundled viem ${env.viem}, retryCount 3, back-off
  150 ms · 2^n) whose attempt timeout is 1 s, 2 s, or 10 s (viem's default). Before the outage the
  page read it healthily until Lifeline had learned its chain.
- **multi-tab**: 10 tabs × 5 reads/s through the wallet: 5 s healthy (healthy p99), then the
  wallet's RPC hangs for 25 s (during), then recovers (after: reads issued in the next 10 s).
- **recovery-wallet**: the wallet's RPC hangs for 10 s, then recovers; recovered = time until a
  read is answered by the wallet alone (its own RPC answered it and Lifeline relayed nothing for
  it). Every read asks the balance of a fresh address (0x0), so the endpoints' logs and the
  wallet's RPC log say exactly who served which read.
- **recovery-redirect**: the dApp's own RPC host hangs for 10 s (client timeout 10 s, viem's default), then
  recovers; recovered = time until the page's JSON-RPC POSTs reach the host again (with
  Lifeline: its redirect rule is gone).

## How measured

- Real Chromium (headless) with the built extension and the mock wallet extension
  (e2e/fixtures), a ganache node, and fault-injecting endpoints on 127.0.0.1 (\`hang\`: accepted,
  never answered; \`refuse\`: port closed). Nothing mines during the run, so every answer must
  equal the node's block number or balance; a wrong answer counts as failed.
- Each scenario launches a fresh browser per side. Both sides run at once against separate sets
  of endpoints (FAILOVER_SEQUENTIAL=1: one after the other).
- The page's load (bench/failover-page.ts, bundled with viem) is open-loop: a read is issued
  every 200 ms whether or not earlier ones answered, and timed with the page's own clock.
- Every loop is bounded in time and count; a read unsettled after 50 s would count as failed.
- The endpoints are plain HTTP/1.1, so Chromium opens at most 6 connections per host and
  partition: requests to a hung host queue behind hung connections (real providers speak HTTP/2,
  where they would not). This shapes the baseline and the wallet's own reads right after recovery.
- Run one or a few scenarios with \`FAILOVER_SCENARIOS=wallet-new-tab,dapp-hang-2s\`; their figures
  replace the earlier ones in the results file (each scenario records when it was measured).
`;
}
