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

describe('fast detection: adaptive threshold, page aborts, confirming checks', () => {
  const FAST = { kind: 'completed', statusCode: 200, retryAfter: null, latencyMs: 30 } as const;
  const aborted = (latencyMs: number) => ({ kind: 'error', error: 'net::ERR_ABORTED', latencyMs }) as const;

  function withChecks(limits: Partial<PageTrafficLimits> = {}) {
    const clock = createManualClock();
    const changes: TrackerChange[] = [];
    const checks: Array<{ url: string; timeoutMs: number; urgent: boolean; at: number }> = [];
    const tracker = createPageTracker({
      clock,
      policy: resolvePolicy(),
      limits: { ...LIMITS, maxTrackedEndpoints: 50, ...limits },
      onChange: (c) => changes.push(c),
      onCheckDue: (url, timeoutMs, urgent) => checks.push({ url, timeoutMs, urgent, at: clock.now() }),
    });
    let n = 0;
    const begin = (url = URL_A) => {
      const id = `q${++n}`;
      tracker.begin(id, url, { contactAllowed: true });
      return id;
    };
    const answered = (url = URL_A, observation: Exclude<Observation, { kind: 'timeout' }> = FAST) => tracker.finish(begin(url), url, observation);
    const warmUp = (url = URL_A) => {
      for (let i = 0; i < 10; i++) answered(url);
    };
    return { clock, tracker, changes, checks, begin, answered, warmUp };
  }

  it('a host answering in tens of ms is suspected after the floor, not after 4 s; the check confirms and it goes down', () => {
    const { clock, tracker, changes, checks, begin, warmUp } = withChecks();
    warmUp();
    const threshold = tracker.hangThreshold(URL_A);
    expect(threshold).toBe(LIMITS.hangThreshold.floorMs);
    begin();
    clock.advanceBy(threshold - 1);
    expect(checks).toEqual([]);
    clock.advanceBy(1);
    expect(checks).toEqual([{ url: URL_A, timeoutMs: threshold, urgent: true, at: clock.now() }]);
    expect(tracker.down()).toEqual([]);
    // The check hangs as well: two independent observations, the breaker opens at once.
    clock.advanceBy(threshold);
    const change = tracker.recordCheck(URL_A, { kind: 'failed', failure: { kind: 'failure', failureClass: 'timeout', detail: 'no answer in 0.5 s' } });
    expect(change).toMatchObject({ source: 'probe', transition: 'down' });
    expect(tracker.down()).toEqual([{ url: URL_A, since: clock.now(), reason: 'no answer in 0.5 s' }]);
    expect(changes.filter((c) => c.transition === 'down')).toHaveLength(1);
  });

  it('a suspected request whose check finds the host answering changes nothing (a slow request, not a dead host)', () => {
    const { clock, tracker, checks, begin, warmUp } = withChecks();
    warmUp();
    begin();
    clock.advanceBy(tracker.hangThreshold(URL_A));
    expect(checks).toHaveLength(1);
    tracker.recordCheck(URL_A, { kind: 'alive', chainId: 1 });
    // Another suspected request within the gap: no second check.
    begin();
    clock.advanceBy(LIMITS.checkMinGapMs - 1);
    expect(checks).toHaveLength(1);
    // A failed check later is a first observation only: it asks for a confirming one, no outage yet.
    clock.advanceBy(LIMITS.checkMinGapMs);
    begin();
    clock.advanceBy(tracker.hangThreshold(URL_A));
    expect(checks).toHaveLength(2);
    tracker.recordCheck(URL_A, { kind: 'alive' });
    expect(tracker.down()).toEqual([]);
  });

  it('a 503 from the page is confirmed by one check instead of waiting for three', () => {
    const { tracker, checks, answered, warmUp } = withChecks();
    warmUp();
    answered(URL_A, http503);
    expect(checks.map((c) => c.urgent)).toEqual([true]);
    expect(tracker.down()).toEqual([]);
    tracker.recordCheck(URL_A, { kind: 'failed', failure: { kind: 'failure', failureClass: 'http-5xx', detail: 'HTTP 503', httpStatus: 503 } });
    expect(tracker.down()).toEqual([{ url: URL_A, since: expect.any(Number), reason: 'HTTP 503 ×2' }]);
  });

  it('a page abort after the threshold counts as a hang; before it, nothing (a slow healthy host is never blamed)', () => {
    const { clock, tracker, changes, begin, warmUp } = withChecks();
    warmUp();
    const threshold = tracker.hangThreshold(URL_A);
    const before = changes.length;
    for (let i = 0; i < 10; i++) {
      const id = begin();
      clock.advanceBy(threshold - 1);
      tracker.finish(id, URL_A, aborted(threshold - 1));
    }
    expect(changes).toHaveLength(before);
    expect(tracker.endpoint(URL_A)?.breaker.consecutiveFailures).toBe(0);

    const id = begin();
    clock.advanceBy(threshold + 500);
    const change = tracker.finish(id, URL_A, aborted(threshold + 500));
    expect(change?.outcome).toMatchObject({ kind: 'failure', failureClass: 'timeout', detail: 'no answer in 0.5 s' });
    expect(tracker.endpoint(URL_A)?.breaker.consecutiveFailures).toBe(1);
  });

  it('without checks (an endpoint it may not contact), page aborts past the threshold still open the breaker after three', () => {
    const { clock, tracker, checks } = withChecks();
    for (let i = 0; i < 10; i++) {
      tracker.begin(`w${i}`, URL_B, { contactAllowed: false });
      tracker.finish(`w${i}`, URL_B, FAST);
    }
    const threshold = tracker.hangThreshold(URL_B);
    for (let i = 0; i < 3; i++) {
      tracker.begin(`x${i}`, URL_B, { contactAllowed: false });
      clock.advanceBy(threshold);
      tracker.finish(`x${i}`, URL_B, aborted(threshold));
    }
    expect(checks).toEqual([]);
    expect(tracker.down().map((d) => d.url)).toEqual([URL_B]);
  });

  it('the threshold learns a slow host: its usual latency is not suspected', () => {
    const { clock, tracker, checks, begin, answered } = withChecks();
    for (let i = 0; i < 20; i++) answered(URL_A, { ...FAST, latencyMs: 600 });
    expect(tracker.hangThreshold(URL_A)).toBe(2_400);
    const id = begin();
    clock.advanceBy(2_000);
    tracker.finish(id, URL_A, { ...FAST, latencyMs: 2_000 });
    expect(checks).toEqual([]);
  });
});

describe('quiet-time checks of endpoints pages use', () => {
  function watched() {
    const clock = createManualClock();
    const checks: Array<{ url: string; urgent: boolean; at: number }> = [];
    const tracker = createPageTracker({
      clock,
      policy: resolvePolicy(),
      limits: LIMITS,
      onCheckDue: (url, _timeoutMs, urgent) => checks.push({ url, urgent, at: clock.now() }),
    });
    let n = 0;
    const answered = (url: string, contactAllowed = true) => {
      const id = `p${++n}`;
      tracker.begin(id, url, { contactAllowed });
      tracker.finish(id, url, ok);
    };
    return { clock, tracker, checks, answered };
  }

  it('a quiet endpoint is checked once per interval while in use, then no more (no timers left)', () => {
    const { clock, tracker, checks, answered } = watched();
    const start = clock.now();
    answered(URL_A);
    clock.advanceBy(LIMITS.watchIntervalMs - 1);
    expect(checks).toEqual([]);
    clock.advanceBy(1);
    expect(checks).toEqual([{ url: URL_A, urgent: false, at: start + LIMITS.watchIntervalMs }]);
    // One at a time: nothing more until it is answered.
    clock.advanceBy(LIMITS.watchIntervalMs * 2);
    expect(checks).toHaveLength(1);
    tracker.recordCheck(URL_A, { kind: 'alive' });
    clock.advanceBy(LIMITS.watchActiveMs * 2);
    const count = checks.length;
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThanOrEqual(Math.ceil(LIMITS.watchActiveMs / LIMITS.watchIntervalMs) + 1);
    for (const c of checks.slice(1)) tracker.recordCheck(c.url, { kind: 'alive' });
    clock.advanceBy(LIMITS.watchActiveMs * 2);
    expect(checks).toHaveLength(count);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a busy endpoint gets no check: the page’s own answers are the evidence', () => {
    const { clock, checks, answered } = watched();
    for (let t = 0; t < 60_000; t += 4_000) {
      answered(URL_A);
      clock.advanceBy(4_000);
    }
    expect(checks).toEqual([]);
  });

  it('never checks an endpoint it may not contact', () => {
    const { clock, checks, answered } = watched();
    answered(URL_B, false);
    clock.advanceBy(LIMITS.watchActiveMs * 2);
    expect(checks).toEqual([]);
  });

  it('a quiet endpoint found failing by a check is confirmed by a second one and goes down before the page’s next request', () => {
    const { clock, tracker, checks, answered } = watched();
    answered(URL_A);
    clock.advanceBy(LIMITS.watchIntervalMs);
    expect(checks).toHaveLength(1);
    const fail = { kind: 'failed', failure: { kind: 'failure', failureClass: 'http-5xx', detail: 'HTTP 503', httpStatus: 503 } } as const;
    tracker.recordCheck(URL_A, fail);
    expect(tracker.down()).toEqual([]);
    expect(checks.at(-1)).toMatchObject({ url: URL_A, urgent: true });
    tracker.recordCheck(URL_A, fail);
    expect(tracker.down()).toEqual([{ url: URL_A, since: clock.now(), reason: 'HTTP 503 ×2' }]);
  });
});

describe('recovery of a host that alternates', () => {
  it('the first outage ends at the first good probe; a repeated one only after a hold of good probes', () => {
    const { clock, tracker, changes, probesDue, request } = setup();
    const goDown = () => {
      for (let i = 0; i < 3; i++) request(URL_A, refused);
      expect(tracker.down()).toHaveLength(1);
    };
    goDown();
    clock.advanceBy(LIMITS.recoveryProbeFirstMs);
    expect(tracker.recordProbe(URL_A, true)?.transition).toBe('up');

    // Down again soon after: a good probe starts the hold, probes come every holdProbeGapMs.
    clock.advanceBy(1_000);
    goDown();
    clock.advanceBy(LIMITS.recoveryProbeFirstMs);
    let ups = changes.filter((c) => c.transition === 'up').length;
    expect(tracker.recordProbe(URL_A, true)?.transition).toBeUndefined();
    expect(tracker.down()).toHaveLength(1);
    // A failure during the hold starts it over.
    let due = probesDue.length;
    clock.advanceBy(LIMITS.holdProbeGapMs);
    expect(probesDue.length).toBe(due + 1);
    tracker.recordProbe(URL_A, false);
    expect(tracker.endpoint(URL_A)?.upSince).toBeUndefined();
    // Good probes from now on: down until the hold has passed, then up.
    let holdStart: number | undefined;
    let upAt: number | undefined;
    for (let i = 0; i < 100 && upAt === undefined; i++) {
      due = probesDue.length;
      clock.advanceBy(Math.max(0, (clock.nextTimerAt() ?? clock.now()) - clock.now()));
      if (probesDue.length === due) continue;
      holdStart ??= clock.now();
      if (tracker.recordProbe(URL_A, true)?.transition === 'up') upAt = clock.now();
      else expect(tracker.down()).toHaveLength(1);
    }
    expect(upAt! - holdStart!).toBeGreaterThanOrEqual(LIMITS.flapHoldMs);
    expect(upAt! - holdStart!).toBeLessThan(LIMITS.flapHoldMs + LIMITS.holdProbeGapMs);
    expect(changes.filter((c) => c.transition === 'up').length).toBe(++ups);
  });

  it('keeps the flap count across a worker restart', () => {
    const first = setup();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) first.request(URL_A, refused);
      first.clock.advanceBy(LIMITS.recoveryProbeFirstMs);
      first.tracker.recordProbe(URL_A, true);
    }
    expect(first.tracker.down()).toHaveLength(1); // holding
    const second = setup();
    second.clock.advanceBy(first.clock.now() - second.clock.now());
    second.tracker.restore(JSON.parse(JSON.stringify(first.tracker.snapshot())));
    expect(second.tracker.endpoint(URL_A)?.downs).toHaveLength(2);
    expect(second.tracker.recordProbe(URL_A, true)?.transition).toBeUndefined();
  });
});
