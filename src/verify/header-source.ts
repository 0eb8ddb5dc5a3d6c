/**
 * Where verified headers come from. Today: agreement — a header whose hash is its fields' hash,
 * reported at its height by at least k endpoints of different providers. A light-client anchor
 * would be another `HeaderSource`.
 */
import type { Clock } from '../clock.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import type { Endpoint } from '../types.ts';
import { type VerifiedHeader, checkHeader } from './header.ts';
import { type VerificationReporter, type VerifyNetwork, blockTag } from './network.ts';

/** Which block a read is for: the head, a height, or a hash (EIP-1898). */
export type BlockRef = { kind: 'latest' } | { kind: 'number'; number: number } | { kind: 'hash'; hash: string };

export type HeaderOutcome = { ok: true; header: VerifiedHeader } | { ok: false; reason: string };

export interface HeaderSource {
  header(chainId: number, ref: BlockRef): Promise<HeaderOutcome>;
}

export interface AgreementOptions {
  network: VerifyNetwork;
  reporter: VerificationReporter;
  clock: Clock;
  /** Providers that must agree on a height's hash (default VERIFY_POLICY.headerAgreement). */
  agreement?: number;
}

interface ChainCache {
  byHash: Map<string, VerifiedHeader>;
  byNumber: Map<number, string>;
  latest?: { header: VerifiedHeader; at: number };
}

interface Vote {
  header: VerifiedHeader;
  providers: Set<string>;
  endpoints: string[];
}

/** Reads `{ ok, result, endpointId }` of one block request, or undefined when nobody answered usefully. */
type BlockAnswer = { endpointId: string; block: unknown } | undefined;

export function createAgreementHeaderSource(options: AgreementOptions): HeaderSource {
  const { network, reporter, clock } = options;
  const k = options.agreement ?? VERIFY_POLICY.headerAgreement;
  const caches = new Map<number, ChainCache>();
  const cacheOf = (chainId: number): ChainCache => {
    let cache = caches.get(chainId);
    if (!cache) caches.set(chainId, (cache = { byHash: new Map(), byNumber: new Map() }));
    return cache;
  };
  const remember = (cache: ChainCache, header: VerifiedHeader) => {
    cache.byHash.set(header.hash, header);
    cache.byNumber.set(header.number, header.hash);
    // Oldest first out: Map keeps insertion order.
    while (cache.byHash.size > VERIFY_POLICY.headerCacheSize) {
      const oldest = cache.byHash.keys().next().value as string;
      const dropped = cache.byHash.get(oldest);
      cache.byHash.delete(oldest);
      if (dropped && cache.byNumber.get(dropped.number) === oldest) cache.byNumber.delete(dropped.number);
    }
  };

  const ask = async (chainId: number, method: string, param: string, only?: Endpoint): Promise<BlockAnswer> => {
    const answer = await network.request(
      chainId,
      { method, params: [param, false] },
      only ? { onlyEndpoints: [only.id] } : {},
    );
    if (!answer.ok || answer.meta.endpointId === undefined) return undefined;
    return { endpointId: answer.meta.endpointId, block: answer.result };
  };

  const cached = (cache: ChainCache, ref: BlockRef, chainId: number): VerifiedHeader | undefined => {
    if (ref.kind === 'hash') return cache.byHash.get(ref.hash.toLowerCase());
    if (ref.kind === 'number') {
      const hash = cache.byNumber.get(ref.number);
      return hash === undefined ? undefined : cache.byHash.get(hash);
    }
    const latest = cache.latest;
    if (!latest || clock.now() - latest.at >= VERIFY_POLICY.latestHeaderReuseMs) return undefined;
    // A newer block is known (a dApp that just saw its transaction mined reads its balance next):
    // the kept head would answer with the state from before it.
    const known = network.head?.(chainId);
    return known !== undefined && known > latest.header.number ? undefined : latest.header;
  };

  const header = async (chainId: number, ref: BlockRef): Promise<HeaderOutcome> => {
    const cache = cacheOf(chainId);
    const hit = cached(cache, ref, chainId);
    if (hit) return { ok: true, header: hit };
    const byProvider = new Map(network.endpoints(chainId).map((e) => [e.id, e]));
    // Fewer providers than must agree: nothing to ask, the read goes out unproven at once.
    if (new Set([...byProvider.values()].map((e) => e.provider)).size < k) return { ok: false, reason: `fewer than ${k} providers serve chain ${chainId}` };
    const votes = new Map<string, Vote>();
    const asked = new Set<string>();
    const blockName = ref.kind === 'hash' ? ref.hash : ref.kind === 'number' ? String(ref.number) : 'latest';

    /** Counts one answer; a header that is not its own hash is a failed answer on its own. */
    const count = (answer: BlockAnswer, method: string): VerifiedHeader | undefined => {
      if (!answer) return undefined;
      asked.add(answer.endpointId);
      if (answer.block === null) return undefined; // not there yet on that endpoint: no vote
      const checked = checkHeader(answer.block);
      if (!checked.ok) {
        reporter.failed({ endpointId: answer.endpointId, chainId, method, block: blockName, reason: checked.reason });
        return undefined;
      }
      const wrongBlock =
        (ref.kind === 'hash' && method === 'eth_getBlockByHash' && checked.header.hash !== ref.hash.toLowerCase()) ||
        (ref.kind === 'number' && checked.header.number !== ref.number);
      if (wrongBlock) {
        reporter.failed({ endpointId: answer.endpointId, chainId, method, block: blockName, reason: `answered block ${checked.header.number} (${checked.header.hash}) instead` });
        return undefined;
      }
      const provider = byProvider.get(answer.endpointId)?.provider ?? answer.endpointId;
      let vote = votes.get(checked.header.hash);
      if (!vote) votes.set(checked.header.hash, (vote = { header: checked.header, providers: new Set(), endpoints: [] }));
      vote.providers.add(provider);
      vote.endpoints.push(answer.endpointId);
      return checked.header;
    };

    // The first header: wherever the ranking sends it (a header that fails its own hash sends it on).
    let first: VerifiedHeader | undefined;
    const method = ref.kind === 'hash' ? 'eth_getBlockByHash' : 'eth_getBlockByNumber';
    const param = ref.kind === 'hash' ? ref.hash : ref.kind === 'number' ? blockTag(ref.number) : 'latest';
    for (let tries = 0; !first && tries < VERIFY_POLICY.maxHeaderAsks; tries++) {
      const answer = await ask(chainId, method, param);
      if (!answer) break;
      first = count(answer, method);
      if (!first && answer.block === null) break;
    }
    if (!first) return { ok: false, reason: `no header for block ${blockName}` };

    // Then its height, from endpoints of providers not heard yet, until one hash has k providers.
    const height = first.number;
    const winner = () => [...votes.values()].find((vote) => vote.providers.size >= k);
    while (!winner() && asked.size < VERIFY_POLICY.maxHeaderAsks) {
      const heard = new Set([...votes.values()].flatMap((vote) => [...vote.providers]));
      const best = Math.max(0, ...[...votes.values()].map((vote) => vote.providers.size));
      const fresh = network
        .endpoints(chainId)
        .filter((e) => !asked.has(e.id) && !heard.has(e.provider))
        .filter((e, i, all) => all.findIndex((other) => other.provider === e.provider) === i)
        .slice(0, Math.min(k - best, VERIFY_POLICY.maxHeaderAsks - asked.size));
      if (fresh.length === 0) break;
      const answers = await Promise.all(fresh.map((endpoint) => ask(chainId, 'eth_getBlockByNumber', blockTag(height), endpoint)));
      fresh.forEach((endpoint) => asked.add(endpoint.id));
      for (const answer of answers) count(answer, 'eth_getBlockByNumber');
    }
    const agreed = winner();
    if (!agreed) {
      const seen = [...votes.values()].map((vote) => `${vote.header.hash.slice(0, 10)}… by ${[...vote.providers].join(', ')}`).join('; ');
      return { ok: false, reason: `block ${height}: no hash reported by ${k} providers (${seen || 'none'})` };
    }
    // Endpoints that reported another hash at this height are the minority: their answer was false.
    for (const vote of votes.values()) {
      if (vote === agreed) continue;
      for (const endpointId of vote.endpoints) {
        reporter.failed({ endpointId, chainId, method: 'eth_getBlockByNumber', block: String(height), reason: `block hash ${vote.header.hash} at ${height}, not the agreed ${agreed.header.hash}` });
      }
    }
    if (ref.kind === 'hash' && agreed.header.hash !== ref.hash.toLowerCase()) {
      return { ok: false, reason: `block ${ref.hash} is not the one providers agree on at height ${height}` };
    }
    remember(cache, agreed.header);
    if (ref.kind === 'latest') cache.latest = { header: agreed.header, at: clock.now() };
    return { ok: true, header: agreed.header };
  };

  return { header };
}
