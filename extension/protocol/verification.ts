/** Messages about verified reads (popup). Part of the one protocol in extension/messages.ts. */
import type { VerificationMode } from '../../src/policy/verify';
import type { VerificationView } from '../../src/verify/index';

export interface VerificationStatus extends VerificationView {
  mode: VerificationMode;
  /** Endpoint id → the label the popup shows. */
  labels: Record<string, string>;
}

export interface VerificationProtocol {
  /** Benched endpoints, endpoints that cannot prove, proven/unproven reads per chain. */
  verificationStatus(): VerificationStatus;
  /** Lets an endpoint benched for a failed answer serve again at once. */
  reenableEndpoint(request: { endpointId: string }): VerificationStatus;
}
