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

/** How long a read waits for this wallet before it is relayed too. */
export function hedgeDelay(provider: object): number {
  if ((unanswered.get(provider) ?? 0) >= WALLET_HEDGE.failingAfterReads) return WALLET_HEDGE.failingMs;
  const samples = latencies.get(provider);
  if (!samples || samples.length < WALLET_HEDGE.minSamples) return WALLET_HEDGE.coldMs;
  const sorted = [...samples].sort((a, b) => a - b);
  return adaptiveDelayMs(percentileOfSorted(sorted, 95), WALLET_HEDGE);
}

/** A successful read of the wallet's own, for its speed. */
export function recordLatency(provider: object, latencyMs: number): void {
  let samples = latencies.get(provider);
  if (!samples) latencies.set(provider, (samples = []));
  samples.push(latencyMs);
  if (samples.length > WALLET_HEDGE.window) samples.shift();
}

/** A read the wallet failed or left past the hedge. */
export function leftUnanswered(provider: object): void {
  unanswered.set(provider, (unanswered.get(provider) ?? 0) + 1);
}

/** The wallet answered a read itself (a result, or an error that is an answer such as a revert). */
export function answeredItself(provider: object): void {
  unanswered.delete(provider);
}
