// Isolated-world bridge between the page's MAIN-world guard and the service worker: the trust
// boundary. Every message a page can post is treated as hostile and validated here, then again by
// the worker. Only well-formed relays of read methods, bounded in size, rate and concurrency,
// are forwarded; the page never chooses an endpoint or URL.
import { onMessage, sendMessage } from '../messages';
import { ADD_CHAIN_OUTCOMES, PAGE_CHANNEL, type AddChainAnswer, type BridgeToGuardMessage, type GuardToBridgeMessage } from '../protocol/page-channel';
import { RELAY_ERROR, relayRefusal, validateRelayRequest, type RelayRefusal } from '../../src/wallet/relay-request';
import { TokenBucket } from '../../src/net/token-bucket';
import { RELAY_LIMITS, STATUS_POLICY, WALLET_EVIDENCE } from '../../src/policy/index';
import { isRelayable } from '../../src/rpc/methods';
import { WalletReportBatcher } from './wallet-report-batcher';
import { ext } from '../platform/browser';

const limiter = new TokenBucket(RELAY_LIMITS.burst, RELAY_LIMITS.ratePerSecond, () => performance.now());
let inFlight = 0;

const toGuard = (message: BridgeToGuardMessage): void => window.postMessage(message, '*');
const answerRefused = (id: string, error: RelayRefusal): void => toGuard({ channel: PAGE_CHANNEL, kind: 'relay-result', id, ok: false, error, answered: false });
const refuse = (id: string, code: number, message: string): void => answerRefused(id, relayRefusal(code, message));

const reports = new WalletReportBatcher((batch) => {
  sendMessage('walletReports', batch).catch(() => {
    // Worker unavailable (extension reloading): observations are best-effort.
  });
});

async function relay(id: string, raw: unknown): Promise<void> {
  const checked = validateRelayRequest(raw, isRelayable);
  if (!checked.ok) return answerRefused(id, checked.error);
  if (inFlight >= RELAY_LIMITS.maxInFlight || !limiter.tryTake()) return refuse(id, RELAY_ERROR.limitExceeded, 'too many relayed requests from this page');
  inFlight++;
  try {
    const answer = await sendMessage('relay', checked.request);
    toGuard({ channel: PAGE_CHANNEL, kind: 'relay-result', id, ...answer });
  } catch (error) {
    refuse(id, -32603, `relay unavailable (${error instanceof Error ? error.message : 'worker unreachable'})`);
  } finally {
    inFlight--;
  }
}

/** Guided repair: only Lifeline's worker (a message with no sender tab) can start it. */
const pendingAddChain = new Map<string, (answer: AddChainAnswer) => void>();
onMessage('addChain', ({ data, sender }) => {
  if (sender.id !== ext.runtime.id || sender.tab || typeof data?.wallet !== 'string') throw new Error('addChain comes only from the worker');
  const id = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  return new Promise<AddChainAnswer>((resolve) => {
    const timer = setTimeout(() => pendingAddChain.get(id)?.({ outcome: 'no-answer' }), STATUS_POLICY.repairAnswerTimeoutMs);
    pendingAddChain.set(id, (answer) => {
      clearTimeout(timer);
      pendingAddChain.delete(id);
      resolve(answer);
    });
    toGuard({ channel: PAGE_CHANNEL, kind: 'add-chain', id, wallet: data.wallet, params: data.params });
  });
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.source !== window) return;
  const data = event.data as Partial<GuardToBridgeMessage> | null;
  if (!data || typeof data !== 'object' || data.channel !== PAGE_CHANNEL) return;
  if (data.kind === 'add-chain-result') {
    // Only the outcome and a numeric code cross: the worker words the answer, never the page.
    const outcome = ADD_CHAIN_OUTCOMES.find((o) => o === data.outcome);
    if (typeof data.id === 'string' && outcome) {
      pendingAddChain.get(data.id)?.({ outcome, ...(Number.isSafeInteger(data.code) ? { code: data.code } : {}) });
    }
  } else if (data.kind === 'relay') {
    if (typeof data.id !== 'string' || data.id.length === 0 || data.id.length > RELAY_LIMITS.maxIdLength) return;
    void relay(data.id, data);
  } else if (data.kind === 'wallet-report') {
    reports.add(data);
  }
});

/** What the worker knows about wallets on this site, now and whenever it changes. */
const adviseGuard = (wallets: unknown): void => {
  if (Array.isArray(wallets)) toGuard({ channel: PAGE_CHANNEL, kind: 'wallet-advice', wallets: wallets.slice(0, WALLET_EVIDENCE.maxAdvice) });
};
onMessage('walletAdvice', ({ data, sender }) => {
  if (sender.id !== ext.runtime.id || sender.tab) throw new Error('walletAdvice comes only from the worker');
  adviseGuard(data);
});

// Tell the guard whether the user switched Lifeline off for this site, and what is known about
// its wallets (a tab opened during an outage relays its first read at once).
sendMessage('siteConfig').then(
  (config) => {
    toGuard({ channel: PAGE_CHANNEL, kind: 'site-config', enabled: config.enabled });
    adviseGuard(config.wallets);
  },
  () => {
    // Worker unreachable: the guard stays in its default (wallet first, relay on failure).
  },
);
