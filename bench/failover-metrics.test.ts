import { describe, expect, it } from 'vitest';
import type { ReadRecord } from './failover-page';
import { judge, markdownTable, outageMetrics, windowMetrics, type ScenarioResult, type SideMetrics } from './failover-metrics';

const read = (start: number, ms: number, ok = true): ReadRecord => ({ tab: 't', method: 'eth_blockNumber', start, end: start + ms, ok });
const side = (over: Partial<SideMetrics> = {}): SideMetrics => ({ p50: 10, p99: 20, failed: 0, reads: 5, firstGoodMs: 5, ...over });

describe('windowMetrics', () => {
  it('takes the reads issued in [from, to) only, however long they took', () => {
    const records = [read(999, 1), read(1_000, 30), read(1_500, 9_000), read(1_999, 2), read(2_000, 1)];
    expect(windowMetrics(records, 1_000, 2_000)).toEqual({ p50: 30, p99: 9_000, failed: 0, reads: 3 });
  });

  it('counts a failed read at its time to failure, and as failed', () => {
    const records = [read(0, 10), read(10, 10_000, false), read(20, 12)];
    expect(windowMetrics(records, 0, 100)).toEqual({ p50: 12, p99: 10_000, failed: 1, reads: 3 });
  });

  it('has no percentiles without reads', () => {
    expect(windowMetrics([read(0, 1)], 10, 20)).toEqual({ p50: null, p99: null, failed: 0, reads: 0 });
  });
});

describe('outageMetrics', () => {
  it('first good is the earliest correct answer to a read issued in the window, from the outage start', () => {
    const records = [
      read(900, 200), // issued before the outage: answers at 1 100 but does not count
      read(1_000, 10_000, false),
      read(1_200, 600), // answers at 1 800
      read(1_400, 100), // answers at 1 500: the first good one
    ];
    expect(outageMetrics(records, 1_000, 10_000)).toMatchObject({ firstGoodMs: 500, reads: 3, failed: 1 });
  });

  it('first good is null when every read in the window failed', () => {
    expect(outageMetrics([read(0, 5, false), read(5, 5, false)], 0, 10_000).firstGoodMs).toBeNull();
  });
});

describe('judge', () => {
  const result = (lifeline: SideMetrics): Pick<ScenarioResult, 'lifeline'> => ({ lifeline });

  it('wallet scenarios: p99 within 500 ms, inclusive', () => {
    expect(judge('wallet-open-tab', result(side({ p99: 500 })))?.pass).toBe(true);
    expect(judge('broad-outage', result(side({ p99: 500.1 })))?.pass).toBe(false);
    expect(judge('wallet-new-tab', result(side({ p99: null })))?.pass).toBe(false);
  });

  it('dApp hang: a first good answer within 1.5 s; none is a fail', () => {
    expect(judge('dapp-hang-2s', result(side({ firstGoodMs: 1_499 })))?.pass).toBe(true);
    expect(judge('dapp-hang-1s', result(side({ firstGoodMs: null })))?.pass).toBe(false);
  });

  it('multi-tab: after-recovery p99 against 3× the healthy p99, never tighter than 250 ms', () => {
    const multi = (healthyP99: number, afterP99: number) => result(side({ healthy: { p50: 1, p99: healthyP99, failed: 0, reads: 9 }, after: { p50: 1, p99: afterP99, failed: 0, reads: 9 } }));
    expect(judge('multi-tab', multi(10, 250))?.pass).toBe(true);
    expect(judge('multi-tab', multi(10, 251))?.pass).toBe(false);
    expect(judge('multi-tab', multi(100, 300))?.pass).toBe(true);
    expect(judge('multi-tab', multi(100, 301))?.pass).toBe(false);
    expect(judge('multi-tab', result(side()))?.pass).toBe(false);
  });

  it('recovery: within 60 s; never recovered is a fail', () => {
    expect(judge('recovery-wallet', result(side({ recoveredMs: 60_000 })))?.pass).toBe(true);
    expect(judge('recovery-redirect', result(side({ recoveredMs: null })))?.pass).toBe(false);
  });

  it('has no target for an unknown scenario', () => {
    expect(judge('something-else', result(side()))).toBeNull();
  });
});

describe('markdownTable', () => {
  it('one line per scenario, with both sides and the verdict', () => {
    const table = markdownTable({
      'wallet-open-tab': { lifeline: side({ p99: 300 }), baseline: side({ p50: 10_005, p99: 10_010, failed: 5, firstGoodMs: null }), measuredAt: '' },
      'recovery-wallet': { lifeline: side({ recoveredMs: 400 }), baseline: side({ recoveredMs: 20 }), measuredAt: '' },
    });
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('| wallet-open-tab | 10.0 ms | 300 ms | 0/5 | 5.0 ms | 10.0 s | 10.0 s | 5/5 | never |');
    expect(lines[2]).toMatch(/\| PASS \|$/);
    expect(lines[3]).toContain('recovered 400 ms');
  });
});
