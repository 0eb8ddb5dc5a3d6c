/**
 * The chain head as the engine believes it, and how far each endpoint lags behind it.
 *
 * Head = the highest block that at least two endpoints agree exists (the second-highest report),
 * or the only report when there is just one: one endpoint claiming a far-future block can't move it.
 * The corroborated head only ever rises (a block that two endpoints have seen exists forever).
 */

export interface BlockReport {
  block: number;
  /** When the report was received (clock ms). */
  at: number;
}

/** Picks the head from fresh reports; `corroborated` = at least two endpoints reached it. */
export function headFromReports(reports: readonly BlockReport[]): { head: BlockReport; corroborated: boolean } | undefined {
  if (reports.length === 0) return undefined;
  let first: BlockReport | undefined;
  let second: BlockReport | undefined;
  for (const report of reports) {
    if (!first || report.block > first.block) {
      second = first;
      first = report;
    } else if (!second || report.block > second.block) {
      second = report;
    }
  }
  if (!second) return { head: first!, corroborated: false };
  // Both reached `second.block`; the later of the two receipts would be pessimistic, use second's.
  return { head: second, corroborated: true };
}

/**
 * Blocks `report` is behind `head`, crediting the blocks that could have been produced between the
 * two observations when the report is older (probes of a chain don't land at the same instant).
 */
export function lagBehind(head: BlockReport, report: BlockReport, blockTimeMs: number): number {
  const credit = head.at > report.at ? Math.floor((head.at - report.at) / blockTimeMs) : 0;
  return Math.max(0, head.block - report.block - credit);
}

/** Converts a tolerance written in Ethereum L1 blocks into this chain's blocks (same wall-clock time). */
export function scaleL1Blocks(l1Blocks: number, blockTimeMs: number, referenceBlockTimeMs: number): number {
  return Math.ceil((l1Blocks * referenceBlockTimeMs) / blockTimeMs);
}
