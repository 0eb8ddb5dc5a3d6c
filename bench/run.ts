/**
 * Engine benchmark (`npm run bench`): Lifeline's router vs viem `fallback` (defaults, and
 * `rank: true`) vs ethers v6 `FallbackProvider` (defaults) vs a single endpoint, side by side in one
 * process, against the same local fault-injecting endpoints in front of a real ganache chain.
 *
 * Per scenario: fresh clients are created while every endpoint is healthy and warmed up with the
 * same WARMUP reads; then the fault is switched on; after BURN_IN_MS of unmeasured load (so ranking
 * and breakers can adapt — except in `outage-start`, which measures exactly that adaptation), every
 * client gets REQUESTS reads (eth_blockNumber, eth_getBalance(latest), eth_call(latest) in turn),
 * issued at a fixed rate whatever the answers (open loop, like a dApp polling), clients interleaved.
 * Every answer is checked against the chain's true state at that moment (see `isWrong`).
 *
 * Writes bench/results.json (the shape bench/check.ts reads), bench/results-detail.json and
 * bench/RESULTS.md, prints a table, ratios and the checker's verdict.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CLIENT_NAMES, type BenchClient, type BenchEndpoint, type ClientName, type ClientSetup, READ_KINDS, type ReadKind, createClients } from './clients.ts';
import { type Results, type Verdict, checkResults, printVerdicts } from './check.ts';
import { type Command, type EndpointName, type ServerInfo, type TruthBlock, BLOCK_MS, CHAIN_ID, FALLBACK_EXTRA_MS, WRONG_CHAIN_ID } from './servers.ts';
import { formatMs, formatRatio, percentile, round } from './stats.ts';

/** Reads per client per scenario (measured). */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
/**
 * `healthy` compares clients at the millisecond level, where the p99 of 300 reads is the 4th-slowest
 * read and moves with a single stall every client shares; 1,000 reads make its p99 comparable.
 */
const HEALTHY_REQUESTS = Number(process.env.BENCH_HEALTHY_REQUESTS ?? 1_000);
/** One read per client every 25 ms (40/s per client), at a random moment within each interval. */
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 25);
/** Unmeasured load after the fault starts, before measuring (steady-state scenarios). */
const BURN_IN_MS = Number(process.env.BENCH_BURN_IN_MS ?? 6_000);
/** `outage-start` measures the reads issued in the first 10 s after the primary starts hanging. */
const OUTAGE_WINDOW_MS = 10_000;
/** The endpoints most scenarios give the clients, primary first. */
const DEFAULT_ENDPOINTS: readonly EndpointName[] = ['e0', 'e1', 'e2', 'e3'];
/** Warm-up reads per client (sequential, every kind), while all endpoints are healthy. */
const WARMUP = 6;
/** A read without an outcome after 30 s is a failure at 30 s (viem's hung default path is 10 s per
 *  transport; a single endpoint retries 3 times: ~40 s). */
const CAP_MS = 30_000;
/** An answer may be this many blocks behind the true head when the read was sent (e.g. a client's
 *  own short cache); more is a wrong answer. */
const TOLERANCE_BLOCKS = 1;

const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the server process -------------------------------------------------------------------------

const truth: TruthBlock[] = [];
const blockOfBalance = new Map<string, number>();
const addTruth = (block: TruthBlock) => {
  truth.push(block);
  blockOfBalance.set(BigInt(block.balance).toString(), block.block);
};

const child: ChildProcess = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx', ...(process.env.BENCH_CHILD_FLAGS ? process.env.BENCH_CHILD_FLAGS.split(' ') : [])],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextId = 1;
child.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: string; event?: string; block?: TruthBlock; message?: string }) => {
  if (message.event === 'block' && message.block) addTruth(message.block);
  else if (message.event === 'log') console.error(`[servers] ${message.message}`);
  else if (message.id !== undefined) {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(message.error));
  }
});
child.on('exit', (code) => {
  if (pending.size > 0) {
    console.error(`server process exited (${code}) with commands pending`);
    process.exit(1);
  }
});
function server<T = unknown>(command: Command): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    child.send({ id, ...command });
  });
}

// --- reads and their verdicts ---------------------------------------------------------------------

interface Sample {
  client: ClientName;
  kind: ReadKind;
  startedAt: number;
  endedAt: number;
  ms: number;
  ok: boolean;
  value?: bigint | null;
  error?: string;
  wrong?: boolean;
}

function timedRead(client: BenchClient, kind: ReadKind): Promise<Sample> {
  const startedAt = wallNow();
  const t0 = performance.now();
  return new Promise<Sample>((resolve) => {
    let settled = false;
    const settle = (partial: Pick<Sample, 'ok' | 'value' | 'error'>, ms = performance.now() - t0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ client: client.name, kind, startedAt, endedAt: startedAt + ms, ms, ...partial });
    };
    const timer = setTimeout(() => settle({ ok: false, error: `no outcome within ${CAP_MS / 1000} s (cap)` }, CAP_MS), CAP_MS);
    let started: Promise<bigint | null>;
    try {
      started = client.read(kind);
    } catch (error) {
      started = Promise.reject(error);
    }
    started.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error: oneLine(error) }),
    );
  });
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? (error as Error & { shortMessage?: string }).shortMessage ?? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}

/** Highest block confirmed by wall time t (it certainly existed then). */
function confirmedHeadAt(t: number): number {
  let head = -1;
  for (const b of truth) if (b.confirmedAt <= t && b.block > head) head = b.block;
  return head;
}
/** Highest block whose mining had started by wall time t (it may have existed then). */
function possibleHeadAt(t: number): number {
  let head = -1;
  for (const b of truth) if (b.startedAt <= t && b.block > head) head = b.block;
  return head;
}

/**
 * A wrong answer: a successful read whose answer does not describe the chain's state at any block
 * from (head when the read was sent − TOLERANCE_BLOCKS) to (head when the answer arrived):
 *   eth_blockNumber → the number itself;  eth_getBalance(latest) → the block after which the watched
 *   account had that balance (it changes every block; a balance it never had is wrong);
 *   eth_call(latest) → the block.number the contract returned (no contract there — another chain —
 *   is wrong).
 */
function isWrong(sample: Sample): boolean {
  if (!sample.ok) return false;
  const value = sample.value;
  if (value === null || value === undefined) return true;
  const block = sample.kind === 'balance' ? blockOfBalance.get(value.toString()) : Number(value);
  if (block === undefined) return true;
  return block < confirmedHeadAt(sample.startedAt) - TOLERANCE_BLOCKS || block > possibleHeadAt(sample.endedAt);
}

/** Small seeded PRNG (mulberry32), so every run uses the same arrival pattern. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20240611);

/**
 * Issues `count` reads per client: client k's read i goes out at a uniformly random moment within
 * the i-th interval, independently per client, so no client's reads systematically coincide with
 * another's (a fixed interleaving would always put the same client right behind, say, ethers'
 * batched pair of calls). Resolves once every read is issued, with their (pending) samples.
 */
async function issueLoad(clients: readonly BenchClient[], count: number, intervalMs: number): Promise<Promise<Sample>[]> {
  const plan: { due: number; client: BenchClient; kind: ReadKind }[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    for (const client of clients) plan.push({ due: t0 + (i + random()) * intervalMs, client, kind: READ_KINDS[i % READ_KINDS.length]! });
  }
  plan.sort((a, b) => a.due - b.due);
  const samples: Promise<Sample>[] = [];
  for (const { due, client, kind } of plan) {
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    samples.push(timedRead(client, kind));
  }
  return samples;
}

// --- scenarios ----------------------------------------------------------------------------------

interface Scenario {
  name: string;
  what: string;
  apply(): Promise<unknown>;
  burnInMs: number;
  intervalMs: number;
  /** Measured reads per client (default REQUESTS). */
  requests?: number;
  /** Endpoints the clients are given (default e0…e3, the primary first). */
  endpoints?: readonly EndpointName[];
}

const setMode = (name: EndpointName, mode: Extract<Command, { cmd: 'setMode' }>['args']['mode']) => server({ cmd: 'setMode', args: { name, mode } });

const SCENARIOS: Scenario[] = [
  { name: 'healthy', what: `all four endpoints working (the fallbacks answer ${FALLBACK_EXTRA_MS} ms after the primary, as always)`, apply: async () => undefined, burnInMs: BURN_IN_MS, intervalMs: INTERVAL_MS, requests: HEALTHY_REQUESTS },
  { name: 'primary-503', what: 'primary answers HTTP 503', apply: () => setMode('e0', { kind: 'http-error', status: 503 }), burnInMs: BURN_IN_MS, intervalMs: INTERVAL_MS },
  { name: 'primary-hang', what: 'primary accepts connections and never answers', apply: () => setMode('e0', { kind: 'hang' }), burnInMs: BURN_IN_MS, intervalMs: INTERVAL_MS },
  {
    name: 'outage-start',
    what: 'reads issued in the first 10 s after the primary starts hanging (no burn-in)',
    apply: () => setMode('e0', { kind: 'hang' }),
    burnInMs: 0,
    intervalMs: OUTAGE_WINDOW_MS / REQUESTS,
  },
  { name: 'primary-429', what: 'primary answers HTTP 429, Retry-After: 5', apply: () => setMode('e0', { kind: 'rate-limited', retryAfterSeconds: 5 }), burnInMs: BURN_IN_MS, intervalMs: INTERVAL_MS },
  { name: 'primary-stale', what: 'primary serves the chain 40 blocks behind the head', apply: () => setMode('e0', { kind: 'lagging', blocks: 40 }), burnInMs: BURN_IN_MS, intervalMs: INTERVAL_MS },
  {
    name: 'primary-wrong-chain',
    what: `primary's URL now served by a node of chain ${WRONG_CHAIN_ID} (real data of another chain)`,
    apply: () => server({ cmd: 'wrongChain' }),
    burnInMs: BURN_IN_MS,
    intervalMs: INTERVAL_MS,
  },
  {
    name: 'primary-flapping',
    what: 'primary toggles healthy ↔ hang every 1 s',
    apply: () => server({ cmd: 'flap', args: { name: 'e0', periodMs: 1_000, modes: [{ kind: 'hang' }, { kind: 'healthy' }] } }),
    burnInMs: BURN_IN_MS,
    intervalMs: INTERVAL_MS,
  },
  {
    name: 'broad-outage',
    what: 'seven endpoints, five fail at once (the primary, three defaults hang, one refuses connections; two on aws, two on gcp), two healthy defaults last in line; reads in the first 10 s',
    apply: () =>
      Promise.all([
        setMode('e0', { kind: 'hang' }),
        setMode('e1', { kind: 'hang' }),
        setMode('e2', { kind: 'hang' }),
        setMode('e3', { kind: 'refuse' }),
        setMode('e4', { kind: 'hang' }),
      ]),
    burnInMs: 0,
    intervalMs: OUTAGE_WINDOW_MS / REQUESTS,
    endpoints: ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'],
  },
  {
    name: 'infra-down',
    what: 'both endpoints tagged aws (primary and second) hang at once',
    apply: () => Promise.all([setMode('e0', { kind: 'hang' }), setMode('e1', { kind: 'hang' })]),
    burnInMs: BURN_IN_MS,
    intervalMs: INTERVAL_MS,
  },
];

interface CpuStats {
  cpuMs: number;
  at: number;
  loopMaxMs: number;
  loopP99Ms: number;
}
/**
 * Per scenario, while the load ran: CPU utilisation (0..1 of one core) of each process, the longest
 * event-loop stall in each (a stall delays every client's reads alike), and the machine's 1-minute
 * load average (other processes on the machine compete for the same cores).
 */
const cpuLoad: Record<string, { serverProcess: number; clientProcess: number; serverLoopMaxMs: number; clientLoopMaxMs: number; loadAverage: number }> = {};
const clientLoopDelay = monitorEventLoopDelay({ resolution: 10 });
clientLoopDelay.enable();

interface ClientSummary {
  success: number;
  wrong: number;
  p50: number;
  p99: number;
  p90: number;
  max: number;
  requests: number;
  /** JSON-RPC calls the client sent to endpoints per read (measured and burn-in together). */
  upstreamPerRead: number;
  /** JSON-RPC calls the client sent to each endpoint (warm-up, burn-in and measured reads; probes). */
  callsByEndpoint: Record<string, number>;
  errors: Record<string, number>;
}

function summarise(samples: readonly Sample[], callsByEndpoint: Record<string, number>, readsIssued: number): ClientSummary {
  const upstreamCalls = Object.values(callsByEndpoint).reduce((a, b) => a + b, 0);
  const latencies = samples.map((s) => s.ms);
  const errors: Record<string, number> = {};
  for (const s of samples) if (!s.ok) errors[s.error ?? 'error'] = (errors[s.error ?? 'error'] ?? 0) + 1;
  return {
    success: samples.filter((s) => s.ok).length / samples.length,
    wrong: samples.filter((s) => s.wrong).length,
    p50: round(percentile(latencies, 0.5), 2),
    p99: round(percentile(latencies, 0.99), 2),
    p90: round(percentile(latencies, 0.9), 2),
    max: round(Math.max(...latencies), 2),
    requests: samples.length,
    upstreamPerRead: round(upstreamCalls / readsIssued, 2),
    callsByEndpoint,
    errors,
  };
}

async function runScenario(scenario: Scenario, allEndpoints: readonly BenchEndpoint[], info: ServerInfo): Promise<Record<ClientName, ClientSummary>> {
  await server({ cmd: 'reset' });
  await server({ cmd: 'ticker', args: { on: true } });
  const names = scenario.endpoints ?? DEFAULT_ENDPOINTS;
  const endpoints = names.map((name) => allEndpoints.find((e) => e.name === name)!);
  const setup: ClientSetup = { chainId: CHAIN_ID, endpoints, watched: info.watched, contract: info.contract };
  const clients = await createClients(setup);
  // Warm-up, every client alike: WARMUP sequential reads of every kind, all endpoints healthy.
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < WARMUP; i++) await timedRead(client, READ_KINDS[i % READ_KINDS.length]!);
    }),
  );
  await scenario.apply();
  const cpuBefore = await server<CpuStats>({ cmd: 'cpu' });
  const mainCpuBefore = process.cpuUsage();
  const loadBefore = loadavg()[0]!;
  clientLoopDelay.reset();
  const burnIn = scenario.burnInMs > 0 ? await issueLoad(clients, Math.round(scenario.burnInMs / scenario.intervalMs), scenario.intervalMs) : [];
  const requests = scenario.requests ?? REQUESTS;
  const measured = await issueLoad(clients, requests, scenario.intervalMs);
  const samples = await Promise.all(measured);
  await Promise.all(burnIn);
  const cpuAfter = await server<CpuStats>({ cmd: 'cpu' });
  const mainCpu = process.cpuUsage(mainCpuBefore);
  cpuLoad[scenario.name] = {
    serverProcess: round((cpuAfter.cpuMs - cpuBefore.cpuMs) / (cpuAfter.at - cpuBefore.at), 2),
    clientProcess: round((mainCpu.user + mainCpu.system) / 1000 / (cpuAfter.at - cpuBefore.at), 2),
    serverLoopMaxMs: round(cpuAfter.loopMaxMs, 0),
    clientLoopMaxMs: round(clientLoopDelay.max / 1e6, 0),
    loadAverage: round(Math.max(loadBefore, loadavg()[0]!), 1),
  };
  await Promise.all(clients.map((c) => c.close()));
  const counts = await server<Record<string, Record<string, number>>>({ cmd: 'counts' });
  await server({ cmd: 'ticker', args: { on: false } }); // every block mined so far has been reported
  for (const sample of samples) sample.wrong = isWrong(sample);
  if (process.env.BENCH_DUMP) {
    // Investigation aid: every measured read with its verdict and the true head range it was judged against.
    const dump = samples.map((s) => ({ ...s, value: s.value?.toString(), lo: confirmedHeadAt(s.startedAt) - TOLERANCE_BLOCKS, hi: possibleHeadAt(s.endedAt), balanceBlock: s.kind === 'balance' && s.value != null ? blockOfBalance.get(s.value.toString()) : undefined }));
    writeFileSync(`${process.env.BENCH_DUMP}.${scenario.name}.json`, JSON.stringify(dump));
    writeFileSync(`${process.env.BENCH_DUMP}.truth.json`, JSON.stringify(truth));
  }

  const readsIssued = WARMUP + burnIn.length / clients.length + requests;
  const result = {} as Record<ClientName, ClientSummary>;
  for (const name of CLIENT_NAMES) {
    const callsByEndpoint = Object.fromEntries(Object.entries(counts).map(([endpoint, byPath]) => [endpoint, byPath[`/${name}`] ?? 0]));
    result[name] = summarise(
      samples.filter((s) => s.client === name),
      callsByEndpoint,
      readsIssued,
    );
  }
  return result;
}

// --- reporting ------------------------------------------------------------------------------------

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} with uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(fileURLToPath(new URL(`../node_modules/${pkg}/package.json`, import.meta.url)), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const pct = (x: number) => `${(x * 100).toFixed(x === 1 ? 0 : 1)} %`;

function scenarioTable(name: string, rows: Record<ClientName, ClientSummary>, markdown: boolean): string {
  const header = ['client', 'success', 'wrong', 'p50', 'p99', 'p90', 'max', 'calls/read'];
  const lines = CLIENT_NAMES.map((c) => {
    const r = rows[c];
    return [c, pct(r.success), String(r.wrong), formatMs(r.p50), formatMs(r.p99), formatMs(r.p90), formatMs(r.max), r.upstreamPerRead.toFixed(2)];
  });
  if (markdown) {
    return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [`${name}`, fmt(header), ...lines.map(fmt)].join('\n');
}

/** One line per scenario, one cell per client: "p50 / p99", and success and wrong answers when not perfect. */
function summaryTable(markdown: boolean): string {
  const header = ['scenario', ...CLIENT_NAMES];
  const cell = (r: ClientSummary) => {
    const flags = [r.success < 1 ? `${pct(r.success)} ok` : '', r.wrong > 0 ? `${r.wrong} wrong` : ''].filter(Boolean).join(', ');
    return `${formatMs(r.p50)} / ${formatMs(r.p99)}${flags ? ` (${flags})` : ''}`;
  };
  const lines = Object.entries(all).map(([name, rows]) => [name, ...CLIENT_NAMES.map((c) => cell(rows[c]))]);
  if (markdown) {
    return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [fmt(header), ...lines.map(fmt)].join('\n');
}

function ratioLines(name: string, rows: Record<ClientName, ClientSummary>): string[] {
  const l = rows.lifeline;
  return (['viem-fallback', 'viem-fallback-rank', 'ethers-fallback', 'single'] as const).map(
    (peer) => `${name} p99: lifeline ${formatMs(l.p99)}, ${peer} ${formatMs(rows[peer].p99)} (${formatRatio(rows[peer].p99 / l.p99)})`,
  );
}

function errorLines(name: string, rows: Record<ClientName, ClientSummary>): string[] {
  const out: string[] = [];
  for (const c of CLIENT_NAMES) {
    for (const [error, n] of Object.entries(rows[c].errors).sort((a, b) => b[1] - a[1]).slice(0, 3)) out.push(`${name} / ${c}: ${n}× ${error}`);
  }
  return out;
}

function environmentLine(load: (typeof cpuLoad)[string]): string {
  return `CPU servers ${pct(load.serverProcess)}, clients ${pct(load.clientProcess)} of a core; longest stall servers ${load.serverLoopMaxMs} ms, clients ${load.clientLoopMaxMs} ms; load average ${load.loadAverage} on ${cpus().length} cores`;
}

function methodText(): string {
  return `## Method

**Servers** (bench/servers.ts, a separate Node process so that ganache's CPU time never shares an event loop with the clients being measured): two ganache chains, ${CHAIN_ID} (the real one) and ${WRONG_CHAIN_ID} (another chain), and four fault-injecting JSON-RPC endpoints (e2e/fixtures/rpc-endpoint.ts) in front of chain ${CHAIN_ID} on 127.0.0.1: e0 = the primary (tagged aws), e1 (aws), e2 (gcp), e3 (cloudflare). The fallbacks e1–e3 always answer ${FALLBACK_EXTRA_MS} ms later than e0 (like public RPCs farther away than a wallet's own), so the primary is also the fastest and clients that rank by latency (viem \`rank\`, Lifeline's score) start on it too, rather than on whichever of four identical local endpoints happened to measure best. Every client gets [e0, e1, e2, e3] in this order; each uses its own URL path so the endpoints can count every client's calls (the path changes nothing else). A block is mined every ${BLOCK_MS / 1000} s, each a transfer to a watched account, so that account's balance differs after every block; 60 blocks exist before the first scenario. ${BLOCK_MS / 1000} s is the block time the engine assumes for a chain id it has no figure for, i.e. the engine knows the true block time, as it does for every registered chain.

**Clients** (bench/clients.ts), library defaults unless stated:
- \`lifeline\`: \`createEngine\` with the real fetch transport and the default policy; e0 is the user's endpoint (\`source: 'user'\`, Lifeline's only notion of "primary first": user endpoints rank first), e1–e3 registry defaults with their infrastructure tags. Like the extension's worker it runs \`probeChain\` once when created and then whenever \`chainsDueForProbe\` says so (checked every second; every 30 s for a chain in use). Its probes count in its calls/read.
- \`viem-fallback\`: viem \`fallback([http(e0) … http(e3)])\` (10 s timeout per transport, 3 retries of the whole fallback). Reads use \`client.request\` (raw JSON-RPC), since viem's actions add their own 4 s block-number cache and this compares transports.
- \`viem-fallback-rank\`: the same with \`rank: true\` (pings every transport with \`net_listening\` every 4 s, 1 s ping timeout, last 10 samples, 0.7 stability / 0.3 latency). The default ping is passed explicitly only so that a finished client stops pinging; while in use it is the same call.
- \`ethers-fallback\`: ethers \`new FallbackProvider([new JsonRpcProvider(e0) …])\`: quorum ceil(4/2) = 2, stallTimeout 400 ms, equal priority (so endpoints are picked in random order), 250 ms result cache, 10 ms batching and network detection in each JsonRpcProvider. Reads: \`getBlockNumber\`, \`getBalance(address, 'latest')\`, \`call({ to, data, blockTag: 'latest' })\`.
- \`single\`: viem \`http(e0)\` alone (10 s timeout, 3 retries with back-off): what a wallet with one RPC URL does.

**Per scenario**: every endpoint is reset to working (dropping connections still hung from the previous scenario); fresh clients are created and warmed up alike with ${WARMUP} sequential reads of every kind while everything works; the fault is switched on; then, except in \`outage-start\`, ${BURN_IN_MS / 1000} s of unmeasured load at the same rate let ranking, breakers and caches settle (steady state); then each client issues ${REQUESTS} measured reads (${HEALTHY_REQUESTS} in \`healthy\`, whose comparisons are at the millisecond level: there the p99 of ${REQUESTS} reads is the ${REQUESTS - Math.ceil(REQUESTS * 0.99) + 1}th-slowest read and moves with a single stall every client shares), eth_blockNumber, eth_getBalance(watched, latest) and eth_call(latest) to a contract returning block.number, in turn. Reads are open-loop — one per client every ${INTERVAL_MS} ms (${Math.round(1000 / INTERVAL_MS)}/s per client; \`outage-start\`: ${REQUESTS} reads over the first ${OUTAGE_WINDOW_MS / 1000} s after the primary starts hanging), each at a uniformly random (seeded) moment within its interval — so a slow answer never delays the next read, and all five clients run interleaved in the same time window and meet the same faults at the same moments.

**Faults**: \`primary-503\` HTTP 503; \`primary-hang\` / \`outage-start\` connection accepted, never answered; \`primary-429\` HTTP 429 with Retry-After 5 s and a -32005 body; \`primary-stale\` every answer as of the head − 40 blocks (eth_blockNumber, latest state, calls); \`primary-wrong-chain\` e0's port is taken over by an endpoint in front of chain ${WRONG_CHAIN_ID}, so the same URL serves another chain's real blocks, balances and (missing) code; \`primary-flapping\` e0 alternates hang and healthy every second (a request is served in the mode it arrived in); \`infra-down\` e0 and e1, the two endpoints tagged aws, hang together; \`broad-outage\` gives every client seven endpoints (e0, e1 on aws, e2, e4 on gcp, e3 cloudflare, e5 hetzner, e6 ovh) and then e0, e1, e2, e4 hang and e3 refuses connections at once, so only the last two in every client's order still answer (measured like \`outage-start\`: the reads of the first ${OUTAGE_WINDOW_MS / 1000} s, no burn-in; ethers' quorum of 4 out of 7 cannot be met with two answering providers).

**Measures**: *success* = the read got an answer (not an error) within the ${CAP_MS / 1000} s cap — a read with no outcome by then is a failure at ${CAP_MS / 1000} s, which bounds viem's hung default path (10 s per transport; 3 retries of a single endpoint ≈ 40 s). *Wrong* = a successful read whose answer does not describe the chain ${CHAIN_ID} at any block from (the head confirmed when the read was sent − ${TOLERANCE_BLOCKS}) to (the head being mined when the answer arrived): eth_blockNumber by its value; eth_getBalance by the block after which the watched account had exactly that balance (a balance it never had — e.g. another chain's — is wrong); eth_call by the block.number the contract returned (no contract at that address, i.e. another chain, is wrong). The ${TOLERANCE_BLOCKS}-block slack forgives a client's own short cache; a block number above the true head is wrong too. *p50/p99* = nearest-rank percentiles over all measured reads of the client, failures included at their time to failure. *calls/read* = JSON-RPC calls the client made to the endpoints (warm-up and burn-in included) per read.

**Limits**: loopback has no network round trip, so absolute latencies are ganache's (≈ 1–5 ms per read) and a fault costs what the client's own timers make it cost. Healthy-read p99 is dominated by stalls shared by every client (ganache, garbage collection, other processes on this shared machine: each scenario's table shows its CPU use, longest event-loop stall and the machine's load average); comparisons within a run are fair, absolute values move between runs. Peers run at their defaults, not tuned: e.g. viem with \`retryCount: 0\` and a short \`timeout\`, or ethers with \`quorum: 1\`, behave differently.

**Peer behaviour behind the numbers** (read from their source, node_modules):
- viem \`fallback\` always starts at the first transport and moves on only after that transport's error — for a hang, its full 10 s timeout — on every read; it never reorders without \`rank\`. With \`rank: true\` the order follows ping samples taken every 4 s, so a hang that starts between pings is only noticed after the next ping times out and the scores are recomputed; until then every read waits the 10 s timeout. The ping (\`net_listening\`) succeeds on a stale or wrong-chain node and on a flapping one between its hangs, so such an endpoint stays first (here the primary is also the fastest). Neither variant checks chain id or lag: a stale or wrong-chain endpoint's answers are returned as they are.
- ethers \`FallbackProvider\` asks 2 random providers (quorum 2), adds one more when a provider errs or stalls 400 ms, and waits for 2 matching answers; a hung provider in the first pair costs the 400 ms stall. For eth_blockNumber its \`getFuzzyMode\` counts every answer n as a vote for n−1, n and n+1 and breaks ties toward the larger value, so when the providers agree on n it returns n + 1, a block that does not exist yet — counted as wrong above (ethers v${version('ethers')}, provider-fallback.js; its 250 ms cache returns the same value meanwhile). The same function also calls \`getNumber\` on error results: when one provider of the round answered eth_blockNumber with an error (503, 429), the read fails with "invalid numeric value" although the others answered. With only two providers answering (\`infra-down\`), a block that lands between their two answers (the second often starts after the 400 ms stall) makes them disagree; no quorum is possible and ethers waits on the hung providers, whose JsonRpcProvider request timeout is 5 minutes, so those reads hit the cap.
- \`single\` shows what the fault costs with no fail-over at all.

**Found by this benchmark**: the first runs of \`outage-start\` (with the primary as Lifeline's user endpoint) showed Lifeline failing a large share of reads for several seconds with "retry budget exhausted". Cause: when a hedge won, the router aborted the overtaken attempt without recording anything, so a hung preferred endpoint was never charged and stayed first in line; every read paid the hedge delay and drew on the retry budget (20 % of reads + 1/s), which ran dry within a second at this read rate, after which reads waited the 4 s attempt timeout and could not fail over. Fix (src/router/read.ts, with a test in src/router/router.test.ts): an attempt that stayed silent past its hedge delay while another endpoint answered is charged a timeout, so three such reads open its breaker and later reads go straight to a working endpoint. The \`lifeline\` numbers above include this fix. Lifeline's own probe at start (\`probeChain\`, as the extension's worker does) is part of the client, and counted in its calls.`;
}

// --- main -----------------------------------------------------------------------------------------

const benchStarted = performance.now();
const info = await server<ServerInfo>({ cmd: 'init' });
for (const block of info.truth) addTruth(block);
const endpoints: BenchEndpoint[] = [
  { url: info.endpoints.e0, name: 'e0', infrastructure: 'aws' },
  { url: info.endpoints.e1, name: 'e1', infrastructure: 'aws' },
  { url: info.endpoints.e2, name: 'e2', infrastructure: 'gcp' },
  { url: info.endpoints.e3, name: 'e3', infrastructure: 'cloudflare' },
  { url: info.endpoints.e4, name: 'e4', infrastructure: 'gcp' },
  { url: info.endpoints.e5, name: 'e5', infrastructure: 'hetzner' },
  { url: info.endpoints.e6, name: 'e6', infrastructure: 'ovh' },
];
const only = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());
const all: Record<string, Record<ClientName, ClientSummary>> = {};
for (const scenario of SCENARIOS) {
  if (only && !only.includes(scenario.name)) continue;
  const started = performance.now();
  const rows = await runScenario(scenario, endpoints, info);
  all[scenario.name] = rows;
  const load = cpuLoad[scenario.name]!;
  console.log(`\n${scenarioTable(`${scenario.name} — ${scenario.what} (${((performance.now() - started) / 1000).toFixed(1)} s; ${environmentLine(load)})`, rows, false)}`);
}
const runtimeS = (performance.now() - benchStarted) / 1000;
await server({ cmd: 'close' }).catch(() => undefined);
child.disconnect();

const results: Results = {
  scenarios: Object.fromEntries(
    Object.entries(all).map(([s, rows]) => [s, Object.fromEntries(CLIENT_NAMES.map((c) => [c, { success: round(rows[c].success, 4), wrong: rows[c].wrong, p50: rows[c].p50, p99: rows[c].p99 }]))]),
  ),
};
const verdicts: Verdict[] = checkResults(results);
const ratios = Object.entries(all).flatMap(([s, rows]) => ratioLines(s, rows));
const errors = Object.entries(all).flatMap(([s, rows]) => errorLines(s, rows));

console.log('\nSummary: p50 / p99 per client (success and wrong answers shown when not 100 % / 0):');
console.log(summaryTable(false));
const busy = Object.entries(cpuLoad).filter(([, load]) => load.loadAverage > cpus().length);
if (busy.length > 0) console.log(`\nNote: the machine was busy (load average above ${cpus().length}) during ${busy.map(([s]) => s).join(', ')}; those numbers are noisier.`);
console.log('\nRatios (peer p99 / lifeline p99):');
for (const line of ratios) console.log(`  ${line}`);
console.log('\nMost frequent failures:');
for (const line of errors) console.log(`  ${line}`);
console.log('\nTargets (bench/check.ts):');
printVerdicts(verdicts);
console.log(`\nbench runtime ${runtimeS.toFixed(0)} s`);

const machine = {
  cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  os: `${osType()} ${release()}`,
  node: process.version,
};
const lifelineVersion = (JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const versions = { viem: version('viem'), ethers: version('ethers'), ganache: version('ganache'), lifeline: lifelineVersion, commit: gitCommit() };
const date = new Date().toISOString();

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(
  new URL('./results-detail.json', import.meta.url),
  `${JSON.stringify({ date, machine, versions, runtimeS: round(runtimeS, 1), config: { REQUESTS, HEALTHY_REQUESTS, INTERVAL_MS, BURN_IN_MS, OUTAGE_WINDOW_MS, WARMUP, CAP_MS, TOLERANCE_BLOCKS, BLOCK_MS }, environment: cpuLoad, scenarios: all, verdicts }, null, 2)}\n`,
);

const md: string[] = [];
md.push('# Engine benchmark: Lifeline vs viem fallback vs ethers FallbackProvider vs a single endpoint');
md.push('');
md.push(`Generated by \`npm run bench\` (bench/run.ts) on ${date}; the whole run took ${runtimeS.toFixed(0)} s. Nothing in this file is written by hand except the method text: every number comes from that run (raw: bench/results.json, bench/results-detail.json).`);
md.push('');
md.push(`- Machine: ${machine.cpu}, ${machine.memory}, ${machine.os}, Node ${machine.node}`);
md.push(`- Versions: viem ${versions.viem}, ethers ${versions.ethers}, ganache ${versions.ganache}, Lifeline engine ${versions.lifeline} (src/ at commit ${versions.commit})`);
md.push('');
md.push('## Targets (bench/check.ts)');
md.push('');
for (const v of verdicts) md.push(`- **${v.pass ? 'PASS' : 'FAIL'}** ${v.target} — ${v.detail}`);
md.push('');
md.push('## Summary');
md.push('');
md.push(`p50 / p99 of the measured reads per client and scenario (${HEALTHY_REQUESTS} in healthy, ${REQUESTS} elsewhere); success rate and wrong answers are shown when not 100 % and 0.`);
md.push('');
md.push(summaryTable(true));
md.push('');
if (busy.length > 0) {
  md.push(`Note: other processes kept this shared machine busy (1-minute load average above its ${cpus().length} cores) during ${busy.map(([s]) => s).join(', ')}; those numbers are noisier than the rest.`);
  md.push('');
}
md.push('## Results');
md.push('');
md.push(`Success = reads that got an answer within the ${CAP_MS / 1000} s cap (wrong answers included, and counted separately). Latency percentiles are over all measured reads per client (${HEALTHY_REQUESTS} in healthy, ${REQUESTS} elsewhere), failures at their time to failure (a capped read counts as ${CAP_MS / 1000} s). calls/read = JSON-RPC calls the client sent to the endpoints per read (burn-in and warm-up included; Lifeline's probes included).`);
for (const scenario of SCENARIOS) {
  const rows = all[scenario.name];
  if (!rows) continue;
  md.push('');
  md.push(`### ${scenario.name}`);
  md.push('');
  md.push(`${scenario.what}. Environment while it ran: ${environmentLine(cpuLoad[scenario.name]!)}.`);
  md.push('');
  md.push(scenarioTable(scenario.name, rows, true));
}
md.push('');
md.push('## Ratios (peer p99 ÷ Lifeline p99, same run)');
md.push('');
for (const line of ratios) md.push(`- ${line}`);
md.push('');
md.push('## Most frequent failures per client');
md.push('');
md.push(errors.length ? errors.map((e) => `- ${e}`).join('\n') : '- none');
md.push('');
md.push(methodText());
md.push('');
writeFileSync(new URL('./RESULTS.md', import.meta.url), `${md.join('\n')}\n`);

process.exit(0);
