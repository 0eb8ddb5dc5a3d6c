/** The popup, failover episodes and the services panel. */
export const STATUS_POLICY = {
  /** Sparklines show the last hour: long enough to see an outage's shape, short enough to fit. */
  latencyWindowMs: 60 * 60 * 1000,
  /** One latency sample per endpoint per probe round at most (the probe alarm is 30 s). */
  latencyMinSampleGapMs: 25_000,
  /** Hard cap per endpoint: an hour of 30 s probes plus slack, so storage stays small. */
  latencyMaxSamples: 150,
  /** A failover episode ends only after its chain has looked healthy this long, so one lucky
   *  probe during a flapping outage does not end (and re-notify) an episode. */
  episodeEndHoldMs: 10_000,
  /** A wallet failure older than this (no read seen since) no longer counts as live evidence. */
  walletEvidenceMaxAgeMs: 10 * 60 * 1000,
  /** Offer wallet repair once the wallet's own RPC has been failing this long… */
  repairAfterFailingMs: 60_000,
  /** …or after this many failed reads in the current streak's lifetime, whichever comes first. */
  repairAfterFailures: 5,
  /** Guided repair: the wallet's own confirmation can take the user a while; after this the
   *  popup says the wallet did not answer. */
  repairAnswerTimeoutMs: 120_000,
  /** At most one "failover started" notification per chain in this span: a flapping provider
   *  must not turn Lifeline into a notification spammer. Its matching "ended" follows it. */
  notificationMinGapMs: 10 * 60 * 1000,
  /** Recompute badge and episodes at most this often after health or wallet changes. */
  refreshDebounceMs: 300,
  /** Timeline entries shown in the popup (the store keeps a week). */
  popupTimelineEvents: 50,
  /** The popup shows the worker's last stored view at once only if it is this fresh; the probe
   *  alarm refreshes it every 30 s, so older means the browser was asleep and the view could
   *  contradict the fresh answer arriving ~100 ms later. */
  popupCacheMaxAgeMs: 5 * 60_000,
  /** ...and is stored at most this often (the latest view, at the end of the interval):
   *  refreshes follow every health change (about once a second under traffic), and a ~100 KB
   *  write each time would be waste for a view that only bridges the ~100 ms until the worker
   *  answers. */
  popupViewStoreIntervalMs: 5_000,
} as const;

/** How the pages write numbers and draw latency (src/status/format.ts, src/status/latency.ts). */
export const DISPLAY_FORMAT = {
  /** An age under this reads "just now": a few seconds' precision is noise to a person. */
  justNowMs: 5_000,
  /** Ages and spans switch from hours to days past two days ("36 h ago" is clearer than "2 d"). */
  hoursBeforeDays: 48,
  /** The latency chart spans the last hour, or since the first sample when that is shorter, but
   *  never less than this: a minute of samples stretched over the whole width would look like a
   *  trend that is not there. */
  chartMinSpanMs: 5 * 60_000,
  /** Consecutive samples further apart than this are not joined by a line: the worker slept or the
   *  endpoint had no p50, and a straight line across the gap would invent data. */
  chartMaxJoinGapMs: 3 * 60_000,
  /** The badge shows how many chains are in failover up to this; more reads as this number (one
   *  digit keeps it legible on a 16 px icon). */
  badgeMaxCount: 9,
  /** Up to this many chains in use are shown open in the popup; with more, only those with a
   *  problem are, so a user of many chains still sees the trouble without scrolling. */
  popupOpenChainsMax: 3,
} as const;

export const SERVICES_POLICY = {
  /** Exchange and wallet APIs are checked gently: every 5 minutes is enough to explain an outage
   *  and costs them nothing. */
  checkIntervalMs: 5 * 60 * 1000,
  /** A status endpoint that has not answered in 8 s is down for the user too. */
  timeoutMs: 8_000,
  /** Binance bans IPs that keep calling after a 429/418; without a Retry-After wait this long. */
  defaultBackoffMs: 10 * 60 * 1000,
  /** Never believe a Retry-After longer than a day (a typo must not silence a check forever). */
  maxBackoffMs: 24 * 60 * 60 * 1000,
} as const;

// ---------------------------------------------------------------------------------------------
// Pages' own RPC traffic (src/page-traffic, extension/background/page-traffic.ts): observed with
// webRequest, failed over with declarativeNetRequest redirects. When a page endpoint counts as
// down comes from the engine's breaker numbers (`breaker.consecutiveFailures`, `failureRatio`).

/** The outage timeline (IndexedDB). */
export const TIMELINE_LIMITS = {
  /** Kept 7 days: long enough to look back on last week's outage. */
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  /** A flapping endpoint can log many events; the newest 2,000 are plenty for the popup. */
  maxEvents: 2000,
} as const;
