import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { resolvePolicy } from '../policy/index';
import { PAGE_TRAFFIC } from '../policy/index';
import { createPageTracker, type PageTrafficLimits, type TrackerChange } from './tracker';
import type { Observation } from './observe';

const LIMITS: PageTrafficLimits = {
  ...PAGE_TRAFFIC,
  hangTimeoutMs: 4_000,
  maxTrackedEndpoints: 5,
  maxPendingRequests: 10,
  pendingMaxAgeMs: 120_000,
  chainLookupRetryMs: 60_000,
  notEvmRetryMs: 3_600_000,
  recoveryProbeFirstMs: 5_000,
  recoveryProbeMaxMs: 60_000,
};
const URL_A = 'https://rpc.example.org/v1/abc';
const URL_B = 'https://other.example.org/';
const ok = { kind: 'completed', statusCode: 200, retryAfter: null, latencyMs: 20 } as const;
const http503 = { kind: 'completed', statusCode: 503, retryAfter: null, latencyMs: 5 } as const;
const refused = { kind: 'error', error: 'net::ERR_CONNECTION_REFUSED', latencyMs: 1 } as const;

function setup(limits: Partial<PageTrafficLimits> = {}) {
  const clock = createManualClock();
  const changes: TrackerChange[] = [];
  const probesDue: string[][] = [];
  const tracker = createPageTracker({
    clock,
    policy: resolvePolicy(),
    limits: { ...LIMITS, ...limits },
    onChange: (c) => changes.push(c),
    onProbeDue: (urls) => probesDue.push(urls),
  });
  let n = 0;
  const request = (url: string, observation?: Exclude<Observation, { kind: 'timeout' }>, meta = { contactAllowed: true }) => {
    const id = `r${++n}`;
    tracker.begin(id, url, meta);
    if (observation) tracker.finish(id, url, observation);
    return id;
  };
  return { clock, tracker, changes, probesDue, request };
}

describe('page endpoint health', () => {
  it('goes down after the breaker’s consecutive failures, with a reason people can read', () => {
    const { tracker, changes, request } = setup();
    request(URL_A, ok);
    request(URL_A, http503);
    request(URL_A, http503);
    expect(tracker.down()).toEqual([]);
    request(URL_A, http503);
    expect(changes.at(-1)).toMatchObject({ url: URL_A, source: 'request', transition: 'down' });
    expect(tracker.down()).toEqual([{ url: URL_A, since: expect.any(Number), reason: 'HTTP 503 ×3' }]);
  });

  it('a success in between resets the streak', () => {
    const { tracker, request } = setup();
    request(URL_A, refused);
    request(URL_A, refused);
    request(URL_A, ok);
    request(URL_A, refused);
    request(URL_A, refused);
    expect(tracker.down()).toEqual([]);
  });

  it('hangs: its own timer counts a request without an answer as a timeout, once', () => {
    const { clock, tracker, changes, request } = setup();
    const ids = [request(URL_A), request(URL_A), request(URL_A)];
    clock.advanceBy(3_999);
    expect(changes).toEqual([]);
    clock.advanceBy(1);
    expect(changes.map((c) => c.outcome.kind === 'failure' && c.outcome.detail)).toEqual(['no answer in 4 s', 'no answer in 4 s', 'no answer in 4 s']);
    expect(changes.at(-1)?.transition).toBe('down');
    expect(tracker.down()[0]?.reason).toBe('no answer in 4 s ×3');
    // The page gives up later (abort) or the connection finally fails: not counted again.
    tracker.finish(ids[0]!, URL_A, { kind: 'error', error: 'net::ERR_ABORTED', latencyMs: 5_000 });
    tracker.finish(ids[1]!, URL_A, refused);
    expect(changes).toHaveLength(3);
    expect(tracker.pendingCount()).toBe(1);
    // A late answer is news: the endpoint is alive after all.
    tracker.finish(ids[2]!, URL_A, ok);
    expect(changes.at(-1)).toMatchObject({ transition: 'up', outcome: { kind: 'success' } });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('answered requests cancel their hang timer', () => {
    const { clock, tracker, changes, request } = setup();
    request(URL_A, ok);
    request(URL_A, http503);
    expect(clock.pendingTimers()).toBe(0);
    clock.advanceBy(10_000);
    expect(changes).toHaveLength(2);
    expect(tracker.pendingCount()).toBe(0);
  });

  it('redirected requests and cancellations say nothing about the endpoint', () => {
    const { clock, tracker, changes, request } = setup();
    for (let i = 0; i < 5; i++) tracker.redirected(request(URL_A));
    request(URL_A, { kind: 'error', error: 'net::ERR_ABORTED', latencyMs: 1 });
    clock.advanceBy(10_000);
    expect(changes).toEqual([]);
    expect(tracker.down()).toEqual([]);
  });

  it('ignores an end reported for another URL than the request began with (a redirect moved it)', () => {
    const { tracker, changes } = setup();
    tracker.begin('x', URL_A, { contactAllowed: true });
    expect(tracker.finish('x', URL_B, http503)).toBeNull();
    expect(changes).toEqual([]);
  });

  it('schedules recovery probes: first after 5 s, doubling on failure up to a minute; a success brings it back', () => {
    const { clock, tracker, changes, probesDue, request } = setup();
    for (let i = 0; i < 3; i++) request(URL_A, refused);
    expect(tracker.takeDueProbes()).toEqual([]);
    clock.advanceBy(5_000);
    expect(probesDue).toEqual([[URL_A]]);
    // Being probed: not handed out twice.
    expect(tracker.takeDueProbes()).toEqual([]);
    expect(tracker.recordProbe(URL_A, false, 'connection failed')).toBeNull();
    clock.advanceBy(9_999);
    expect(probesDue).toHaveLength(1);
    clock.advanceBy(1);
    expect(probesDue).toHaveLength(2);
    for (const expected of [20_000, 40_000, 60_000, 60_000]) {
      tracker.recordProbe(URL_A, false);
      clock.advanceBy(expected - 1);
      const before = probesDue.length;
      clock.advanceBy(1);
      expect(probesDue.length, `next probe after ${expected} ms`).toBe(before + 1);
    }
    const change = tracker.recordProbe(URL_A, true);
    expect(change).toMatchObject({ url: URL_A, source: 'probe', transition: 'up' });
    expect(changes.at(-1)).toBe(change);
    expect(tracker.down()).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('never probes an endpoint it may not contact', () => {
    const { clock, tracker, probesDue, request } = setup();
    for (let i = 0; i < 3; i++) request(URL_A, refused, { contactAllowed: false });
    clock.advanceBy(120_000);
    expect(probesDue).toEqual([]);
    expect(tracker.down()).toHaveLength(1);
  });

  it('chain look-ups: once at a time, retried after a minute when unreachable, an hour when not EVM', () => {
    const { clock, tracker, request } = setup();
    request(URL_A, ok);
    expect(tracker.needsChainLookup(URL_A)).toBe(true);
    tracker.startChainLookup(URL_A);
    expect(tracker.needsChainLookup(URL_A)).toBe(false);
    tracker.finishChainLookup(URL_A, { kind: 'failed' });
    clock.advanceBy(59_999);
    expect(tracker.needsChainLookup(URL_A)).toBe(false);
    clock.advanceBy(1);
    expect(tracker.needsChainLookup(URL_A)).toBe(true);
    tracker.startChainLookup(URL_A);
    tracker.finishChainLookup(URL_A, { kind: 'not-evm' });
    clock.advanceBy(60_000);
    expect(tracker.needsChainLookup(URL_A)).toBe(false);
    clock.advanceBy(3_540_000);
    expect(tracker.needsChainLookup(URL_A)).toBe(true);
    tracker.startChainLookup(URL_A);
    tracker.finishChainLookup(URL_A, { kind: 'chain', chainId: 1337 });
    expect(tracker.endpoint(URL_A)).toMatchObject({ chainId: 1337, chainSource: 'lookup' });
    expect(tracker.needsChainLookup(URL_A)).toBe(false);
  });

  it('never looks up a URL it may not contact, nor one whose chain the URL names', () => {
    const { tracker, request } = setup();
    request(URL_A, ok, { contactAllowed: false });
    expect(tracker.needsChainLookup(URL_A)).toBe(false);
    tracker.begin('y', URL_B, { contactAllowed: true, chainId: 10, chainSource: 'url' });
    expect(tracker.needsChainLookup(URL_B)).toBe(false);
    expect(tracker.endpoint(URL_B)?.chainId).toBe(10);
  });

  it('is bounded: pending requests and tracked endpoints (down ones are kept)', () => {
    const { tracker, request } = setup();
    for (let i = 0; i < 3; i++) request(URL_A, refused);
    for (let i = 0; i < 30; i++) request(`https://n${i}.example.org/`);
    expect(tracker.pendingCount()).toBeLessThanOrEqual(LIMITS.maxPendingRequests);
    expect(tracker.endpoints().length).toBeLessThanOrEqual(LIMITS.maxTrackedEndpoints);
    expect(tracker.isTracked(URL_A)).toBe(true);
  });

  it('snapshot and restore keep a down endpoint, its chain and its probe schedule (worker restart)', () => {
    const first = setup();
    first.tracker.begin('a', URL_A, { contactAllowed: true, chainId: 1, chainSource: 'url' });
    first.tracker.finish('a', URL_A, http503);
    for (let i = 0; i < 2; i++) first.request(URL_A, http503);
    first.request(URL_B, ok);
    const snapshot = JSON.parse(JSON.stringify(first.tracker.snapshot())) as unknown;

    const second = setup();
    second.clock.advanceBy(first.clock.now() - second.clock.now());
    second.tracker.restore(snapshot);
    expect(second.tracker.down()).toEqual(first.tracker.down());
    expect(second.tracker.endpoint(URL_B)).toMatchObject({ url: URL_B, contactAllowed: true });
    second.clock.advanceBy(5_000);
    expect(second.probesDue).toEqual([[URL_A]]);
    expect(second.tracker.recordProbe(URL_A, true)?.transition).toBe('up');
  });

  it('restore ignores malformed snapshots', () => {
    const { tracker } = setup();
    for (const bad of [null, 5, { version: 2, endpoints: [] }, { version: 1, endpoints: [{ url: 3 }, null, 'x'] }]) tracker.restore(bad);
    expect(tracker.endpoints()).toEqual([]);
  });
});
