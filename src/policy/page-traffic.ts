/** Redirecting a page's own RPC traffic while its host is down. */
export const PAGE_TRAFFIC = {
  /** Longest method name believed in a sniffed body (real ones are < 50 chars). */
  maxSniffedMethodChars: 128,
  /** Method names kept per sniffed request (a batch may hold hundreds; a few say what it is). */
  maxSniffedMethods: 20,
  /** webRequest events that arrive while the worker is still loading its persisted state wait
   *  in a backlog this long at most (a page load fires dozens; beyond this, the oldest go). */
  startupBacklog: 500,
  /** A page request without any answer after 4 s counts as a hang whatever the host's latency:
   *  the same threshold as one engine attempt (webRequest only reports onBeforeRequest for a hung
   *  request), and the ceiling of the adaptive threshold below. */
  hangTimeoutMs: 4_000,
  /** The adaptive hang threshold: p95 of the host's recent answers × factor, within floor…4 s. */
  hangThreshold: {
    /** ×4 over p95: a healthy host's slowest answers (a heavy eth_getLogs) rarely reach four times
     *  its usual worst, while a host answering in 40 ms is plainly hung after a fraction of a second. */
    factor: 4,
    /** Never below 500 ms: one TLS handshake plus a cold cache on a far host takes that long, and
     *  500 ms (+ a confirmation as long) still puts a redirect in place before a 1 s client retries. */
    floorMs: 500,
    /** Too few answers to know the host: 1.5 s, well past a typical RPC answer (100–300 ms) and a
     *  cold connection, still leaving room to redirect before a 2 s client gives up. */
    coldMs: 1_500,
    /** p95 from fewer than 5 answers is one unlucky request; use the cold value until then. */
    minSamples: 5,
  },
  /** Latencies of the last 20 answers per page endpoint: enough for a p95, and an outage or a
   *  change of the host's speed shows within a minute of a page's usual traffic. */
  latencySamples: 20,
  /** A suspected page request is confirmed by the worker's own eth_chainId, unless one answered in
   *  the last second: the host was alive a moment ago, so that request is slow, not the host down.
   *  Also bounds confirmations to one per second per endpoint under a burst of slow requests. */
  checkMinGapMs: 1_000,
  /** An endpoint a page used in the last 2 min and that Lifeline has heard nothing from for 15 s is
   *  checked once (eth_chainId): a busy page's own traffic is the check, so a busy host gets no
   *  extra request, and an idle page's host costs one tiny request per 15 s for two minutes. */
  watchIntervalMs: 15_000,
  watchActiveMs: 120_000,
  /** Flapping: an endpoint that went down twice within 10 min must stay healthy for a while
   *  before its redirect goes, so a host that alternates is not redirected on and off each time. */
  flapWindowMs: 10 * 60 * 1000,
  /** The hold is 10 s after the second outage in the window, doubling with each further one, at
   *  most 30 s (plus the recovery probe's back-off, so a host that stopped flapping is back within
   *  a minute at worst). */
  flapHoldMs: 10_000,
  flapHoldMaxMs: 30_000,
  /** During the hold the endpoint is probed every 2 s: a hang or error of a second resets it. */
  holdProbeGapMs: 2_000,
  /** Down transitions remembered per endpoint for the flap count (the hold stops doubling at 3). */
  maxRecentDowns: 8,
  /** Request bodies up to 256 KiB are sniffed for JSON-RPC; bigger ones (rare multicalls) are
   *  not decoded on the listener's path and count only for URLs already known as RPC. */
  maxSniffBytes: 256 * 1024,
  /** URLs longer than this are never tracked, looked up or put into a rule (a real RPC URL with
   *  a key is < 200 chars; 2 KB bounds storage and rule size). */
  maxUrlLength: 2_048,
  /** Page endpoints remembered at once; the least recently seen healthy one makes room. */
  maxTrackedEndpoints: 200,
  /** Requests awaiting an answer at once; a page flooding requests cannot grow this further. */
  maxPendingRequests: 1_000,
  /** A request that timed out and never ended is forgotten after 2 min. */
  pendingMaxAgeMs: 120_000,
  /** The worker's own eth_chainId look-up and recovery probe give up after 4 s (a hang); a check
   *  that confirms a suspected hang uses the endpoint's adaptive threshold instead. */
  contactTimeoutMs: 4_000,
  /** Answers to look-ups and probes are read up to 16 KiB: an eth_chainId answer is ~40 bytes. */
  maxContactResponseBytes: 16 * 1024,
  /** A failed chain look-up (endpoint unreachable) is retried after a minute, not per request. */
  chainLookupRetryMs: 60_000,
  /** An endpoint that answered but not with a chain id (not an EVM RPC) is asked again after an hour. */
  notEvmRetryMs: 60 * 60 * 1000,
  /** At most two look-ups, checks or probes in flight: they run off the page's path and must stay
   *  gentle (a confirmation check goes first in the queue: a page is waiting on it). */
  maxConcurrentContacts: 2,
  /** First recovery probe of a down page endpoint after 5 s (the engine breaker's first cool-down)… */
  recoveryProbeFirstMs: 5_000,
  /** …doubling to every 20 s: a recovered host gets its traffic back within 20 s (with a
   *  flapping host's hold of at most 30 s, still under a minute), and one tiny request per 20 s
   *  to a host that is down is gentle. */
  recoveryProbeMaxMs: 20_000,
  /** Lifeline's redirect rules use dynamic rule ids 5000…5049: stable, and disjoint from any other
   *  feature's range. */
  ruleIdBase: 5_000,
  /** At most 50 redirected page endpoints at once (a browser rarely talks to more RPC hosts). */
  maxRules: 50,
  /** Observed health is persisted at most twice a second (a restarted worker keeps outages). */
  persistDebounceMs: 500,
  /** Rules are recomputed 100 ms after engine health changes, coalescing a probe round. */
  recomputeDebounceMs: 100,
  /** A down endpoint whose chain has no verified healthy target asks the engine to probe that
   *  chain, at most every 10 s. */
  targetProbeMinGapMs: 10_000,
} as const;
