/**
 * What the guard remembers of each wallet provider: who it is, which chain it is on, how fast it
 * answers reads, and how many reads in a row it left unanswered. Together they give the hedge
 * delay: how long a read waits for the wallet before it is relayed as well.
 *
 * Kept per provider object in weak maps of this module: a provider is one object of one page, so
 * what is known of it holds for every guard that sees it, and it is forgotten with the provider.
 * Plain functions rather than an object of methods, because the page bundles them minified.
 */
import { WALLET_HEDGE, adaptiveDelayMs } from '../../../src/policy/index';
import type { WalletIdentity } from '../../protocol/page-channel';
import { type ProviderLike, parseChainId } from './provider';
import { percentileOfSorted } from '../../../src/health/window';

/** Flags wallets set on their provider, most specific first (many also set isMetaMask). */
const WALLET_FLAGS: ReadonlyArray<readonly [string, string, string]> = [
  ['isRabby', 'Rabby Wallet', 'io.rabby'],
  ['isCoinbaseWallet', 'Coinbase Wallet', 'com.coinbase.wallet'],
  ['isBraveWallet', 'Brave Wallet', 'com.brave.wallet'],
  ['isOkxWallet', 'OKX Wallet', 'com.okex.wallet'],
  ['isTrust', 'Trust Wallet', 'com.trustwallet.app'],
  ['isPhantom', 'Phantom', 'app.phantom'],
  ['isZerion', 'Zerion', 'io.zerion.wallet'],
  ['isFrame', 'Frame', 'sh.frame'],
  ['isMetaMask', 'MetaMask', 'io.metamask'],
];

const identities = new WeakMap<object, WalletIdentity>();
const chainIds = new WeakMap<object, number>();
/** Recent successful wallet read latencies per provider, for the adaptive hedge delay. */
const latencies = new WeakMap<object, number[]>();
/** Reads in a row this wallet failed or left unanswered by the hedge; reset by any answer of
 *  its own (a result or a non-infrastructure error such as a revert). */
const unanswered = new WeakMap<object, number>();

/** The EIP-6963 name it was announced with, else the one its flags suggest. */
export function identityOf(provider: object): WalletIdentity {
  const known = identities.get(provider);
  if (known) return known;
  const p = provider as ProviderLike;
  for (const [flag, name, rdns] of WALLET_FLAGS) if (p[flag] === true) return { name, rdns };
  return { name: 'Injected wallet' };
}

export function announcedAs(provider: object, identity: WalletIdentity): void {
  identities.set(provider, identity);
}

/** The chain last seen (provider.chainId when guarded, chainChanged, an eth_chainId answer). */
export function knownChain(provider: object): number | null {
  return chainIds.get(provider) ?? null;
}

/** Records a chain id as the wallet gave it ("0x1", "1" or 1); ignored unless it parses. */
export function sawChain(provider: object, chainId: unknown): void {
  const parsed = parseChainId(chainId);
  if (parsed) chainIds.set(provider, parsed);
}

/** The wallet's current chain, without ever sending a network read through it. */
export async function currentChain(provider: object, askWallet: () => unknown): Promise<number> {
  const tracked = chainIds.get(provider) ?? parseChainId((provider as ProviderLike).chainId);
  if (tracked) return tracked;
  // eth_chainId is answered locally by wallets, even when their RPC is down; bounded all the same.
  const answer = parseChainId(
    await Promise.race([
      askWallet(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('eth_chainId timed out')), WALLET_HEDGE.relayTimeoutMs)),
    ]),
  );
  if (!answer) throw new Error('unknown chain');
  chainIds.set(provider, answer);
  return answer;
}

/** What the worker knows about wallets on this site (wallet key | chain, or wallet | "*" for
 *  every chain), replaced whole by each advice message. */
let advice = new Map<string, { failing: boolean; hedgeMs?: number }>();
/** Bumped by each advice: prompt answers counted before it do not overrule it. */
let adviceGeneration = 0;
/** Prompt answers of the wallet's own in a row, in the advice generation they were counted in. */
const prompt = new WeakMap<object, { streak: number; generation: number }>();
/** Reads waiting on a wallet, re-examined when advice arrives or a wallet starts failing. */
const waiting = new Set<() => void>();

/** Takes the worker's advice (any page could forge it, but only for itself: checked loosely). */
export function applyAdvice(list: unknown): void {
  if (!Array.isArray(list)) return;
  const next = new Map<string, { failing: boolean; hedgeMs?: number }>();
  for (const a of list.slice(0, 64) as Array<Record<string, unknown> | null>) {
    if (!a || typeof a.wallet !== 'string' || typeof a.failing !== 'boolean') continue;
    const hedgeMs = typeof a.hedgeMs === 'number' && a.hedgeMs >= WALLET_HEDGE.minMs && a.hedgeMs <= WALLET_HEDGE.maxMs ? a.hedgeMs : undefined;
    next.set(`${a.wallet}|${typeof a.chainId === 'number' ? a.chainId : '*'}`, hedgeMs === undefined ? { failing: a.failing } : { failing: a.failing, hedgeMs });
  }
  // Only news of a failure restarts the prompt-answer count: advice that merely refines a
  // learned hedge delay must not keep a recovering wallet relayed.
  const failingKeys = (map: typeof advice) => [...map].filter(([, a]) => a.failing).map(([key]) => key).sort().join();
  if (failingKeys(next) !== failingKeys(advice)) adviceGeneration++;
  advice = next;
  for (const recheck of [...waiting]) recheck();
}

/** Calls `recheck` whenever advice arrives, until the returned function is called. */
export function whileWaiting(recheck: () => void): () => void {
  waiting.add(recheck);
  return () => waiting.delete(recheck);
}

const adviceFor = (provider: object) => {
  const identity = identityOf(provider);
  const wallet = identity.rdns ?? identity.name;
  const chainId = knownChain(provider);
  return (chainId !== null ? advice.get(`${wallet}|${chainId}`) : undefined) ?? advice.get(`${wallet}|*`);
};

const promptStreak = (provider: object): number => {
  const p = prompt.get(provider);
  return p && p.generation === adviceGeneration ? p.streak : 0;
};

/** Relay at once: this tab saw the wallet leave reads unanswered, or the worker says it is
 *  failing on this site, and it has not answered promptly enough since to be trusted again. */
export function isFailing(provider: object): boolean {
  if ((unanswered.get(provider) ?? 0) >= WALLET_HEDGE.failingAfterReads) return true;
  return adviceFor(provider)?.failing === true && promptStreak(provider) < WALLET_HEDGE.recoverAfterPromptAnswers;
}

/** The hedge delay as if the wallet were not failing: its own speed, or what this site learned. */
export function normalHedgeDelay(provider: object): number {
  const samples = latencies.get(provider);
  if (samples && samples.length >= WALLET_HEDGE.minSamples) return adaptiveDelayMs(percentileOfSorted([...samples].sort((a, b) => a - b), 95), WALLET_HEDGE);
  const learned = adviceFor(provider)?.hedgeMs;
  if (learned !== undefined || !samples?.length) return learned ?? WALLET_HEDGE.coldMs;
  // A few answers are no p95 yet, but they bound the wait: a wallet that answered in 20 ms has
  // not "not answered yet" after a whole second (the first read after a page load is often the
  // one that meets an outage). Never longer than the cold delay.
  return Math.min(adaptiveDelayMs(Math.max(...samples), WALLET_HEDGE), WALLET_HEDGE.coldMs);
}

/** How long a read waits for this wallet before it is relayed too. */
export function hedgeDelay(provider: object): number {
  return isFailing(provider) ? WALLET_HEDGE.failingMs : normalHedgeDelay(provider);
}

/** An answer this fast shows the wallet's backend works again (not a backlog draining). */
export function isPrompt(provider: object, latencyMs: number): boolean {
  const samples = latencies.get(provider);
  const median = samples && samples.length > 0 ? percentileOfSorted([...samples].sort((a, b) => a - b), 50)! : 0;
  return latencyMs <= Math.min(Math.max(median * WALLET_HEDGE.promptP50Factor, WALLET_HEDGE.promptMinMs), normalHedgeDelay(provider));
}

/** A read the wallet failed or left past the hedge. */
export function leftUnanswered(provider: object): void {
  const count = (unanswered.get(provider) ?? 0) + 1;
  unanswered.set(provider, count);
  prompt.delete(provider);
  // Reads already waiting on this wallet need not wait out their own hedge any more.
  if (count === WALLET_HEDGE.failingAfterReads) for (const recheck of [...waiting]) recheck();
}

/**
 * The wallet answered a read itself (a result, or an error that is an answer such as a revert),
 * after `latencyMs`. Normally any answer within the longest hedge teaches the guard the wallet's
 * speed and ends a streak of unanswered reads: a slow wallet gets a longer hedge, not relays.
 * While it counts as failing, only prompt answers in a row bring it back, and none is a sample:
 * late answers are the backlog of an outage draining, and trusting them would make the next
 * reads wait a hedge while the wallet is still catching up.
 */
export function answeredItself(provider: object, latencyMs: number): void {
  if (!isFailing(provider)) {
    if (latencyMs > WALLET_HEDGE.maxMs) return;
    recordLatency(provider, latencyMs);
    unanswered.delete(provider);
    return;
  }
  if (!isPrompt(provider, latencyMs)) return void prompt.delete(provider);
  const streak = promptStreak(provider) + 1;
  prompt.set(provider, { streak, generation: adviceGeneration });
  if (streak >= WALLET_HEDGE.recoverAfterPromptAnswers) unanswered.delete(provider);
}

/** A successful read of the wallet's own, for its speed. */
function recordLatency(provider: object, latencyMs: number): void {
  let samples = latencies.get(provider);
  if (!samples) latencies.set(provider, (samples = []));
  samples.push(latencyMs);
  if (samples.length > WALLET_HEDGE.window) samples.shift();
}
