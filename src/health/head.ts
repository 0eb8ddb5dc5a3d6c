/**
 * The chain head as the engine believes it, and how far each endpoint lags behind it.
 *
 * Corroborated head = the highest block that at least two endpoints agree exists (the second-highest
 * report): one endpoint claiming a far-future block can't move it. It only ever rises (a block two
 * endpoints have seen exists forever). The believed head is the highest fresh report that is not
 * implausibly far above the corroborated one: with two endpoints, one honest and one lagging, the
 * second-highest report is the laggard's, and the honest node must not look like a liar.
 */

export interface BlockReport {
  block: number;
  /** When the answer arrived: the block existed by then. */
  at: number;
  /** When the question was sent: the endpoint was at least this far along from then on. */
  sentAt: number;
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

/** Upper bound on the blocks a chain can produce in `ms` (block boundaries crossed). */
export function blocksWithin(ms: number, blockTimeMs: number): number {
  return ms > 0 ? Math.ceil(ms / blockTimeMs) : 0;
}

/**
 * Blocks `report` is provably behind `head`: the head block existed by `head.at`, the endpoint was
 * at `report.block` from `report.sentAt` on, and every block that may have been produced in between
 * is credited. An honest endpoint therefore always has lag 0, whatever its latency.
 */
export function lagBehind(head: BlockReport, report: BlockReport, blockTimeMs: number): number {
  return Math.max(0, head.block - report.block - blocksWithin(head.at - report.sentAt, blockTimeMs));
}

/** Converts a tolerance written in Ethereum L1 blocks into this chain's blocks (same wall-clock time). */
export function scaleL1Blocks(l1Blocks: number, blockTimeMs: number, referenceBlockTimeMs: number): number {
  return Math.ceil((l1Blocks * referenceBlockTimeMs) / blockTimeMs);
}

/** The same, but never fewer blocks than on Ethereum: a slow chain is not judged more strictly. */
export function atLeastL1Blocks(l1Blocks: number, blockTimeMs: number, referenceBlockTimeMs: number): number {
  return Math.max(l1Blocks, scaleL1Blocks(l1Blocks, blockTimeMs, referenceBlockTimeMs));
}
