/** Redirecting a page's own RPC traffic while its host is down. */
export const PAGE_TRAFFIC = {
  /** Longest method name believed in a sniffed body (real ones are < 50 chars). */
  maxSniffedMethodChars: 128,
  /** Method names kept per sniffed request (a batch may hold hundreds; a few say what it is). */
  maxSniffedMethods: 20,
  /** webRequest events that arrive while the worker is still loading its persisted state wait
   *  in a backlog this long at most (a page load fires dozens; beyond this, the oldest go). */
  startupBacklog: 500,
  /** A page request without any answer after 4 s counts as a hang: the same threshold as one
   *  engine attempt (webRequest only reports onBeforeRequest for a hung request). */
  hangTimeoutMs: 4_000,
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
  /** The worker's own eth_chainId look-up and recovery probe give up after 4 s (a hang). */
  contactTimeoutMs: 4_000,
  /** Answers to look-ups and probes are read up to 16 KiB: an eth_chainId answer is ~40 bytes. */
  maxContactResponseBytes: 16 * 1024,
  /** A failed chain look-up (endpoint unreachable) is retried after a minute, not per request. */
  chainLookupRetryMs: 60_000,
  /** An endpoint that answered but not with a chain id (not an EVM RPC) is asked again after an hour. */
  notEvmRetryMs: 60 * 60 * 1000,
  /** At most two look-ups or probes in flight: they run off the page's path and must stay gentle. */
  maxConcurrentContacts: 2,
  /** First recovery probe of a down page endpoint after 5 s (the engine breaker's first cool-down)… */
  recoveryProbeFirstMs: 5_000,
  /** …doubling to once a minute: while redirected the page works, so recovery checks can be gentle. */
  recoveryProbeMaxMs: 60_000,
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
