/** The extension shell's own rhythm (extension/background). */
export const SHELL_POLICY = {
  /** Engine health snapshots are written at most this often: often enough that a restarted
   *  worker remembers an outage, rarely enough to stay off the hot path. */
  engineSnapshotIntervalMs: 1000,
  /** Wallet health is written at most once per second whatever the traffic. */
  walletHealthPersistMs: 1000,
  /** A chain counts as "in use" (probed every active interval) for an hour after its last read. */
  chainInUseForMs: 60 * 60 * 1000,
  /** A chain's last-seen mark is rewritten to storage when it is older than a minute: a busy
   *  dApp's reads must not each cost a write, and an hour-long window loses nothing by a minute. */
  chainInUseRewriteAfterMs: 60_000,
  /** At most 3 chains are probed at once (up to 3 × 8 endpoints × 2 requests in flight): a
   *  probe round for 10 chains in use still ends within seconds, and a browser's connection pool
   *  and the user's own traffic are never crowded out by Lifeline's health checks. */
  maxConcurrentChainProbes: 3,
  /** chrome.alarms' minimum period; the engine's own intervals decide what is actually probed. */
  probeAlarmPeriodMinutes: 0.5,
  /** Chain checks of the endpoints a saved configuration adds give up after 5 s, shorter than the
   *  add form's 10 s, so an import naming an offline node still answers promptly (that node is
   *  then saved with a warning). */
  saveVerifyTimeoutMs: 5_000,
  /** A service check reads the first 4 KiB of an answer: status documents are tiny, and an
   *  error page needs no more to be recognised. */
  maxServiceAnswerBytes: 4096,
  /** A redirect's endpoint names are cut to 120 characters for the popup: a masked page URL can
   *  be up to 2 KB, and the line must still fit. */
  redirectLabelMaxChars: 120,
  /** Chromium's refusal of a rule update is kept to 200 characters: enough to name the bad rule,
   *  bounded whatever the browser says. */
  maxErrorTextChars: 200,
} as const;
