import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, resolvePolicy, type PolicyOverride } from '../policy.ts';
import { POLICY_KNOBS, POLICY_KNOB_NAMES, POLICY_KNOB_ORDER, clampPolicyValue, toEnginePolicyPatch, type PolicyOverrides } from './policy-overrides.ts';

const all = (pick: 'min' | 'max'): PolicyOverrides =>
  Object.fromEntries(POLICY_KNOB_NAMES.map((n) => [n, POLICY_KNOBS[n][pick]])) as PolicyOverrides;

describe('policy knobs ↔ engine policy (src/policy.ts)', () => {
  it('every knob targets a numeric field of the engine policy', () => {
    const policy = DEFAULT_POLICY as unknown as Record<string, Record<string, unknown>>;
    for (const name of POLICY_KNOB_NAMES) {
      const { section, key } = POLICY_KNOBS[name].target;
      expect(typeof policy[section]?.[key], `${name} → ${section}.${key}`).toBe('number');
    }
  });

  it('the engine default of every knob lies within its bounds', () => {
    const policy = DEFAULT_POLICY as unknown as Record<string, Record<string, number>>;
    for (const name of POLICY_KNOB_NAMES) {
      const k = POLICY_KNOBS[name];
      const userValue = (policy[k.target.section]?.[k.target.key] ?? NaN) / k.target.scale;
      expect(userValue, name).toBeGreaterThanOrEqual(k.min);
      expect(userValue, name).toBeLessThanOrEqual(k.max);
    }
  });

  it('the engine accepts every knob at its minimum and at its maximum', () => {
    for (const pick of ['min', 'max'] as const) {
      const patch = toEnginePolicyPatch(all(pick)) as unknown as PolicyOverride;
      expect(() => resolvePolicy(patch), pick).not.toThrow();
    }
  });

  it('converts units: seconds → ms, percent → ratio', () => {
    expect(toEnginePolicyPatch({ probeIntervalSec: 60, breakerFailureRatePercent: 35, hedgeDelayMinMs: 200 })).toEqual({
      probe: { activeIntervalMs: 60_000 },
      breaker: { failureRatio: 0.35 },
      hedge: { minDelayMs: 200 },
    });
    expect(resolvePolicy(toEnginePolicyPatch({ probeIntervalSec: 60 }) as unknown as PolicyOverride).probe.activeIntervalMs).toBe(60_000);
  });

  it('clamps out-of-range and non-finite values', () => {
    expect(clampPolicyValue('probeIntervalSec', 1)).toBe(30);
    expect(clampPolicyValue('lagToleranceBlocks', 2.6)).toBe(3);
    expect(clampPolicyValue('hedgeLatencyFactor', 1.25)).toBe(1.25);
    expect(clampPolicyValue('requestDeadlineMs', Number.NaN)).toBe(POLICY_KNOBS.requestDeadlineMs.min);
    expect(toEnginePolicyPatch({ probeIntervalSec: 5 })).toEqual({ probe: { activeIntervalMs: 30_000 } });
  });

  it('order constraints refer to real knobs', () => {
    for (const { low, high } of POLICY_KNOB_ORDER) {
      expect(POLICY_KNOB_NAMES).toContain(low);
      expect(POLICY_KNOB_NAMES).toContain(high);
    }
  });
});
