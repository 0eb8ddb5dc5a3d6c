/**
 * The failover benchmark's load inside a dApp page (bundled to one IIFE by bench/failover.ts and
 * added to the test dApp): reads on a fixed schedule, open loop — a read is issued on time even
 * while earlier ones still hang, as a polling dApp does — each timed and checked against the node's
 * value in the page itself, so the Playwright round trip is not part of any figure.
 *
 * Two ways to read, as dApps do:
 *   - 'wallet': window.ethereum.request (the mock wallet, guarded when Lifeline is loaded);
 *   - 'http': the dApp's own RPC URL through viem's http transport, with its real timeout and
 *     retry loop (retryCount 3, backoff 150 ms · 2^n), so a hung host costs what it costs a viem dApp.
 */
import { createClient, http } from 'viem';

export interface ReadSpec {
  method: string;
  params: unknown[];
  /** The node's answer; anything else counts as a failed read. */
  expected: string;
}

export interface LoadOptions {
  /** Label carried into every record (which tab issued it). */
  tab: string;
  via: 'wallet' | 'http';
  /** For 'http': the dApp's own RPC URL and viem's per-attempt timeout. */
  rpcUrl?: string;
  timeoutMs?: number;
  /** Cycled in order, one read per tick. */
  reads: ReadSpec[];
  /** Instead of `reads`: every read asks the balance of an address never asked before (0x0 on
   *  the node), so the endpoints' logs tell exactly who served which read. */
  freshAddressReads?: boolean;
  intervalMs: number;
  /** Bounds: the loop ends after this long or this many reads, whichever first, if not stopped. */
  maxDurationMs: number;
  maxReads: number;
  /** A read still unsettled after this long is recorded as failed ("unsettled") at that time. */
  settleCapMs: number;
}

export interface ReadRecord {
  tab: string;
  method: string;
  /** For fresh-address reads: the address asked. */
  address?: string;
  /** Wall-clock ms (performance.timeOrigin + performance.now()), comparable with Node's. */
  start: number;
  end: number;
  ok: boolean;
  error?: string;
}

export type IssuedRead = Pick<ReadRecord, 'tab' | 'method' | 'address' | 'start'>;

export interface FailoverPageApi {
  start(options: LoadOptions): void;
  /** Stops issuing; resolves with every record once all issued reads have settled (each is capped). */
  stop(): Promise<ReadRecord[]>;
  /** Records of reads settled so far (the load keeps running). */
  settledSoFar(): ReadRecord[];
  /** Every read issued so far, settled or not: what it asked and when. */
  issuedSoFar(): IssuedRead[];
  visibility(): string;
}

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

const now = () => performance.timeOrigin + performance.now();
const describe = (error: unknown): string => {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; shortMessage?: unknown; message?: unknown; name?: unknown };
    const text = typeof e.shortMessage === 'string' ? e.shortMessage : typeof e.message === 'string' ? e.message : String(e.name ?? 'error');
    return e.code === undefined ? text : `${String(e.code)} ${text}`;
  }
  return String(error);
};

function freshAddress(n: number): string {
  // A recognisable, never-funded address per read: 0xfa11…<counter>.
  return `0xfa11${Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0')}${n.toString(16).padStart(32, '0')}`;
}

let records: ReadRecord[] = [];
let issued: IssuedRead[] = [];
let inFlight = new Set<Promise<void>>();
let stopped = true;
let loopDone: Promise<void> = Promise.resolve();

function requester(options: LoadOptions): Eip1193 {
  if (options.via === 'wallet') {
    const eth = (window as unknown as { ethereum?: Eip1193 }).ethereum;
    if (!eth) throw new Error('window.ethereum is not defined');
    return eth;
  }
  if (!options.rpcUrl) throw new Error('an http load needs rpcUrl');
  // viem's defaults spelled out: these are what the benchmark claims to reproduce.
  const client = createClient({ transport: http(options.rpcUrl, { timeout: options.timeoutMs ?? 10_000, retryCount: 3, retryDelay: 150 }) });
  return { request: (args) => client.request(args as never) };
}

function issue(provider: Eip1193, options: LoadOptions, n: number): void {
  let spec: ReadSpec;
  let address: string | undefined;
  if (options.freshAddressReads) {
    address = freshAddress(n);
    spec = { method: 'eth_getBalance', params: [address, 'latest'], expected: '0x0' };
  } else {
    spec = options.reads[n % options.reads.length]!;
  }
  const start = now();
  issued.push({ tab: options.tab, method: spec.method, address, start });
  let cap: ReturnType<typeof setTimeout> | undefined;
  const capped = new Promise<never>((_, reject) => {
    cap = setTimeout(() => reject(new Error('unsettled')), options.settleCapMs);
  });
  const read = Promise.race([provider.request({ method: spec.method, params: spec.params }), capped]).then(
    (value) => {
      const ok = typeof value === 'string' && value.toLowerCase() === spec.expected.toLowerCase();
      records.push({ tab: options.tab, method: spec.method, address, start, end: now(), ok, ...(ok ? {} : { error: `wrong answer ${JSON.stringify(value)}` }) });
    },
    (error: unknown) => {
      records.push({ tab: options.tab, method: spec.method, address, start, end: now(), ok: false, error: describe(error) });
    },
  );
  const tracked = read.finally(() => {
    clearTimeout(cap);
    inFlight.delete(tracked);
  });
  inFlight.add(tracked);
}

const api: FailoverPageApi = {
  start(options) {
    const provider = requester(options);
    records = [];
    issued = [];
    inFlight = new Set();
    stopped = false;
    const began = now();
    loopDone = (async () => {
      for (let n = 0; n < options.maxReads && !stopped; n++) {
        // Ticks keep to the schedule (began + n·interval), not to the previous read.
        const wait = began + n * options.intervalMs - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (stopped || now() - began >= options.maxDurationMs) break;
        issue(provider, options, n);
      }
      stopped = true;
    })();
  },
  async stop() {
    stopped = true;
    await loopDone;
    while (inFlight.size > 0) await Promise.all([...inFlight]);
    return records;
  },
  settledSoFar: () => [...records],
  issuedSoFar: () => [...issued],
  visibility: () => document.visibilityState,
};

(window as unknown as { failoverBench: FailoverPageApi }).failoverBench = api;
