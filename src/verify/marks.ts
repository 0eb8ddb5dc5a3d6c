/**
 * What verification has learned about endpoints and reads: which endpoints gave an answer that
 * failed verification (benched on their chain until a cool-down passes or the user re-enables
 * them), which cannot prove anything (no eth_getProof), and per chain how many reads were proven.
 */
import type { Clock } from '../clock.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import { isRecord } from '../types.ts';
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
  /** What must outlive the worker: a service worker stops within a minute of idling, and a liar
   *  must not be back in line after every stop. Same shape as the view. */
  snapshot(): VerificationView;
  /** Takes back a `snapshot()`; entries of the wrong shape and marks already past are dropped. */
  restore(snapshot: unknown): void;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isText = (value: unknown): value is string => typeof value === 'string';

function readMark(value: unknown): FailedMark | undefined {
  if (!isRecord(value)) return undefined;
  const { endpointId, chainId, method, block, reason, at, until } = value;
  if (!isText(endpointId) || !isCount(chainId) || !isText(method) || !isText(block) || !isText(reason) || !isCount(at) || !isCount(until)) return undefined;
  return { endpointId, chainId, method, block, reason, at, until };
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
      const wasFailed = failed.delete(endpointId);
      const couldNot = cannot.delete(endpointId);
      return wasFailed || couldNot;
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
    snapshot() {
      return this.view();
    },
    restore(snapshot) {
      if (!isRecord(snapshot)) return;
      const now = clock.now();
      const marks = Array.isArray(snapshot.failed) ? snapshot.failed : [];
      for (const mark of marks.map(readMark)) {
        // A mark's cool-down never grows on restore: a clock that went back can't bench for longer.
        if (mark && mark.until > now) failed.set(mark.endpointId, { ...mark, until: Math.min(mark.until, now + VERIFY_POLICY.failedCooldownMs) });
      }
      for (const entry of Array.isArray(snapshot.cannotVerify) ? snapshot.cannotVerify : []) {
        if (isRecord(entry) && isText(entry.endpointId) && isCount(entry.chainId)) cannot.set(entry.endpointId, entry.chainId);
      }
      for (const entry of Array.isArray(snapshot.chains) ? snapshot.chains : []) {
        if (!isRecord(entry) || !isCount(entry.chainId) || !isCount(entry.proven) || !isCount(entry.notVerified) || !isCount(entry.failed)) continue;
        counts.set(entry.chainId, { chainId: entry.chainId, proven: entry.proven, notVerified: entry.notVerified, failed: entry.failed });
      }
    },
  };
}
