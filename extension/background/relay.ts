/**
 * Serves reads that a page's wallet could not answer, and broadcasts the signed transactions it
 * could not send (to several endpoints: src/router/broadcast.ts). The sender is a content script in a tab
 * (Chromium vouches for sender.id and sender.tab); everything in the request itself came from a
 * web page and is validated again here, rate-limited per tab, and only ever sent to the
 * configured endpoints of the requested chain — never to a URL the page supplies.
 */
import { onMessage, type RelayAnswer } from '../messages';
import { RELAY_ERROR, relayRefusal, validateRelayRequest } from '../../src/wallet/relay-request';
import { TokenBucket } from '../../src/net/token-bucket';
import { RELAY_LIMITS } from '../../src/policy/index';
import { BROADCAST_METHOD, isRelayable } from '../../src/rpc/methods';
import { getEngine, persistEngineSoon } from './engine-host';
import { isEnabledFor } from './sites';
import { noteChainInUse } from './chains-in-use';
import { siteOf } from './lib/site';
import { evidenceChanged, getWalletEvidence } from './wallet-evidence';
import { walletKeyOf } from '../../src/wallet/evidence';
import { ext, type MessageSender } from '../platform/browser';

const limiters = new Map<number, TokenBucket>();
/** Broadcasts fan out to several endpoints, so they have a tighter budget of their own. */
const broadcastLimiters = new Map<number, TokenBucket>();

function limiterIn(map: Map<number, TokenBucket>, tabId: number, ratePerSecond: number, burst: number): TokenBucket {
  let limiter = map.get(tabId);
  if (!limiter) map.set(tabId, (limiter = new TokenBucket(burst, ratePerSecond, () => performance.now())));
  return limiter;
}

const refuse = (code: number, message: string): RelayAnswer => ({ ok: false, error: relayRefusal(code, message), answered: false });

export async function handleRelay(raw: unknown, sender: MessageSender): Promise<RelayAnswer> {
  const tabId = sender.tab?.id;
  if (sender.id !== ext.runtime.id || tabId === undefined || tabId < 0) return refuse(RELAY_ERROR.invalidRequest, 'relays come only from pages in tabs');
  if (!limiterIn(limiters, tabId, RELAY_LIMITS.ratePerSecond, RELAY_LIMITS.burst).tryTake()) return refuse(RELAY_ERROR.limitExceeded, 'too many relayed requests from this tab');
  const checked = validateRelayRequest(raw, isRelayable);
  if (!checked.ok) return { ok: false, error: checked.error, answered: false };
  if (checked.request.method === BROADCAST_METHOD && !limiterIn(broadcastLimiters, tabId, RELAY_LIMITS.broadcastPerSecond, RELAY_LIMITS.broadcastBurst).tryTake()) {
    return refuse(RELAY_ERROR.limitExceeded, 'too many transactions broadcast from this tab');
  }
  if (!(await isEnabledFor(sender.tab?.url ?? sender.url))) return refuse(RELAY_ERROR.methodNotFound, 'Lifeline is switched off for this site');
  const { chainId, method, params } = checked.request;
  const engine = await getEngine();
  if (!engine.endpoints(chainId).some((e) => e.enabled)) return refuse(-32603, `no endpoints configured for chain ${chainId}`);
  noteChainInUse(chainId);
  const answer = await engine.request(chainId, { method, params }, { relayed: true });
  persistEngineSoon();
  const served = answer.ok || answer.meta.source === 'endpoint';
  const site = siteOf(sender.tab?.url);
  if (served && site && checked.request.wallet) void noteRelayServed(site, walletKeyOf(checked.request.wallet), chainId);
  return answer.ok ? { ok: true, result: answer.result } : { ok: false, error: answer.error, answered: answer.meta.source === 'endpoint' };
}

/** A relay the worker served is its own evidence that this site's wallet could not answer. */
async function noteRelayServed(site: string, wallet: string, chainId: number): Promise<void> {
  (await getWalletEvidence()).recordRelayServed(site, wallet, chainId, Date.now());
  evidenceChanged();
}

export function registerRelay(): void {
  onMessage('relay', ({ data, sender }) => handleRelay(data, sender));
  ext.tabs?.onRemoved?.addListener((tabId) => {
    limiters.delete(tabId);
    broadcastLimiters.delete(tabId);
  });
}
