/**
 * Which chains the user is using now (seen in relays and wallet reports recently). Chains in use
 * are probed every active interval; idle ones only if the user gave them their own endpoints
 * (every idle interval), to spare public endpoints (src/health/probe-schedule.ts).
 */
import { SHELL_POLICY } from '../../src/policy/index';
import { session } from './lib/storage';

const lastSeen = new Map<number, number>();
let loaded: Promise<void> | null = null;

function load(): Promise<void> {
  loaded ??= session.get('chainsInUse').then((stored) => {
    for (const [chainId, at] of Object.entries(stored)) {
      if (!lastSeen.has(Number(chainId))) lastSeen.set(Number(chainId), at);
    }
  });
  return loaded;
}

export function noteChainInUse(chainId: number, now = Date.now()): void {
  const previous = lastSeen.get(chainId);
  lastSeen.set(chainId, now);
  // Persist only when the chain was new or its mark was getting old: not on every read.
  if (previous === undefined || now - previous > SHELL_POLICY.chainInUseRewriteAfterMs) void session.set('chainsInUse', Object.fromEntries(lastSeen));
}

export async function chainsInUse(now = Date.now()): Promise<number[]> {
  await load();
  return [...lastSeen].filter(([, at]) => now - at < SHELL_POLICY.chainInUseForMs).map(([chainId]) => chainId);
}
