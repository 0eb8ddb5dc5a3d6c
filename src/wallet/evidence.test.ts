import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WALLET_EVIDENCE, WALLET_HEDGE } from '../policy/index.ts';
import { WalletEvidence } from './evidence.ts';
import type { WalletReport } from './health.ts';

const METAMASK = { name: 'MetaMask', rdns: 'io.metamask' };
const failed = (chainId = 1): WalletReport => ({ wallet: METAMASK, chainId, observation: { type: 'failed', method: 'eth_call', failure: 'no-answer', latencyMs: 1000, servedByLifeline: true } });
const answered = (latencyMs = 40, chainId = 1): WalletReport => ({ wallet: METAMASK, chainId, observation: { type: 'answered', method: 'eth_call', latencyMs } });
const NONE = new Set<string>();
const A = 'https://app.one.example';
const B = 'https://app.two.example';
const C = 'https://third.example';

function failOn(evidence: WalletEvidence, site: string, now: number, { served }: { served: boolean }): void {
  for (let i = 0; i < WALLET_HEDGE.failingAfterReads; i++) evidence.recordReport(site, failed(), now);
  if (served) evidence.recordRelayServed(site, 'io.metamask', 1, now);
}
const failingFor = (evidence: WalletEvidence, site: string, now: number, down = NONE) =>
  evidence.adviceFor(site, now, down).some((a) => a.wallet === 'io.metamask' && a.failing);

describe('wallet evidence: who may steer whose tabs', () => {
  it("a site's own failing streak steers that site's tabs only", () => {
    const evidence = new WalletEvidence();
    evidence.recordReport(A, failed(), 0);
    expect(failingFor(evidence, A, 0)).toBe(false); // one failure can be a blip
    evidence.recordReport(A, failed(), 10);
    expect(failingFor(evidence, A, 10)).toBe(true);
    expect(failingFor(evidence, B, 10)).toBe(false);
  });

  it('relays served to two different sites make the failure every site’s', () => {
    const evidence = new WalletEvidence();
    failOn(evidence, A, 0, { served: true });
    expect(failingFor(evidence, C, 0)).toBe(false);
    failOn(evidence, B, 5, { served: true });
    expect(failingFor(evidence, C, 5)).toBe(true);
  });

  it('a page that only posts reports (no relays served) steers no other site and is not shown as failing', () => {
    const evidence = new WalletEvidence();
    for (let i = 0; i < 6; i++) evidence.recordReport(A, failed(), i);
    for (let i = 0; i < 6; i++) evidence.recordReport(B, failed(), i);
    expect(failingFor(evidence, C, 6)).toBe(false);
    expect(evidence.failureOf(METAMASK, 1, 6, NONE)).toEqual({ confirmedSince: null, reportingSites: 2 });
  });

  it('the popup calls a wallet failing on relays the worker served to the reporting site', () => {
    const evidence = new WalletEvidence();
    failOn(evidence, A, 100, { served: true });
    expect(evidence.failureOf(METAMASK, 1, 200, NONE)).toEqual({ confirmedSince: 100, reportingSites: 1 });
  });

  it("one site's healthy reports cannot hide another site's outage", () => {
    const evidence = new WalletEvidence();
    failOn(evidence, A, 0, { served: true });
    failOn(evidence, B, 0, { served: true });
    for (let i = 0; i < 50; i++) evidence.recordReport(C, answered(), 1 + i);
    expect(failingFor(evidence, C, 60)).toBe(true);
    expect(evidence.failureOf(METAMASK, 1, 60, NONE).confirmedSince).toBe(0);
    // The site's own answers do end its own streak.
    evidence.recordReport(A, answered(), 70);
    evidence.recordReport(B, answered(), 70);
    expect(failingFor(evidence, C, 70)).toBe(false);
    expect(failingFor(evidence, A, 70)).toBe(false);
  });

  it("a wallet whose backend is down is advised failing everywhere, on every chain", () => {
    const evidence = new WalletEvidence();
    const down = new Set(['io.rabby']);
    expect(evidence.adviceFor(C, 0, down)).toContainEqual({ wallet: 'io.rabby', chainId: null, failing: true });
    const rabby = { name: 'Rabby Wallet', rdns: 'io.rabby' };
    evidence.recordReport(A, { wallet: rabby, chainId: 10, observation: { type: 'failed', method: 'eth_call', failure: 'http-5xx', latencyMs: 5, servedByLifeline: false } }, 1);
    evidence.recordReport(A, { wallet: rabby, chainId: 10, observation: { type: 'failed', method: 'eth_call', failure: 'http-5xx', latencyMs: 5, servedByLifeline: false } }, 2);
    expect(evidence.failureOf(rabby, 10, 3, down).confirmedSince).toBe(2);
    expect(evidence.failureOf(rabby, 10, 3, NONE).confirmedSince).toBeNull();
  });

  it('evidence stops counting once no page has seen the failure for a while', () => {
    const evidence = new WalletEvidence();
    failOn(evidence, A, 0, { served: true });
    failOn(evidence, B, 0, { served: true });
    expect(failingFor(evidence, C, WALLET_EVIDENCE.liveForMs)).toBe(true);
    expect(failingFor(evidence, C, WALLET_EVIDENCE.liveForMs + 1)).toBe(false);
    expect(failingFor(evidence, A, WALLET_EVIDENCE.liveForMs + 1)).toBe(false);
    expect(evidence.failureOf(METAMASK, 1, WALLET_EVIDENCE.liveForMs + 1, NONE)).toEqual({ confirmedSince: null, reportingSites: 0 });
  });

  it("a site's learned hedge delay goes to that site's tabs only", () => {
    const evidence = new WalletEvidence();
    for (let i = 0; i < WALLET_HEDGE.minSamples; i++) evidence.recordReport(A, answered(100), i);
    const advice = evidence.adviceFor(A, 10, NONE);
    // p95 100 ms × 1.5 is below the floor, so the floor.
    expect(advice).toEqual([{ wallet: 'io.metamask', chainId: 1, failing: false, hedgeMs: WALLET_HEDGE.minMs }]);
    expect(evidence.adviceFor(B, 10, NONE)).toEqual([]);
  });

  it('stays bounded whatever pages send', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.boolean()), { maxLength: 400 }), (reports) => {
        const evidence = new WalletEvidence();
        for (const [site, chainId, ok] of reports) evidence.recordReport(`https://s${site}.example`, ok ? answered(10, chainId) : failed(chainId), 0);
        const snapshot = evidence.snapshot();
        expect(snapshot.entries.length).toBeLessThanOrEqual(WALLET_EVIDENCE.maxWallets);
        for (const entry of snapshot.entries) expect(entry.sites.length).toBeLessThanOrEqual(WALLET_EVIDENCE.maxSitesPerWallet);
        expect(evidence.adviceFor('https://s1.example', 0, new Set(['a', 'b'])).length).toBeLessThanOrEqual(WALLET_EVIDENCE.maxAdvice);
      }),
    );
  });

  it('survives a worker restart; garbage in storage restores as nothing', () => {
    const evidence = new WalletEvidence();
    failOn(evidence, A, 0, { served: true });
    failOn(evidence, B, 0, { served: true });
    const restored = WalletEvidence.restore(JSON.parse(JSON.stringify(evidence.snapshot())));
    expect(failingFor(restored, C, 10)).toBe(true);
    for (const garbage of [null, 7, 'x', { version: 2 }, { version: 1, entries: [null, { wallet: 1 }, { wallet: 'w', chainId: 1, sites: [null, { site: 5 }] }] }]) {
      expect(() => WalletEvidence.restore(garbage).adviceFor(A, 0, NONE)).not.toThrow();
    }
  });
});
