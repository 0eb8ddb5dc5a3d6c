/**
 * `npm run drill`: a scripted cloud outage, headless. Every local endpoint tagged `aws` goes dark
 * (hangs) at once, then recovers, while a dApp page keeps reading through the mock wallet (whose
 * RPC is on `aws`) and through its own RPC URL (also on `aws`). Lifeline's own endpoints are
 * tagged through the configuration's `infrastructure` map: one on aws, one on gcp, one
 * decentralised. The services panel's APIs stand in locally; Rabby's and DeBank's are on aws too
 * (as in the real outage that took both offline) and answer 503 while it lasts.
 *
 * Prints a timeline — what failed, when Lifeline noticed (its own timeline events), what served
 * each read (the endpoints' request logs and the page's redirects), when traffic returned — and
 * saves popup screenshots of the healthy, failover and recovered states to drill-output/.
 * Exits 1 if any dApp read failed while a healthy endpoint existed (here: always, gcp and the
 * decentralised endpoint never fail), 2 if the drill itself could not run.
 */
import type { Page, Worker } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startEvmNode } from '../e2e/fixtures/evm-node';
import { startRpcEndpoint, type FaultMode, type RpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { startDappServer } from '../e2e/fixtures/dapp-server';
import { evaluateWithTimeout } from '../e2e/fixtures/browser';
import { launchWithMockWallet } from '../e2e/fixtures/mock-wallet/index';
import { askLifeline, timeline } from '../e2e/fixtures/lifeline';
import { HEALTHY_SERVICE_REPLIES, SERVICE_PATHS, startServicesStandIn } from '../e2e/fixtures/services-standin';
import { validateUserConfig } from '../src/config/validate';
import { httpRead, walletRead, type ReadOutcome } from './control-page/demo';

const CHAIN = 1337;
const OUT = resolve(import.meta.dirname, '../drill-output');
/** How long the cloud stays dark, and the longest wait for traffic to return afterwards. */
const OUTAGE_MS = 15_000;
const RECOVERY_MAX_MS = 60_000;
const READ_GAP_MS = 400;

const t0 = Date.now();
const rel = (at: number) => `${((at - t0) / 1000).toFixed(1).padStart(6)} s`;
const say = (line: string) => console.log(`[drill ${rel(Date.now())}] ${line}`);

setTimeout(() => {
  console.error('[drill] did not finish within 150 s');
  process.exit(2);
}, 150_000).unref();

// ---- the scenario's endpoints -------------------------------------------------------------------
interface Member { endpoint: RpcEndpoint; cloud: 'aws' | 'gcp' | 'decentralised'; role: string; inLifeline: boolean }
const node = await startEvmNode({ chainId: CHAIN });
await node.mine(5);
const member = async (name: string, cloud: Member['cloud'], role: string, inLifeline: boolean): Promise<Member> => ({
  endpoint: await startRpcEndpoint({ upstream: node.url, name }), cloud, role, inLifeline,
});
const members = [
  await member('wallet-rpc', 'aws', "the mock wallet's own RPC", false),
  await member('dapp-rpc', 'aws', "the dApp's own RPC URL", false),
  await member('aws-node', 'aws', 'Lifeline endpoint, first in order', true),
  await member('gcp-node', 'gcp', 'Lifeline endpoint', true),
  await member('dweb-node', 'decentralised', 'Lifeline endpoint', true),
];
const byName = (name: string) => members.find((m) => m.endpoint.name === name)!.endpoint;
const walletRpc = byName('wallet-rpc');
const dappRpc = byName('dapp-rpc');
const nameOfUrl = (url: string | null | undefined) => members.find((m) => m.endpoint.url === url)?.endpoint.name ?? url ?? '?';
const dapp = await startDappServer();
// The services panel's APIs, standing in locally. Rabby's and DeBank's APIs run on the same cloud
// as the wallet's RPC (as in the AWS outage that took Rabby and DeBank offline): they go down too.
const services = await startServicesStandIn(HEALTHY_SERVICE_REPLIES);
const AWS_SERVICES = [SERVICE_PATHS['rabby.0'], SERVICE_PATHS['debank.0']];

say(`local EVM node (chain ${CHAIN}); endpoints:`);
for (const m of members) say(`  ${m.endpoint.name.padEnd(10)} ${m.cloud.padEnd(13)} ${m.endpoint.url}  ${m.role}`);
say(`  services   ${services.url}  stand-ins for the services panel; Rabby API and DeBank API on aws`);

// ---- browser: Lifeline + mock wallet, Lifeline configured through a validated document -----------
const launched = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url }, info: { name: 'Drill Wallet (mock)' } });
const worker = launched.browser.worker!;
const lifelineId = launched.browser.extensionId!;
const walletId = launched.wallet.id;
const lifelineMembers = members.filter((m) => m.inLifeline);
const config = {
  version: 1,
  endpoints: lifelineMembers.map((m) => ({ chainId: CHAIN, url: m.endpoint.url, label: m.endpoint.name })),
  infrastructure: Object.fromEntries(lifelineMembers.map((m) => [m.endpoint.url, m.cloud])),
};
const checked = validateUserConfig(config);
if (!checked.ok) throw new Error(`drill configuration is invalid: ${JSON.stringify(checked.errors)}`);
await evaluateWithTimeout(worker, (c) => chrome.storage.local.set({ userConfig: c }), 5_000, checked.config);
await services.pointLifelineAt(worker);
say(`Lifeline ${lifelineId} configured: ${lifelineMembers.map((m) => `${m.endpoint.name}=${m.cloud}`).join(', ')} (config "infrastructure" map)`);

const page = await launched.browser.context.newPage();
await page.goto(dapp.pageUrl());
const popup = await launched.browser.openPopup();
await popup.setViewportSize({ width: 420, height: 700 });

// ---- what happens, recorded --------------------------------------------------------------------
interface Read extends ReadOutcome { kind: 'wallet' | 'http'; start: number; end: number; servedBy: string[]; phase: string }
interface Mark { at: number; text: string }
const reads: Read[] = [];
const marks: Mark[] = [];
const mark = (text: string) => {
  marks.push({ at: Date.now(), text });
  say(text);
};
let phase = 'healthy';
let running = true;

const originOf = (origin: string | undefined) =>
  origin?.includes(lifelineId) ? 'lifeline' : origin?.includes(walletId) ? 'wallet' : origin === 'null' ? 'redirected page' : origin ? 'page' : 'node';

/** Which endpoints answered a wallet read: the wallet's own RPC, or Lifeline's relay (by Origin). */
function walletServedBy(start: number, end: number): string[] {
  const out: string[] = [];
  for (const m of members) {
    const hits = m.endpoint.requests.filter((r) => r.at >= start && r.at <= end + 20 && r.rpcMethods.includes('eth_getBalance'));
    // The page's own eth_getBalance polls (origin: the page, or null when redirected) are not the wallet's.
    const whos = new Map<string, string>();
    for (const r of hits) {
      const who = originOf(r.origin);
      if (who === 'wallet' || who === 'lifeline') whos.set(who, r.mode);
    }
    // The endpoint's mode when the request arrived (not now).
    for (const [who, mode] of whos) out.push(`${m.endpoint.name} (${who}${mode === 'healthy' ? '' : `, ${mode}`})`);
  }
  return out;
}

async function walletLoop(): Promise<void> {
  const account = node.accounts[0]!.address;
  while (running) {
    const start = Date.now();
    const r = await walletRead(page, 'eth_getBalance', [account, 'latest']);
    const end = Date.now();
    reads.push({ ...r, kind: 'wallet', start, end, servedBy: walletServedBy(start, end), phase });
    await new Promise((done) => setTimeout(done, READ_GAP_MS));
  }
}
/** Like a dApp's polling (viem: block number, balance, gas price at once): three reads per round. */
async function httpLoop(): Promise<void> {
  const account = node.accounts[1]!.address;
  const calls: Array<[string, unknown[]]> = [['eth_blockNumber', []], ['eth_getBalance', [account, 'latest']], ['eth_gasPrice', []]];
  while (running) {
    await Promise.all(
      calls.map(async ([method, params]) => {
        const start = Date.now();
        const r = await httpRead(page, dappRpc.url, method, params, { attempts: 4, timeoutMs: 5_000 });
        const end = Date.now();
        const servedBy = r.ok ? [`${nameOfUrl(r.servedUrl)}${r.redirected ? ' (redirected by Lifeline)' : ''}`] : [];
        reads.push({ ...r, kind: 'http', start, end, servedBy, phase });
      }),
    );
    await new Promise((done) => setTimeout(done, READ_GAP_MS));
  }
}

/** Waits until `done` holds for a read that started after `since`. */
async function until(what: string, since: number, done: (r: Read) => boolean, timeoutMs: number): Promise<Read | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = reads.find((r) => r.start >= since && done(r));
    if (hit) return hit;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  say(`gave up waiting for: ${what}`);
  return null;
}

async function screenshot(name: string, level: string | null): Promise<void> {
  await popup.reload();
  const line = popup.locator('.status-line');
  try {
    await line.waitFor({ timeout: 5_000 });
    // Probe now, as a user would: every endpoint and the services panel checked again (services
    // are otherwise checked every 5 minutes, longer than this drill), then the popup shows it.
    await askLifeline(popup, 'probeNow');
    await popup.reload();
    // The first frame may be the popup's own last view: wait for the worker's answer.
    await popup.locator('main[aria-busy="false"]').waitFor({ timeout: 5_000 });
    if (level) await popup.locator(`.status-line.level-${level}`).waitFor({ timeout: 8_000 }).catch(() => undefined);
  } catch {
    await popup.waitForLoadState('networkidle');
  }
  const file = resolve(OUT, `${name}.png`);
  await popup.screenshot({ path: file, fullPage: true });
  const text = (await line.textContent().catch(() => null))?.trim();
  mark(`popup screenshot ${name}.png${text ? `: "${text}"` : ' (no status line rendered)'}`);
}

// ---- the drill ----------------------------------------------------------------------------------
let exitCode = 0;
const problems: string[] = [];
await mkdir(OUT, { recursive: true });
const loops = Promise.all([walletLoop(), httpLoop()]);
try {
  const healthySince = Date.now();
  const h1 = await until('a healthy wallet read', healthySince, (r) => r.kind === 'wallet' && r.ok, 10_000);
  const h2 = await until('a healthy dApp RPC read', healthySince, (r) => r.kind === 'http' && r.ok && !r.redirected, 10_000);
  if (!h1 || !h2) throw new Error('the healthy baseline never formed');
  await screenshot('healthy', 'healthy');

  // The cloud goes dark.
  phase = 'outage';
  const hang: FaultMode = { kind: 'hang' };
  const aws = members.filter((m) => m.cloud === 'aws');
  await Promise.all(aws.map((m) => m.endpoint.setMode(hang)));
  for (const path of AWS_SERVICES) services.replies.set(path, { status: 503, body: 'Service Unavailable' });
  const failAt = Date.now();
  mark(`OUTAGE: every aws endpoint hangs (${aws.map((m) => m.endpoint.name).join(', ')}), Rabby API and DeBank API answer 503; gcp-node and dweb-node stay healthy`);
  const relayed = await until('a wallet read served by Lifeline', failAt, (r) => r.kind === 'wallet' && r.ok && r.servedBy.some((s) => s.includes('(lifeline')), 20_000);
  if (relayed) mark(`first wallet read served through Lifeline: ${relayed.servedBy.filter((s) => s.includes('(lifeline')).join(', ')} in ${relayed.ms} ms`);
  const redirected = await until('a redirected dApp RPC read', failAt, (r) => r.kind === 'http' && r.ok && r.redirected === true, 25_000);
  if (redirected) mark(`first dApp RPC read redirected by Lifeline to ${redirected.servedBy[0]} (${redirected.attempts} attempts, ${redirected.ms} ms)`);
  await screenshot('failover', 'failover');
  const remaining = failAt + OUTAGE_MS - Date.now();
  if (remaining > 0) await new Promise((done) => setTimeout(done, remaining));

  // The cloud comes back.
  phase = 'recovery';
  await Promise.all(aws.map((m) => m.endpoint.setMode({ kind: 'healthy' })));
  for (const path of AWS_SERVICES) services.replies.set(path, HEALTHY_SERVICE_REPLIES[path]!);
  const backAt = Date.now();
  mark('RECOVERY: every aws endpoint answers again');
  const walletBack = await until('a wallet read from its own RPC only', backAt, (r) => r.kind === 'wallet' && r.ok && r.servedBy.length > 0 && r.servedBy.every((s) => s.startsWith('wallet-rpc (wallet')), RECOVERY_MAX_MS);
  if (walletBack) mark(`wallet reads back on wallet-rpc alone (${walletBack.ms} ms)`);
  const httpBack = await until('a dApp RPC read not redirected', backAt, (r) => r.kind === 'http' && r.ok && r.redirected === false, RECOVERY_MAX_MS);
  if (httpBack) mark(`dApp RPC reads back on dapp-rpc itself (redirect removed)`);
  const awsNode = byName('aws-node');
  const awsNodeBack = awsNode.requests.find((r) => r.at >= backAt && originOf(r.origin) === 'lifeline');
  if (awsNodeBack) marks.push({ at: awsNodeBack.at, text: `Lifeline reached aws-node again (${awsNodeBack.rpcMethods.join(', ') || awsNodeBack.httpMethod})` });
  phase = 'recovered';
  await screenshot('recovered', 'healthy');
  if (!walletBack || !httpBack) problems.push('traffic did not return to the recovered endpoints');
} catch (error) {
  problems.push(`drill aborted: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
} finally {
  running = false;
  await loops.catch(() => undefined);
}

// ---- the timeline ------------------------------------------------------------------------------
const events = (await timeline(worker).catch(() => [])).filter((e) => e.at >= t0);
const lines: Array<{ at: number; text: string }> = [
  ...marks,
  ...events.map((e) => ({ at: e.at, text: `Lifeline ${e.kind}${e.from ? ` ${e.from}` : ''}${e.to ? ` → ${e.to}` : ''}${e.reason ? ` (${e.reason})` : ''}` })),
];
const failed = reads.filter((r) => !r.ok);
for (const r of failed) lines.push({ at: r.end, text: `READ FAILED: ${r.kind} read started ${rel(r.start)} (${r.phase}): ${r.error}` });
// Compress the reads: one line per change of who served them.
for (const kind of ['wallet', 'http'] as const) {
  let last = '';
  for (const r of reads.filter((x) => x.kind === kind && x.ok)) {
    const who = r.servedBy.join(' + ') || 'unknown';
    if (who !== last) lines.push({ at: r.start, text: `${kind === 'wallet' ? 'wallet reads' : 'dApp RPC reads'} now served by ${who} (${r.ms} ms${r.attempts > 1 ? `, ${r.attempts} attempts` : ''})` });
    last = who;
  }
}
lines.sort((a, b) => a.at - b.at);
const summary = ['healthy', 'outage', 'recovery', 'recovered'].map((p) => {
  const inPhase = reads.filter((r) => r.phase === p);
  const w = inPhase.filter((r) => r.kind === 'wallet');
  const h = inPhase.filter((r) => r.kind === 'http');
  const slowest = (xs: Read[]) => (xs.length ? Math.max(...xs.map((x) => x.ms)) : 0);
  return `${p.padEnd(9)} wallet reads ${w.filter((r) => r.ok).length}/${w.length} ok (slowest ${slowest(w)} ms), dApp RPC reads ${h.filter((r) => r.ok).length}/${h.length} ok (slowest ${slowest(h)} ms)`;
});

// gcp-node and dweb-node never fail in this drill, so a healthy endpoint existed for every read.
if (failed.length > 0) {
  problems.push(`${failed.length} dApp read(s) failed while healthy endpoints existed`);
  exitCode = Math.max(exitCode, 1);
}
if (problems.length > 0 && exitCode === 0) exitCode = 1;

const report = [
  'Lifeline drill: a cloud (aws) outage',
  '',
  'Timeline (seconds since start):',
  ...lines.map((l) => `  ${rel(l.at)}  ${l.text}`),
  '',
  'Reads per phase:',
  ...summary.map((s) => `  ${s}`),
  '',
  'Requests per endpoint (by origin):',
  ...members.map((m) => {
    const counts = new Map<string, number>();
    for (const r of m.endpoint.requests) if (r.httpMethod === 'POST') counts.set(originOf(r.origin), (counts.get(originOf(r.origin)) ?? 0) + 1);
    return `  ${m.endpoint.name.padEnd(10)} ${m.cloud.padEnd(13)} ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`;
  }),
  '',
  problems.length ? `RESULT: FAILED — ${problems.join('; ')}` : 'RESULT: passed — no dApp read failed while a healthy endpoint existed',
  `Screenshots and this report: ${OUT}`,
];
console.log(`\n${report.join('\n')}`);
await writeFile(resolve(OUT, 'timeline.txt'), `${report.join('\n')}\n`);
await writeFile(resolve(OUT, 'reads.json'), JSON.stringify({ t0, reads, marks, events }, null, 2));

await launched.close().catch(() => undefined);
await Promise.all([...members.map((m) => m.endpoint.close()), dapp.close(), services.close()]);
await node.close();
process.exit(exitCode);
