/**
 * What verification needs from the engine: routing a read as the router does (optionally only to
 * some endpoints, or without some), and the chain's endpoints in the ranking's order. Kept this
 * small so tests can stand a simulated network behind it.
 */
import type { RouteOptions, RouteResult, RpcCall } from '../router/index.ts';
import type { Endpoint } from '../types.ts';

export interface VerifyNetwork {
  request(chainId: number, call: RpcCall, options?: RouteOptions): Promise<RouteResult>;
  /** Enabled endpoints of the chain that may be used now, best first. */
  endpoints(chainId: number): readonly Endpoint[];
  /** The highest block the engine believes the chain has reached, when it has fresh evidence. */
  head?(chainId: number): number | undefined;
}

/** An endpoint's answer failed verification: who, for which method at which block, and why. */
export interface VerificationFailure {
  endpointId: string;
  chainId: number;
  method: string;
  block: string;
  reason: string;
}

export interface VerificationReporter {
  failed(failure: VerificationFailure): void;
  /** The endpoint does not answer eth_getProof: its reads can never be proven. */
  cannotVerify(endpointId: string, chainId: number): void;
  /** Endpoints benched for a failed answer or unable to prove: left out of verified reads. */
  avoided(chainId: number): readonly string[];
}

export const blockTag = (block: number): string => `0x${block.toString(16)}`;
