/**
 * Pages' own RPC traffic: JSON-RPC sniffing, page endpoint health with adaptive hang timers and
 * confirming checks, redirect
 * planning, DNR rule building and reconciliation. Pure; wired in extension/background/page-traffic.ts.
 */
export { hasEvmMethod, sniffJsonRpc, type RawBodyPart, type SniffResult } from './sniff.ts';
export { PAGE_ABORTED, abortedOutcome, outcomeOf, type Observation } from './observe.ts';
export { hangThresholdMs, recentDowns, recoveryHoldMs, type FlapLimits, type HangThresholdLimits } from './timing.ts';
export { chainFromUrl, isSafeTargetUrl, mayContact, networkClass, trackableUrl, type NetworkClass } from './urls.ts';
export {
  createPageTracker,
  type ChainLookupResult, type ChainSource, type DownEndpoint, type PageEndpointState, type PageTracker, type PageTrackerOptions,
  type PageTrackerSnapshot, type PageTrafficLimits, type TrackerChange,
} from './tracker.ts';
export {
  buildRule, diffRules, disabledDomains, planRedirects, publishRedirects, rankTargets, redirectEvents,
  type PlanInput, type PublishedRedirect, type RedirectPlan, type RedirectRule, type RuleContext, type RuleDiff, type TargetCandidate,
} from './rules.ts';
export { CHAIN_ID_REQUEST, checkAnswer, checkUnanswered, parseChainIdAnswer, type CheckResult } from './contact.ts';
