import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, resolvePolicy, type PolicyOverride } from '../policy/index.ts';
import { POLICY_KNOBS, POLICY_KNOB_NAMES, POLICY_KNOB_ORDER, clampPolicyValue, knobDefault, toEnginePolicyPatch, type PolicyOverrides } from './policy-overrides.ts';

const all = (pick: 'min' | 'max'): PolicyOverrides =>
  Object.fromEntries(POLICY_KNOB_NAMES.map((n) => [n, POLICY_KNOBS[n][pick]])) as PolicyOverrides;

describe('policy knobs ↔ engine policy (src/policy)', () => {
  it('every knob targets a numeric field of the engine policy', () => {
    const policy = DEFAULT_POLICY as unknown as Record<string, Record<string, unknown>>;
    for (const name of POLICY_KNOB_NAMES) {
      const { section, key } = POLICY_KNOBS[name].target;
      expect(typeof policy[section]?.[key], `${name} → ${section}.${key}`).toBe('number');
    }
  });

  it('the engine default of every knob lies within its bounds, and setting it changes nothing', () => {
    for (const name of POLICY_KNOB_NAMES) {
      const k = POLICY_KNOBS[name];
      const value = knobDefault(name);
      expect(value, name).toBeGreaterThanOrEqual(k.min);
      expect(value, name).toBeLessThanOrEqual(k.max);
      expect(resolvePolicy(toEnginePolicyPatch({ [name]: value }) as unknown as PolicyOverride), name).toEqual(DEFAULT_POLICY);
    }
    // The options page shows these as "default" hints; spot-check the units.
    expect(knobDefault('probeIntervalSec')).toBe(DEFAULT_POLICY.probe.activeIntervalMs / 1000);
    expect(knobDefault('breakerFailureRatePercent')).toBe(DEFAULT_POLICY.breaker.failureRatio * 100);
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

describe('POLICY_KNOBS', () => {
  it('has sane bounds', () => {
    for (const [name, k] of Object.entries(POLICY_KNOBS)) {
      expect(k.min, name).toBeLessThan(k.max);
      expect(k.description.length, name).toBeGreaterThan(10);
    }
    // chrome.alarms cannot fire more often than every 30 s.
    expect(POLICY_KNOBS.probeIntervalSec.min).toBe(30);
  });
});
