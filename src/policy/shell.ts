/** The extension shell's own rhythm (extension/background). */
export const SHELL_POLICY = {
  /** Engine health snapshots are written at most this often: often enough that a restarted
   *  worker remembers an outage, rarely enough to stay off the hot path. */
  engineSnapshotIntervalMs: 1000,
  /** Wallet health is written at most once per second whatever the traffic. */
  walletHealthPersistMs: 1000,
  /** A chain counts as "in use" (probed every active interval) for an hour after its last read. */
  chainInUseForMs: 60 * 60 * 1000,
  /** chrome.alarms' minimum period; the engine's own intervals decide what is actually probed. */
  probeAlarmPeriodMinutes: 0.5,
} as const;
