/**
 * What verification has learned about endpoints and reads: which endpoints gave an answer that
 * failed verification (benched on their chain until a cool-down passes or the user re-enables
 * them), which cannot prove anything (no eth_getProof), and per chain how many reads were proven.
 */
import type { Clock } from '../clock.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import type { VerificationFailure, VerificationReporter } from './network.ts';

export interface FailedMark extends VerificationFailure {
  at: number;
  until: number;
}

export interface ChainVerificationCounts {
  chainId: number;
  proven: number;
  notVerified: number;
  /** Answers that failed verification (each also benched its endpoint). */
  failed: number;
}

export interface VerificationView {
  failed: FailedMark[];
  cannotVerify: { endpointId: string; chainId: number }[];
  chains: ChainVerificationCounts[];
}

export interface VerificationMarks extends VerificationReporter {
  benched(endpointId: string): boolean;
  reenable(endpointId: string): boolean;
  countRead(chainId: number, outcome: 'proven' | 'not-verified'): void;
  view(): VerificationView;
}

export function createVerificationMarks(clock: Clock, onFailed?: (mark: FailedMark) => void): VerificationMarks {
  const failed = new Map<string, FailedMark>();
  const cannot = new Map<string, number>();
  const counts = new Map<number, ChainVerificationCounts>();
  const countsOf = (chainId: number) => {
    let entry = counts.get(chainId);
    if (!entry) counts.set(chainId, (entry = { chainId, proven: 0, notVerified: 0, failed: 0 }));
    return entry;
  };
  const live = (endpointId: string): FailedMark | undefined => {
    const mark = failed.get(endpointId);
    if (mark && clock.now() >= mark.until) {
      failed.delete(endpointId);
      return undefined;
    }
    return mark;
  };
  return {
    failed(failure) {
      const at = clock.now();
      const mark = { ...failure, at, until: at + VERIFY_POLICY.failedCooldownMs };
      failed.set(failure.endpointId, mark);
      countsOf(failure.chainId).failed++;
      onFailed?.(mark);
    },
    cannotVerify(endpointId, chainId) {
      cannot.set(endpointId, chainId);
    },
    avoided(chainId) {
      const ids = [...failed.keys()].filter((id) => live(id)?.chainId === chainId);
      for (const [id, chain] of cannot) if (chain === chainId) ids.push(id);
      return ids;
    },
    benched: (endpointId) => live(endpointId) !== undefined,
    reenable(endpointId) {
      const had = failed.delete(endpointId) || cannot.delete(endpointId);
      return had;
    },
    countRead(chainId, outcome) {
      const entry = countsOf(chainId);
      if (outcome === 'proven') entry.proven++;
      else entry.notVerified++;
    },
    view() {
      for (const id of [...failed.keys()]) live(id);
      return {
        failed: [...failed.values()],
        cannotVerify: [...cannot].map(([endpointId, chainId]) => ({ endpointId, chainId })),
        chains: [...counts.values()].map((entry) => ({ ...entry })),
      };
    },
  };
}
