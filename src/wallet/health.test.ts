import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sanitizeWalletReport, WalletHealth, type WalletReport } from './health';

const rabby = { name: 'Rabby Wallet', rdns: 'io.rabby' };
const failed = (servedByLifeline: boolean): WalletReport => ({
  wallet: rabby, chainId: 1, observation: { type: 'failed', method: 'eth_getBalance', failure: 'http-5xx', latencyMs: 12, servedByLifeline },
});
const answered = (latencyMs: number): WalletReport => ({ wallet: rabby, chainId: 1, observation: { type: 'answered', method: 'eth_call', latencyMs } });

describe('sanitizeWalletReport', () => {
  it('keeps a well-formed report', () => {
    expect(sanitizeWalletReport(failed(true))).toEqual(failed(true));
  });
  it('drops malformed reports and bounds strings', () => {
    expect(sanitizeWalletReport({ wallet: { name: '' }, chainId: 1, observation: { type: 'answered', method: 'x', latencyMs: 1 } })).toBeNull();
    expect(sanitizeWalletReport({ wallet: rabby, chainId: 1, observation: { type: 'answered', method: 'x', latencyMs: -1 } })).toBeNull();
    expect(sanitizeWalletReport({ wallet: rabby, chainId: 1, observation: { type: 'evil' } })).toBeNull();
    const long = sanitizeWalletReport({ wallet: { name: 'x'.repeat(10_000) }, chainId: 'one', observation: { type: 'unguardable', reason: 'y'.repeat(10_000) } });
    expect(long?.wallet.name.length).toBeLessThanOrEqual(80);
    expect(long?.chainId).toBeNull();
  });
  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), (value) => void sanitizeWalletReport(value)), { numRuns: 500 });
  });
});

describe('WalletHealth', () => {
  it('tracks a failing streak, reads served by Lifeline, and recovery', () => {
    const health = new WalletHealth();
    health.record(answered(100), 1_000, 'https://app.example');
    health.record(failed(true), 2_000, 'https://app.example');
    health.record(failed(true), 3_000, 'https://app.example');
    health.record(failed(false), 4_000, 'https://app.example');
    let [entry] = health.view().wallets;
    expect(entry).toMatchObject({ answered: 1, failed: 3, servedByLifeline: 2, failingSince: 2_000, lastFailure: 'http-5xx', failuresByClass: { 'http-5xx': 3 } });
    health.record(answered(50), 5_000, 'https://app.example');
    [entry] = health.view().wallets;
    expect(entry?.failingSince).toBeNull();
    // Nearest-rank median of [50, 100], the same percentile the engine uses for endpoints.
    expect(entry?.latencyP50Ms).toBe(50);
  });

  it('survives snapshot and restore (the worker can be stopped any time)', () => {
    const health = new WalletHealth();
    health.record(failed(true), 2_000, 'https://app.example');
    health.record({ wallet: rabby, chainId: null, observation: { type: 'unguardable', reason: 'frozen provider' } }, 2_500, 'https://app.example');
    const restored = WalletHealth.restore(JSON.parse(JSON.stringify(health.snapshot())));
    expect(restored.view()).toEqual(health.view());
  });

  it('keeps a bounded number of entries whatever pages report', () => {
    const health = new WalletHealth();
    for (let i = 0; i < 500; i++) health.record({ wallet: { name: `w${i}` }, chainId: 1, observation: { type: 'answered', method: 'eth_call', latencyMs: 1 } }, i, 'x');
    expect(health.view().wallets.length).toBeLessThanOrEqual(64);
  });
});
