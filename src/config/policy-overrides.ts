/**
 * The engine knobs a user may override, in user-facing units, with the bounds validation
 * enforces, so a config typo cannot make Lifeline hammer endpoints or never fail over. Defaults
 * and the engine's own units live in src/policy; each knob names its target there and
 * `toEnginePolicyPatch` converts, so the bounds are stated once, here. Descriptions say what a
 * knob does and why its default is what it is; the default itself is read from src/policy
 * (`knobDefault`), never restated.
 */
import { DEFAULT_POLICY, type PolicyOverride } from '../policy/index.ts';

export interface PolicyKnob {
  /** Where the value goes in the engine's `Policy` (src/policy): section.key, times `scale`. */
  target: { section: string; key: string; scale: number };
  /** What the knob does and what the bounds protect against; shown in docs and the options UI. */
  description: string;
  unit: 'ms' | 's' | 'blocks' | 'count' | 'percent' | 'factor';
  min: number;
  max: number;
  integer: boolean;
}

export const POLICY_KNOBS = {
  hedgeDelayMinMs: {
    target: { section: 'hedge', key: 'minDelayMs', scale: 1 },
    description: 'Lower bound of the adaptive hedge delay: a second request sent sooner mostly duplicates load. Below ~50 ms nearly every read is sent twice.',
    unit: 'ms', min: 50, max: 5_000, integer: true,
  },
  hedgeDelayMaxMs: {
    target: { section: 'hedge', key: 'maxDelayMs', scale: 1 },
    description: 'Upper bound of the adaptive hedge delay: waiting longer on a slow endpoint is a delay the user notices. Must be ≥ hedgeDelayMinMs.',
    unit: 'ms', min: 100, max: 10_000, integer: true,
  },
  hedgeLatencyFactor: {
    target: { section: 'hedge', key: 'p95Multiplier', scale: 1 },
    description: 'The hedge fires after p95 latency × this factor, clamped to the bounds above, so only the slowest few percent of answers trigger a second request.',
    unit: 'factor', min: 1, max: 5, integer: false,
  },
  requestDeadlineMs: {
    target: { section: 'request', key: 'deadlineMs', scale: 1 },
    description: 'Give up on a request after this long across all endpoints: past it an honest error serves the user better than a spinner. Must exceed hedgeDelayMaxMs.',
    unit: 'ms', min: 1_000, max: 60_000, integer: true,
  },
  attemptTimeoutMs: {
    target: { section: 'request', key: 'attemptTimeoutMs', scale: 1 },
    description: 'One attempt that has not answered by then counts as a hang and the next endpoint is tried. Raise it for a slow own node.',
    unit: 'ms', min: 500, max: 30_000, integer: true,
  },
  lagToleranceBlocks: {
    target: { section: 'lag', key: 'degradedL1Blocks', scale: 1 },
    description:
      'How far behind the best head, in Ethereum blocks (12 s each), an endpoint may be (3 by default: about 36 s, more than a block or two of propagation). Beyond it the endpoint is shown as lagging, ' +
      'and every read\'s routing tolerance moves by the same number of blocks from its default (latest balances, nonces and block number 0, ' +
      'recent blocks, receipts and logs 1, eth_call and gas estimates 4; never below 0): with 10 they tolerate 7, 8 and 11. Other chains scale by block time.',
    unit: 'blocks', min: 0, max: 1_000, integer: true,
  },
  probeIntervalSec: {
    target: { section: 'probe', key: 'activeIntervalMs', scale: 1000 },
    description: 'Health probe period for chains in use; it cannot be shorter than the chrome.alarms minimum period (30 s).',
    unit: 's', min: 30, max: 3_600, integer: true,
  },
  idleProbeIntervalSec: {
    target: { section: 'probe', key: 'idleIntervalMs', scale: 1000 },
    description: 'Health probe period for chains not in use: rare enough to cost little, often enough for the popup to show a truthful state.',
    unit: 's', min: 30, max: 86_400, integer: true,
  },
  breakerConsecutiveFailures: {
    target: { section: 'breaker', key: 'consecutiveFailures', scale: 1 },
    description: 'Open an endpoint\'s circuit breaker after this many failures in a row: a few in a row is no longer bad luck.',
    unit: 'count', min: 1, max: 50, integer: true,
  },
  breakerFailureRatePercent: {
    target: { section: 'breaker', key: 'failureRatio', scale: 0.01 },
    description: 'Also open it when at least this share of the recent window failed: the endpoint is then more trouble than help.',
    unit: 'percent', min: 10, max: 100, integer: true,
  },
  breakerWindowSize: {
    target: { section: 'breaker', key: 'windowSize', scale: 1 },
    description: 'Number of recent outcomes the failure rate is computed over: more react slower to an endpoint\'s change, fewer judge on noise.',
    // The engine judges the ratio only from 10 outcomes on, so a smaller window would never trip.
    unit: 'count', min: 10, max: 500, integer: true,
  },
  breakerCooldownMs: {
    target: { section: 'breaker', key: 'initialCooldownMs', scale: 1 },
    description: 'First cool-down of an open breaker; doubles on each re-open. Short, so a brief outage (a deploy, a restart) is over quickly.',
    unit: 'ms', min: 1_000, max: 600_000, integer: true,
  },
  breakerMaxCooldownMs: {
    target: { section: 'breaker', key: 'maxCooldownMs', scale: 1 },
    description: 'Cap of the doubling cool-down, so a recovered endpoint is found again within minutes. Must be ≥ breakerCooldownMs.',
    unit: 'ms', min: 5_000, max: 3_600_000, integer: true,
  },
  broadcastFanout: {
    target: { section: 'broadcast', key: 'fanout', scale: 1 },
    // The engine never uses more endpoints than broadcast.maxEndpoints for one broadcast.
    description: 'How many endpoints eth_sendRawTransaction is sent to at once: more survive a dead or lying endpoint, fewer limit mempool spam.',
    unit: 'count', min: 1, max: 5, integer: true,
  },
} as const satisfies Record<string, PolicyKnob>;

export type PolicyKnobName = keyof typeof POLICY_KNOBS;
export type PolicyOverrides = Partial<Record<PolicyKnobName, number>>;

export const POLICY_KNOB_NAMES = Object.keys(POLICY_KNOBS) as PolicyKnobName[];

export function isPolicyKnobName(name: string): name is PolicyKnobName {
  return Object.prototype.hasOwnProperty.call(POLICY_KNOBS, name);
}

/**
 * Pairs that must stay ordered (`low` ≤ `high`, or `<` when strict). Checked when both sides
 * are overridden; when only one is, the engine combines it with its default and should clamp.
 */
export const POLICY_KNOB_ORDER: readonly { low: PolicyKnobName; high: PolicyKnobName; strict: boolean }[] = [
  { low: 'hedgeDelayMinMs', high: 'hedgeDelayMaxMs', strict: false },
  { low: 'hedgeDelayMaxMs', high: 'requestDeadlineMs', strict: true },
  { low: 'attemptTimeoutMs', high: 'requestDeadlineMs', strict: false },
  { low: 'breakerCooldownMs', high: 'breakerMaxCooldownMs', strict: false },
  { low: 'probeIntervalSec', high: 'idleProbeIntervalSec', strict: false },
];

/** Clamps a value into a knob's range (and rounds integer knobs): for the engine's own use. */
export function clampPolicyValue(name: PolicyKnobName, value: number): number {
  const k: PolicyKnob = POLICY_KNOBS[name];
  if (!Number.isFinite(value)) return k.min;
  const v = k.integer ? Math.round(value) : value;
  return Math.min(k.max, Math.max(k.min, v));
}

/** A knob's value when nobody overrides it, in the knob's own unit (read from the engine's
 *  DEFAULT_POLICY, so the options page never shows a stale copy). */
export function knobDefault(name: PolicyKnobName): number {
  const { section, key, scale } = POLICY_KNOBS[name].target;
  const value = (DEFAULT_POLICY as unknown as Record<string, Record<string, number>>)[section]?.[key];
  if (typeof value !== 'number') throw new Error(`policy knob ${name} targets ${section}.${key}, which DEFAULT_POLICY lacks`);
  return Number((value / scale).toPrecision(12));
}

/** A nested patch for the engine's policy, e.g. `{ hedge: { minDelayMs: 200 }, probe: { activeIntervalMs: 60000 } }`. */
export type EnginePolicyPatch = PolicyOverride;

/**
 * Translates user-facing overrides (seconds, percent) into the engine policy's sections and
 * units, ready for `resolvePolicy` in src/policy. Values are clamped first, so even an
 * unvalidated config cannot produce a policy outside the documented bounds.
 */
export function toEnginePolicyPatch(overrides: PolicyOverrides): EnginePolicyPatch {
  const patch: Record<string, Record<string, number>> = {};
  for (const name of POLICY_KNOB_NAMES) {
    const value = overrides[name];
    if (value === undefined) continue;
    const { section, key, scale } = POLICY_KNOBS[name].target;
    const scaled = clampPolicyValue(name, value) * scale;
    // Percent → ratio must not pick up float noise (0.35 not 0.35000000000000003).
    (patch[section] ??= {})[key] = Number(scaled.toPrecision(12));
  }
  // Every knob targets a numeric field of Policy (checked against src/policy by the tests).
  return patch as EnginePolicyPatch;
}
