/**
 * The engine knobs a user may override, with the bounds validation enforces. Defaults live in
 * the engine's policy module (src/policy.ts, DESIGN §2); this module only says which knobs exist
 * and what range is sane, so a config typo cannot make Lifeline hammer endpoints or never fail
 * over. The engine should read `POLICY_KNOBS` rather than restate the bounds.
 */

export interface PolicyKnob {
  /** What the knob does and what the bounds protect against; shown in docs and the options UI. */
  description: string;
  unit: 'ms' | 's' | 'blocks' | 'count' | 'percent' | 'factor';
  min: number;
  max: number;
  integer: boolean;
}

export const POLICY_KNOBS = {
  hedgeDelayMinMs: {
    description: 'Lower bound of the adaptive hedge delay (DESIGN: 150 ms). Below ~50 ms nearly every read is sent twice.',
    unit: 'ms', min: 50, max: 5_000, integer: true,
  },
  hedgeDelayMaxMs: {
    description: 'Upper bound of the adaptive hedge delay (DESIGN: 750 ms). Must be ≥ hedgeDelayMinMs.',
    unit: 'ms', min: 100, max: 10_000, integer: true,
  },
  hedgeLatencyFactor: {
    description: 'The hedge fires after p95 latency × this factor, clamped to the bounds above (DESIGN: 1.2).',
    unit: 'factor', min: 1, max: 5, integer: false,
  },
  requestDeadlineMs: {
    description: 'Give up on a request after this long across all endpoints (DESIGN: 8 s). Must exceed hedgeDelayMaxMs.',
    unit: 'ms', min: 1_000, max: 60_000, integer: true,
  },
  lagToleranceBlocks: {
    description: 'How many blocks behind the best head an endpoint may be on Ethereum (DESIGN: 3); other chains scale by block time.',
    unit: 'blocks', min: 0, max: 1_000, integer: true,
  },
  probeIntervalSec: {
    description: 'Health probe period for chains in use (DESIGN: 30 s, the chrome.alarms minimum).',
    unit: 's', min: 30, max: 3_600, integer: true,
  },
  idleProbeIntervalSec: {
    description: 'Health probe period for chains not in use (DESIGN: 5 min).',
    unit: 's', min: 30, max: 86_400, integer: true,
  },
  breakerConsecutiveFailures: {
    description: 'Open an endpoint\'s circuit breaker after this many failures in a row (DESIGN: 3).',
    unit: 'count', min: 1, max: 50, integer: true,
  },
  breakerFailureRatePercent: {
    description: 'Also open it when at least this share of the recent window failed (DESIGN: 50 %).',
    unit: 'percent', min: 10, max: 100, integer: true,
  },
  breakerWindowSize: {
    description: 'Number of recent outcomes the failure rate is computed over (DESIGN: 20).',
    unit: 'count', min: 5, max: 500, integer: true,
  },
  breakerCooldownMs: {
    description: 'First cool-down of an open breaker; doubles on each re-open (DESIGN: 5 s).',
    unit: 'ms', min: 1_000, max: 600_000, integer: true,
  },
  breakerMaxCooldownMs: {
    description: 'Cap of the doubling cool-down (DESIGN: 5 min). Must be ≥ breakerCooldownMs.',
    unit: 'ms', min: 5_000, max: 3_600_000, integer: true,
  },
  broadcastFanout: {
    description: 'How many endpoints eth_sendRawTransaction is sent to.',
    unit: 'count', min: 1, max: 10, integer: true,
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
