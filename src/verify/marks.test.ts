// Verification marks outlive the worker: a benched endpoint stays benched after a snapshot is
// restored (as after a service-worker stop), until its cool-down ends; bad snapshots are ignored.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { createEngine } from '../engine/engine.ts';
import { makeEndpoint } from '../testing/sim-network.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import { createVerificationMarks } from './marks.ts';

const failure = { endpointId: '1:liar', chainId: 1, method: 'eth_getBalance', block: '0x10', reason: 'proof does not match stateRoot' };

describe('verification marks across a restart', () => {
  it('a benched endpoint is still benched after a JSON round trip, until its cool-down ends', () => {
    const clock = createManualClock();
    const before = createVerificationMarks(clock);
    before.failed(failure);
    before.cannotVerify('1:noproof', 1);
    before.countRead(1, 'proven');
    clock.advanceBy(1_000);
    const after = createVerificationMarks(clock);
    after.restore(JSON.parse(JSON.stringify(before.snapshot())));
    expect(after.benched('1:liar')).toBe(true);
    expect(after.avoided(1)).toEqual(['1:liar', '1:noproof']);
    expect(after.view().chains).toEqual([{ chainId: 1, proven: 1, notVerified: 0, failed: 1 }]);
    clock.advanceBy(VERIFY_POLICY.failedCooldownMs);
    expect(after.benched('1:liar')).toBe(false);
  });

  it('drops malformed entries and marks already past; never benches longer than a cool-down', () => {
    const clock = createManualClock();
    const marks = createVerificationMarks(clock);
    const now = clock.now();
    marks.restore({
      failed: [
        { ...failure, at: now, until: now + 10 * VERIFY_POLICY.failedCooldownMs },
        { ...failure, endpointId: '1:old', at: now - 5, until: now - 1 },
        { ...failure, endpointId: 7, at: now, until: now + 1 },
        'nonsense',
      ],
      cannotVerify: [{ endpointId: '1:x', chainId: -1 }],
      chains: [{ chainId: 1, proven: 1.5, notVerified: 0, failed: 0 }],
    });
    const view = marks.view();
    expect(view.failed.map((m) => m.endpointId)).toEqual(['1:liar']);
    expect(view.failed[0]!.until).toBe(now + VERIFY_POLICY.failedCooldownMs);
    expect(view.cannotVerify).toEqual([]);
    expect(view.chains).toEqual([]);
    marks.restore(null);
    marks.restore('x');
    expect(marks.view().failed).toHaveLength(1);
  });

  it('re-enabling lifts both kinds of mark', () => {
    const marks = createVerificationMarks(createManualClock());
    marks.failed(failure);
    marks.cannotVerify('1:liar', 1);
    expect(marks.reenable('1:liar')).toBe(true);
    expect(marks.avoided(1)).toEqual([]);
  });

  it('an engine built from a snapshot keeps the bench and the counts', () => {
    const clock = createManualClock();
    const endpoints = [makeEndpoint('1:liar'), makeEndpoint('1:honest')];
    const first = createEngine({ endpoints, clock, transport: () => new Promise(() => {}) });
    const marks = createVerificationMarks(clock);
    marks.failed(failure);
    const snapshot = JSON.parse(JSON.stringify({ ...first.snapshot(), verification: marks.snapshot() }));
    const second = createEngine({ endpoints, clock, transport: () => new Promise(() => {}), snapshot });
    expect(second.verificationView().failed.map((m) => m.endpointId)).toEqual(['1:liar']);
    expect(JSON.parse(JSON.stringify(second.snapshot())).verification.failed).toHaveLength(1);
  });
});
