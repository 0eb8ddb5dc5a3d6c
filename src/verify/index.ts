/**
 * Verified reads: headers by recomputed hash and provider agreement, state by Merkle proof,
 * eth_call by local execution. `createReadVerification` is what the engine holds.
 */
import type { Clock } from '../clock.ts';
import type { RouteOptions, RouteResult, RpcCall } from '../router/index.ts';
import { type VerificationMode, VERIFY_POLICY } from '../policy/index.ts';
import { type HeaderSource, createAgreementHeaderSource } from './header-source.ts';
import { type FailedMark, type VerificationMarks, type VerificationView, createVerificationMarks } from './marks.ts';
import type { VerifyNetwork } from './network.ts';
import { type CallProver, VERIFIABLE_METHODS, createVerifier } from './verifier.ts';

export type { BlockRef, HeaderOutcome, HeaderSource } from './header-source.ts';
export type { VerifiedHeader } from './header.ts';
export type { ChainVerificationCounts, FailedMark, VerificationView } from './marks.ts';
export type { VerificationFailure, VerifyNetwork } from './network.ts';
export { checkHeader, computeHeaderHash } from './header.ts';
export { verifyAccountProof } from './proof.ts';
export { VERIFIABLE_METHODS } from './verifier.ts';
export type { CallProver } from './verifier.ts';

export interface ReadVerificationOptions {
  network: VerifyNetwork;
  clock: Clock;
  mode?: VerificationMode;
  /** Replaces the agreement rule (a light-client anchor, a test's fixed headers). */
  headers?: HeaderSource;
  onFailed?: (mark: FailedMark) => void;
  loadCallProver?: () => Promise<CallProver>;
}

export interface ReadVerification {
  mode(): VerificationMode;
  setMode(mode: VerificationMode): void;
  /** Whether this read is one the mode checks. */
  applies(options: RouteOptions): boolean;
  /**
   * Serves a read in scope: proven when it can be, else routed as usual (`fallback`) while avoiding
   * endpoints that cannot prove anything, and marked "not-verified".
   */
  request(chainId: number, call: RpcCall, options: RouteOptions, fallback: (options: RouteOptions) => Promise<RouteResult>): Promise<RouteResult>;
  benched(endpointId: string): boolean;
  reenable(endpointId: string): boolean;
  view(): VerificationView & { mode: VerificationMode };
  readonly marks: VerificationMarks;
}

export function createReadVerification(options: ReadVerificationOptions): ReadVerification {
  let mode = options.mode ?? VERIFY_POLICY.defaultMode;
  const marks = createVerificationMarks(options.clock, options.onFailed);
  const headers = options.headers ?? createAgreementHeaderSource({ network: options.network, reporter: marks, clock: options.clock });
  const verifier = createVerifier({ network: options.network, headers, marks, clock: options.clock, ...(options.loadCallProver ? { loadCallProver: options.loadCallProver } : {}) });
  return {
    marks,
    mode: () => mode,
    setMode(next) {
      mode = next;
    },
    applies: (routeOptions) => mode === 'all' || (mode === 'relayed' && routeOptions.relayed === true),
    async request(chainId, call, routeOptions, fallback) {
      let proven: RouteResult | undefined;
      try {
        proven = VERIFIABLE_METHODS.includes(call.method) ? await verifier.request(chainId, call, routeOptions) : undefined;
      } catch {
        // Data no check foresaw (an RLP that does not decode, an execution that throws): the read
        // is served unproven rather than failing; the engine never rejects.
        proven = undefined;
      }
      if (proven) {
        marks.countRead(chainId, 'proven');
        return proven;
      }
      const cannot = marks.avoided(chainId);
      const served = await fallback(cannot.length ? { ...routeOptions, preferNot: [...(routeOptions.preferNot ?? []), ...cannot] } : routeOptions);
      if (served.meta.source === 'endpoint') marks.countRead(chainId, 'not-verified');
      return { ...served, meta: { ...served.meta, verification: 'not-verified' } } as RouteResult;
    },
    benched: (endpointId) => marks.benched(endpointId),
    reenable: (endpointId) => marks.reenable(endpointId),
    view: () => ({ mode, ...marks.view() }),
  };
}
