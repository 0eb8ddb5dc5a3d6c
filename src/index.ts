/**
 * Lifeline engine — the public API for the extension shell and the benchmark (re-exports only;
 * the engine itself is `engine/engine.ts`).
 */
export type { Endpoint, Infrastructure, PrivacyLabel } from './types.ts';
export { DEFAULT_POLICY, PolicyError, hedgeDelayMs, resolvePolicy } from './policy/index.ts';
export type { LagClass, Policy, PolicyOverride, QuorumRule } from './policy/index.ts';
export type { AttemptKind, AttemptRecord, RouteMeta, RouteOptions, RouteResult, RpcCall } from './router/index.ts';
export type { ChainSummary, EndpointView, HealthSnapshot, HealthState, LastFailure, ObservedOutcome } from './health/tracker.ts';
export type { ProbeResult } from './health/probe.ts';
export { FAILURE_CLASSES, RpcCode, classifyHttpResponse, classifyHttpStatus, classifyRpcError, classifyThrown, rpcError } from './rpc/jsonrpc.ts';
export type { AttemptFailure, FailureClass, JsonRpcErrorObject, JsonRpcId, JsonRpcRequest, JsonRpcResponse } from './rpc/jsonrpc.ts';
export { ROUTABLE_READS, classifyMethod, isWalletOnly } from './rpc/methods.ts';
export type { MethodKind } from './rpc/methods.ts';
export { createFetchTransport } from './net/transport.ts';
export type { FetchTransportOptions, Transport, TransportResponse } from './net/transport.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { createEngine } from './engine/engine.ts';
export type { Engine, EngineOptions, EngineSnapshot, HealthView } from './engine/engine.ts';
export { createReadVerification, checkHeader, computeHeaderHash, verifyAccountProof, VERIFIABLE_METHODS } from './verify/index.ts';
export type { BlockRef, ChainVerificationCounts, FailedMark, HeaderOutcome, HeaderSource, VerificationView, VerifiedHeader } from './verify/index.ts';
