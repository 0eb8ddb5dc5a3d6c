/**
 * `npm run registry:check`: probes every default endpoint (or those of `--registry <file.json>`)
 * and prints which are dead, serve the wrong chain, refuse CORS, lag behind the chain's best
 * head, or are slow. Exit code 1 when any endpoint is dead or on the wrong chain, so CI and
 * maintainers notice registry rot (Chainlist keeps listing dead endpoints for months).
 *
 * CORS matters because a page's request redirected to a fallback by declarativeNetRequest reaches
 * it with `Origin: null` after a preflight: the fallback must answer
 * Access-Control-Allow-Origin `*` or `null`, or the page sees a network error.
 *
 * Everything is exported and takes an injected fetch, so scripts/registry-check.test.ts runs it
 * against local servers.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { getChain, lagToleranceBlocksFor } from '../src/registry/chains.ts';
import { DEFAULT_ENDPOINTS } from '../src/registry/defaults.ts';
import { maskUrlSecrets } from '../src/registry/primaries.ts';
import { mapWithLimit } from '../src/health/probe-schedule.ts';

export interface CheckTarget {
  id: string;
  chainId: number;
  url: string;
  provider?: string;
  /** Off by default in the registry (tracking); still checked, shown as such. */
  enabled?: boolean;
}

export interface CorsResult {
  ok: boolean;
  /** Why not, e.g. "preflight: no Access-Control-Allow-Origin". */
  detail?: string;
}

export interface ProbeResult {
  target: CheckTarget;
  /** Set when the endpoint could not be used at all: network error, timeout, HTTP error, bad body. */
  error?: string;
  /** 'network' = never got an HTTP answer (DNS, connect, timeout); 'answer' = got a bad one. */
  errorKind?: 'network' | 'answer';
  /** Not probed: the offline shortcut concluded there is no network. */
  skipped?: boolean;
  chainId?: number;
  blockNumber?: number;
  /** Round trip of eth_blockNumber (a warm connection after eth_chainId). */
  latencyMs?: number;
  cors?: CorsResult;
}

export type CheckStatus = 'dead' | 'wrong-chain' | 'no-cors' | 'lagging' | 'slow' | 'ok';

export interface CheckResult extends ProbeResult {
  status: CheckStatus;
  /** Blocks behind the chain's best head (negative = ahead). */
  lagBlocks?: number;
  /** Every problem found, including ones less severe than `status`. */
  notes: string[];
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface CheckOptions {
  fetch?: FetchFn;
  /** Per request. Short by default so an offline run ends in seconds. */
  timeoutMs?: number;
  concurrency?: number;
  /** eth_blockNumber slower than this is "slow" (the engine's health.slowP95Ms is 2 s too). */
  slowMs?: number;
  /** Lag tolerance in Ethereum blocks, scaled per chain by block time (3: the engine's default). */
  lagReferenceBlocks?: number;
  now?: () => number;
  /**
   * First probe a few endpoints of distinct providers; when every one fails at the network level
   * the machine is offline, and the rest are reported without probing (default true). Keeps an
   * offline run to one timeout instead of many.
   */
  offlineShortcut?: boolean;
}

export const DEFAULT_CHECK_OPTIONS = {
  timeoutMs: 3_000,
  concurrency: 16,
  slowMs: 2_000,
  lagReferenceBlocks: 3,
} as const;

/** Severity order: the worst problem becomes the status. */
const SEVERITY: readonly CheckStatus[] = ['dead', 'wrong-chain', 'no-cors', 'lagging', 'slow', 'ok'];

/** An answer that came back but is unusable (HTTP error, not JSON-RPC, JSON-RPC error). */
class ProbeError extends Error {}

/** Failures that mean "no HTTP answer at all": what an offline machine produces. */
const NETWORK_CODES = new Set([
  'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ECONNREFUSED', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function isNetworkError(err: unknown): boolean {
  if (err instanceof ProbeError || !(err instanceof Error)) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return err instanceof TypeError || (typeof code === 'string' && NETWORK_CODES.has(code));
}

function errorText(err: unknown, timeoutMs: number): string {
  if (err instanceof ProbeError) return err.message;
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
    // Node's fetch hides the useful part (ENOTFOUND, ECONNREFUSED…) in `cause`.
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
    }
    return err.message;
  }
  return String(err);
}

function quantity(value: unknown, what: string): number {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,15}$/.test(value)) return Number.parseInt(value, 16);
  throw new ProbeError(`${what} returned ${JSON.stringify(value)?.slice(0, 60)}, not a hex quantity`);
}

const corsAllowsAnyOrigin = (h: Headers) => {
  const v = h.get('access-control-allow-origin')?.trim();
  return v === '*' || v === 'null';
};

async function rpc(
  fetchFn: FetchFn,
  url: string,
  method: string,
  id: number,
  timeoutMs: number,
): Promise<{ result: unknown; headers: Headers }> {
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'null' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new ProbeError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} to ${method}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProbeError(`${method}: answer is not JSON (${JSON.stringify(text.slice(0, 40))})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ProbeError(`${method}: not a JSON-RPC answer`);
  const b = body as { error?: { code?: unknown; message?: unknown }; result?: unknown; id?: unknown };
  if (b.error) throw new ProbeError(`${method}: JSON-RPC error ${String(b.error.code)} ${String(b.error.message ?? '')}`.trim());
  if (b.id !== id) throw new ProbeError(`${method}: answer has id ${JSON.stringify(b.id)}, expected ${id}`);
  if (!('result' in b)) throw new ProbeError(`${method}: JSON-RPC answer without result`);
  return { result: b.result, headers: res.headers };
}

async function preflight(fetchFn: FetchFn, url: string, timeoutMs: number): Promise<CorsResult> {
  try {
    const res = await fetchFn(url, {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) return { ok: false, detail: `preflight answered HTTP ${res.status}` };
    if (!corsAllowsAnyOrigin(res.headers)) return { ok: false, detail: 'preflight lacks Access-Control-Allow-Origin * or null' };
    const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    // content-type: application/json is not a "simple" header, so the browser needs it allowed.
    if (!allowHeaders.split(',').some((h) => ['*', 'content-type'].includes(h.trim()))) {
      return { ok: false, detail: 'preflight does not allow the content-type header' };
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `preflight failed: ${errorText(err, timeoutMs)}` };
  }
}

/** Probes one endpoint: eth_chainId, then eth_blockNumber and the CORS preflight in parallel. */
export async function probeEndpoint(target: CheckTarget, options: CheckOptions = {}): Promise<ProbeResult> {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_OPTIONS.timeoutMs;
  const now = options.now ?? (() => performance.now());
  const out: ProbeResult = { target };
  try {
    const first = await rpc(fetchFn, target.url, 'eth_chainId', 1, timeoutMs);
    out.chainId = quantity(first.result, 'eth_chainId');
    const postCors = corsAllowsAnyOrigin(first.headers);
    const [head, pre] = await Promise.all([
      (async () => {
        const t0 = now();
        const r = await rpc(fetchFn, target.url, 'eth_blockNumber', 2, timeoutMs);
        return { block: quantity(r.result, 'eth_blockNumber'), ms: now() - t0 };
      })(),
      preflight(fetchFn, target.url, timeoutMs),
    ]);
    out.blockNumber = head.block;
    out.latencyMs = Math.round(head.ms);
    out.cors = !pre.ok ? pre : postCors ? { ok: true } : { ok: false, detail: 'POST answer lacks Access-Control-Allow-Origin * or null' };
  } catch (err) {
    out.error = errorText(err, timeoutMs);
    out.errorKind = isNetworkError(err) ? 'network' : 'answer';
  }
  return out;
}

/**
 * The chain's best head: the highest block that another endpoint corroborates within tolerance,
 * so one endpoint reporting a bogus far-future block cannot make all the others look behind.
 * With a single reporter, its head is the best.
 */
export function bestHead(blocks: readonly number[], tolerance: number): number | undefined {
  if (blocks.length === 0) return undefined;
  const sorted = [...blocks].sort((a, b) => b - a);
  if (sorted.length === 1) return sorted[0];
  for (let i = 0; i < sorted.length; i++) {
    const h = sorted[i] as number;
    if (sorted.some((o, j) => j !== i && Math.abs(o - h) <= tolerance)) return h;
  }
  return sorted[0];
}

/** Turns probe results into statuses; pure, so thresholds are unit-testable. */
export function classify(probes: readonly ProbeResult[], options: CheckOptions = {}): CheckResult[] {
  const slowMs = options.slowMs ?? DEFAULT_CHECK_OPTIONS.slowMs;
  const refBlocks = options.lagReferenceBlocks ?? DEFAULT_CHECK_OPTIONS.lagReferenceBlocks;

  const heads = new Map<number, number[]>();
  for (const p of probes) {
    if (p.error === undefined && p.blockNumber !== undefined && p.chainId === p.target.chainId) {
      const list = heads.get(p.target.chainId) ?? [];
      list.push(p.blockNumber);
      heads.set(p.target.chainId, list);
    }
  }
  const best = new Map<number, number>();
  for (const [chainId, blocks] of heads) {
    const b = bestHead(blocks, lagToleranceBlocksFor(chainId, refBlocks));
    if (b !== undefined) best.set(chainId, b);
  }

  return probes.map((p) => {
    const notes: string[] = [];
    const found = new Set<CheckStatus>();
    const result: CheckResult = { ...p, status: 'ok', notes };
    if (p.error !== undefined) {
      found.add('dead');
      notes.push(p.error);
    } else {
      if (p.chainId !== p.target.chainId) {
        found.add('wrong-chain');
        notes.push(`serves chain ${p.chainId ?? '?'}, expected ${p.target.chainId}`);
      }
      if (p.cors && !p.cors.ok) {
        found.add('no-cors');
        notes.push(p.cors.detail ?? 'CORS refused');
      }
      const head = best.get(p.target.chainId);
      if (head !== undefined && p.blockNumber !== undefined && p.chainId === p.target.chainId) {
        const tolerance = lagToleranceBlocksFor(p.target.chainId, refBlocks);
        result.lagBlocks = head - p.blockNumber;
        if (result.lagBlocks > tolerance) {
          found.add('lagging');
          notes.push(`${result.lagBlocks} blocks behind the best head ${head} (tolerance ${tolerance})`);
        } else if (-result.lagBlocks > tolerance) {
          found.add('lagging');
          notes.push(`${-result.lagBlocks} blocks ahead of every other endpoint (head ${head}); not corroborated`);
        }
      }
      if (p.latencyMs !== undefined && p.latencyMs > slowMs) {
        found.add('slow');
        notes.push(`eth_blockNumber took ${p.latencyMs} ms (> ${slowMs} ms)`);
      }
    }
    result.status = SEVERITY.find((s) => found.has(s)) ?? 'ok';
    return result;
  });
}

const CANARY_COUNT = 6;

function providerKey(t: CheckTarget): string {
  if (t.provider) return t.provider;
  try {
    return new URL(t.url).hostname.split('.').slice(-2).join('.');
  } catch {
    return t.url;
  }
}

/** One endpoint per provider, up to `count`, in registry order. */
export function pickCanaries(targets: readonly CheckTarget[], count = CANARY_COUNT): CheckTarget[] {
  const seen = new Set<string>();
  const out: CheckTarget[] = [];
  for (const t of targets) {
    const key = providerKey(t);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
    if (out.length === count) break;
  }
  return out;
}

/** Probes all targets with bounded concurrency and classifies them, in the targets' order. */
export async function checkEndpoints(targets: readonly CheckTarget[], options: CheckOptions = {}): Promise<CheckResult[]> {
  const concurrency = options.concurrency ?? DEFAULT_CHECK_OPTIONS.concurrency;
  const probe = (t: CheckTarget) => probeEndpoint(t, options);
  const byTarget = new Map<CheckTarget, ProbeResult>();

  let rest: readonly CheckTarget[] = targets;
  if (options.offlineShortcut !== false && targets.length > 2 * CANARY_COUNT) {
    const canaries = pickCanaries(targets);
    const canaryProbes = await mapWithLimit(canaries, concurrency, probe);
    canaryProbes.forEach((p) => byTarget.set(p.target, p));
    rest = targets.filter((t) => !byTarget.has(t));
    if (canaryProbes.length >= 2 && canaryProbes.every((p) => p.errorKind === 'network')) {
      // The report's summary explains; each row just says why it has no data.
      const reason = 'not probed: the network looks down (see summary)';
      for (const t of rest) byTarget.set(t, { target: t, error: reason, errorKind: 'network', skipped: true });
      rest = [];
    }
  }
  const probes = await mapWithLimit(rest, concurrency, probe);
  probes.forEach((p) => byTarget.set(p.target, p));
  return classify(targets.map((t) => byTarget.get(t) as ProbeResult), options);
}

/** 1 when anything is dead or on the wrong chain (the registry must change), else 0. */
export function exitCodeFor(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'dead' || r.status === 'wrong-chain') ? 1 : 0;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The human-readable report: a table per status severity, then a summary. */
export function formatReport(results: readonly CheckResult[]): string {
  const rows = [...results].sort(
    (a, b) =>
      SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status) ||
      a.target.chainId - b.target.chainId ||
      a.target.id.localeCompare(b.target.id),
  );
  const header = ['STATUS', 'CHAIN', 'ID', 'LATENCY', 'BLOCK', 'LAG', 'CORS', 'URL / DETAIL'];
  const table = rows.map((r) => [
    r.status.toUpperCase(),
    getChain(r.target.chainId)?.name ?? String(r.target.chainId),
    r.target.id + (r.target.enabled === false ? ' (off)' : ''),
    r.latencyMs !== undefined ? `${r.latencyMs} ms` : '-',
    r.blockNumber !== undefined ? String(r.blockNumber) : '-',
    r.lagBlocks !== undefined ? String(r.lagBlocks) : '-',
    r.cors ? (r.cors.ok ? 'yes' : 'NO') : '-',
    `${maskUrlSecrets(r.target.url)}${r.notes.length > 0 ? `  ${r.notes.join('; ')}` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  ').trimEnd();

  const lines = [line(header), line(widths.map((w) => '-'.repeat(Math.min(w, 60)))), ...table.map(line)];
  const counts = SEVERITY.map((s) => [s, results.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
  lines.push('', `${results.length} endpoints: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`);

  const dead = results.filter((r) => r.status === 'dead');
  const skipped = results.filter((r) => r.skipped).length;
  if (results.length > 0 && dead.length === results.length && dead.every((r) => r.errorKind === 'network')) {
    const first = dead.find((r) => !r.skipped)?.notes[0] ?? 'unknown';
    lines.push(
      '',
      `NO NETWORK: all ${results.length} endpoints are unreachable at the network level (DNS, connect or timeout).`,
      'That means this machine has no internet access (or DNS is blocked), not that every provider is down.',
      `First error: ${first}.`,
      ...(skipped > 0 ? [`${skipped} endpoints were not probed once the first ${results.length - skipped} (distinct providers) all failed; --full probes every one.`] : []),
      'Re-run with network access before changing the registry.',
    );
  } else if (exitCodeFor(results) !== 0) {
    lines.push('', 'Dead or wrong-chain endpoints should be removed from src/registry/defaults.ts (or fixed).');
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI

export interface CliArgs {
  registry?: string;
  timeoutMs: number;
  concurrency: number;
  slowMs: number;
  chains: number[];
  json: boolean;
  full: boolean;
  help: boolean;
}

const USAGE = `Usage: npm run registry:check -- [options]
  --registry <file.json>  check these endpoints instead of the defaults:
                          [{"id": "...", "chainId": 1, "url": "https://..."}] or {"endpoints": [...]}
  --chain <id>            only this chain (repeatable)
  --timeout <ms>          per request (default ${DEFAULT_CHECK_OPTIONS.timeoutMs})
  --concurrency <n>       endpoints probed at once (default ${DEFAULT_CHECK_OPTIONS.concurrency})
  --slow-ms <ms>          slower eth_blockNumber is "slow" (default ${DEFAULT_CHECK_OPTIONS.slowMs})
  --json                  print results as JSON
  --full                  probe every endpoint even when the first ones show there is no network
Exit code: 0 ok, 1 some endpoint dead or on the wrong chain, 2 bad usage.`;

export function parseArgs(argv: readonly string[]): CliArgs | { error: string } {
  const args: CliArgs = {
    timeoutMs: DEFAULT_CHECK_OPTIONS.timeoutMs,
    concurrency: DEFAULT_CHECK_OPTIONS.concurrency,
    slowMs: DEFAULT_CHECK_OPTIONS.slowMs,
    chains: [],
    json: false,
    full: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    const positive = (name: string): number | { error: string } => {
      const v = value();
      const n = Number(v);
      return v !== undefined && Number.isInteger(n) && n > 0 ? n : { error: `${name} needs a positive integer (got ${v ?? 'nothing'})` };
    };
    switch (flag) {
      case '--registry': {
        const v = value();
        if (!v) return { error: '--registry needs a file path' };
        args.registry = v;
        break;
      }
      case '--timeout':
      case '--concurrency':
      case '--slow-ms':
      case '--chain': {
        const n = positive(flag);
        if (typeof n !== 'number') return n;
        if (flag === '--timeout') args.timeoutMs = n;
        else if (flag === '--concurrency') args.concurrency = n;
        else if (flag === '--slow-ms') args.slowMs = n;
        else args.chains.push(n);
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--full':
        args.full = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        return { error: `unknown option ${a}` };
    }
  }
  return args;
}

/** Reads a registry file: an array of targets or `{ "endpoints": [...] }`. */
export function parseRegistryFile(text: string): CheckTarget[] | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const list = Array.isArray(data) ? data : (data as { endpoints?: unknown } | null)?.endpoints;
  if (!Array.isArray(list)) return { error: 'expected an array of endpoints or {"endpoints": [...]}' };
  const out: CheckTarget[] = [];
  for (const [i, raw] of list.entries()) {
    const e = raw as Partial<Record<keyof CheckTarget, unknown>> | null;
    if (typeof e !== 'object' || e === null) return { error: `endpoints[${i}] is not an object` };
    if (typeof e.chainId !== 'number' || !Number.isSafeInteger(e.chainId) || e.chainId <= 0) return { error: `endpoints[${i}].chainId must be a positive integer` };
    if (typeof e.url !== 'string' || !/^https?:\/\//.test(e.url)) return { error: `endpoints[${i}].url must be an http(s) URL` };
    const target: CheckTarget = { id: typeof e.id === 'string' ? e.id : `${e.chainId}:${i}`, chainId: e.chainId, url: e.url };
    if (typeof e.provider === 'string') target.provider = e.provider;
    if (typeof e.enabled === 'boolean') target.enabled = e.enabled;
    out.push(target);
  }
  return out;
}

export interface CliIo {
  fetch?: FetchFn;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** The CLI; returns the exit code instead of exiting so tests can call it. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? ((t: string) => process.stdout.write(`${t}\n`));
  const err = io.stderr ?? ((t: string) => process.stderr.write(`${t}\n`));
  const args = parseArgs(argv);
  if ('error' in args) {
    err(`registry:check: ${args.error}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }

  let targets: CheckTarget[];
  if (args.registry) {
    let text: string;
    try {
      text = await readFile(args.registry, 'utf8');
    } catch (e) {
      err(`registry:check: cannot read ${args.registry}: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    const parsed = parseRegistryFile(text);
    if ('error' in parsed) {
      err(`registry:check: ${args.registry}: ${parsed.error}`);
      return 2;
    }
    targets = parsed;
  } else {
    targets = DEFAULT_ENDPOINTS.map((e) => ({ id: e.id, chainId: e.chainId, url: e.url, provider: e.provider, enabled: e.enabled }));
  }
  if (args.chains.length > 0) targets = targets.filter((t) => args.chains.includes(t.chainId));
  if (targets.length === 0) {
    err('registry:check: no endpoints to check');
    return 2;
  }

  if (!args.json) out(`Checking ${targets.length} endpoints (timeout ${args.timeoutMs} ms, ${args.concurrency} at a time)…`);
  const options: CheckOptions = {
    timeoutMs: args.timeoutMs,
    concurrency: args.concurrency,
    slowMs: args.slowMs,
    offlineShortcut: !args.full,
  };
  if (io.fetch) options.fetch = io.fetch;
  const results = await checkEndpoints(targets, options);
  out(args.json ? JSON.stringify(results, null, 2) : formatReport(results));
  return exitCodeFor(results);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`registry:check crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
