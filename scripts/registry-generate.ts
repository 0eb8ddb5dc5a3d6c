/**
 * Regenerates the default registry (src/registry/chains.json and endpoints.json) and the per-chain tables of
 * docs/registry.md from the Chainlist extract and viem/chains:
 *
 *   npm run registry:generate -- [path/to/chainlist-rpcs.json]
 *
 * The extension and its tests read only the vendored JSON, so a clean clone builds without the
 * extract. Chain facts (name, native currency, block time, explorer, testnet) come from
 * viem/chains; endpoint URLs and tracking labels from the extract. What is chosen, and why, is
 * decided here in `selectEndpoints` (tested in registry-generate.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as viemChains from 'viem/chains';
import type { Infrastructure } from '../src/types.ts';
import { REGISTRY_POLICY } from '../src/policy/index.ts';
import { checkDenylist } from '../src/registry/denylist.ts';
import { maskUrlSecrets } from '../src/registry/primaries.ts';
import { tryParseUrl } from '../src/registry/url.ts';
import type { ChainFactsFile, ChainlistTracking, EndpointsFile, RegistryData, RegistryChain, RegistryEndpoint } from '../src/registry/registry-data.ts';

const DEFAULT_EXTRACT = '/work/shared/data/chainlist-rpcs.json';
const FACTS_OUTPUT = fileURLToPath(new URL('../src/registry/chains.json', import.meta.url));
const ENDPOINTS_OUTPUT = fileURLToPath(new URL('../src/registry/endpoints.json', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/registry.md', import.meta.url));
const DOC_START = '<!-- generated: registry chains (npm run registry:generate) -->';
const DOC_END = '<!-- end generated -->';

export interface ExtractRpc {
  url: string;
  tracking: ChainlistTracking;
}
export interface ExtractChain {
  name: string;
  nativeSymbol: string;
  testnet: boolean;
  blockTimeMs?: number | null;
  viemDefaultRpc?: string;
  rpcs: ExtractRpc[];
}

interface Family {
  slug: string;
  name: string;
  infrastructure: Infrastructure;
  /** Registrable domains (last two labels) of the family's hosts. */
  domains: readonly string[];
  /** The chains whose own team runs it (when viem's default RPC is someone else's). */
  officialFor?: readonly number[];
  /** Ranked after every non-tracking endpoint of other providers (aggregators of other public RPCs). */
  last?: boolean;
}

/**
 * Providers known by name, in preference order: established multi-chain operators first, then
 * the rest. dRPC, Pocket and Lava route to many independent node operators, hence
 * `decentralised`; where anyone else hosts is not published, hence `unknown`.
 */
const FAMILIES: readonly Family[] = [
  { slug: 'publicnode', name: 'PublicNode', infrastructure: 'unknown', domains: ['publicnode.com'] },
  { slug: 'drpc', name: 'dRPC', infrastructure: 'decentralised', domains: ['drpc.org'] },
  { slug: 'pocket', name: 'Pocket Network', infrastructure: 'decentralised', domains: ['pocket.network'] },
  { slug: '1rpc', name: '1RPC', infrastructure: 'unknown', domains: ['1rpc.io'] },
  { slug: 'meowrpc', name: 'MeowRPC', infrastructure: 'unknown', domains: ['meowrpc.com'] },
  { slug: 'merkle', name: 'Merkle', infrastructure: 'unknown', domains: ['merkle.io'] },
  { slug: 'blockpi', name: 'BlockPI', infrastructure: 'unknown', domains: ['blockpi.network'] },
  { slug: 'onfinality', name: 'OnFinality', infrastructure: 'unknown', domains: ['onfinality.io'] },
  { slug: 'omnia', name: 'OMNIA', infrastructure: 'unknown', domains: ['omniatech.io'] },
  { slug: '0xrpc', name: '0xRPC', infrastructure: 'unknown', domains: ['0xrpc.io'] },
  { slug: 'nodies', name: 'Nodies', infrastructure: 'unknown', domains: ['nodies.app'] },
  { slug: 'stakely', name: 'Stakely', infrastructure: 'unknown', domains: ['stakely.io'] },
  { slug: 'radiumblock', name: 'RadiumBlock', infrastructure: 'unknown', domains: ['radiumblock.co'] },
  { slug: 'zan', name: 'ZAN', infrastructure: 'unknown', domains: ['zan.top'] },
  { slug: 'therpc', name: 'TheRPC', infrastructure: 'unknown', domains: ['therpc.io'] },
  { slug: 'sentio', name: 'Sentio', infrastructure: 'unknown', domains: ['sentio.xyz'] },
  { slug: 'nodeflare', name: 'Nodeflare', infrastructure: 'unknown', domains: ['nodeflare.app'] },
  { slug: 'swiftnodes', name: 'SwiftNodes', infrastructure: 'unknown', domains: ['swiftnodes.io'] },
  { slug: '48club', name: '48 Club', infrastructure: 'unknown', domains: ['48.club'] },
  { slug: 'defibit', name: 'Defibit', infrastructure: 'unknown', domains: ['defibit.io'] },
  { slug: 'lava', name: 'Lava', infrastructure: 'decentralised', domains: ['lava.build'] },
  { slug: 'tenderly', name: 'Tenderly', infrastructure: 'unknown', domains: ['tenderly.co'] },
  { slug: 'tatum', name: 'Tatum', infrastructure: 'unknown', domains: ['tatum.io'] },
  // Official RPCs whose ids predate this generator, and official hosts viem does not name.
  { slug: 'bnbchain', name: 'BNB Chain', infrastructure: 'unknown', domains: ['bnbchain.org'], officialFor: [56, 204] },
  { slug: 'arbitrum', name: 'Arbitrum (Offchain Labs)', infrastructure: 'unknown', domains: ['arbitrum.io'], officialFor: [42161, 42170, 421614] },
  { slug: 'optimism', name: 'Optimism', infrastructure: 'unknown', domains: ['optimism.io'], officialFor: [10, 11155420] },
  { slug: 'base', name: 'Base', infrastructure: 'unknown', domains: ['base.org'], officialFor: [8453, 84532] },
  { slug: 'avalanche', name: 'Avalanche (Ava Labs)', infrastructure: 'unknown', domains: ['avax.network'], officialFor: [43114] },
  { slug: 'gnosis', name: 'Gnosis', infrastructure: 'unknown', domains: ['gnosischain.com'], officialFor: [100] },
  { slug: 'astar', name: 'Astar', infrastructure: 'unknown', domains: ['astar.network'], officialFor: [592] },
  { slug: 'fantom', name: 'Fantom Foundation', infrastructure: 'unknown', domains: ['fantom.network'], officialFor: [250] },
  { slug: 'harmony', name: 'Harmony', infrastructure: 'unknown', domains: ['harmony.one', 'hmny.io'], officialFor: [1666600000] },
  { slug: 'metis', name: 'Metis', infrastructure: 'unknown', domains: ['metis.io'], officialFor: [1088] },
  // One load balancer in front of other public RPCs: not independent of them, so it comes last.
  { slug: 'routeme', name: 'routeme.sh', infrastructure: 'unknown', domains: ['routeme.sh'], last: true },
];

/** Third parties whose host viem may name as a chain's default: never "official". */
const THIRD_PARTY_DEFAULT_DOMAINS = ['thirdweb.com', 'reth.rs', 'alchemy.com', 'hypersync.xyz', ...FAMILIES.filter((f) => !f.officialFor).flatMap((f) => f.domains)];

/** Listed by Chainlist but not shipped, each with the reason. */
const EXCLUDED: readonly { reason: string; matches(u: URL, host: string): boolean }[] = [
  { reason: 'a demo key in the path (shared, rate-limited, revocable)', matches: (u) => /(^|\/)(vk_)?demo(\/|$)/i.test(u.pathname) },
  { reason: 'GetBlock and QuickNode need a personal key', matches: (_u, host) => host.endsWith('getblock.io') || host.endsWith('quiknode.pro') },
  { reason: 'an anonymous Cloudflare Workers redirect: no known operator', matches: (_u, host) => host.endsWith('.workers.dev') },
  { reason: 'a WebSocket path, not an HTTP JSON-RPC endpoint', matches: (u) => /\/ws\/?$/i.test(u.pathname) },
  { reason: 'a query string (some carry account ids; the registry ships none)', matches: (u) => u.search !== '' },
  { reason: 'only private transaction relays for sending, not read endpoints', matches: (_u, host) => host === 'rpc.flashbots.net' || host === 'rpc.mevblocker.io' },
];

export function registrableDomain(host: string): string {
  return host.split('.').slice(-2).join('.');
}

/** Why a URL is not shipped, or null when it may be. */
export function exclusionReason(url: string): string | null {
  const u = tryParseUrl(url);
  if (!u || u.protocol !== 'https:') return 'not an https URL';
  if (u.username || u.password) return 'credentials in the URL';
  const denied = checkDenylist(url);
  if (denied) return denied.reason;
  if (maskUrlSecrets(url) !== url) return 'a key-like segment in the URL';
  const host = u.hostname.toLowerCase();
  return EXCLUDED.find((rule) => rule.matches(u, host))?.reason ?? null;
}

const TRACKING_ORDER: Record<ChainlistTracking, number> = { none: 0, limited: 1, unspecified: 2, yes: 3 };

interface Candidate extends RegistryEndpoint {
  rank: number;
}

function slugFor(host: string): string {
  const labels = registrableDomain(host).split('.');
  return (labels[0] ?? host).toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Per chain: the official RPC first, then one endpoint per provider in preference order. */
export function selectEndpoints(chainId: number, chain: ExtractChain, chainName: string): RegistryEndpoint[] {
  const viemDefault = chain.viemDefaultRpc ? tryParseUrl(chain.viemDefaultRpc) : null;
  const viemDomain = viemDefault ? registrableDomain(viemDefault.hostname.toLowerCase()) : null;
  const viemIsOfficial = viemDomain !== null && !THIRD_PARTY_DEFAULT_DOMAINS.includes(viemDomain);
  const rpcs: (ExtractRpc & { listed: boolean })[] = chain.rpcs.map((r) => ({ ...r, listed: true }));
  // The chain team's own RPC (viem's default) is shipped even when Chainlist does not list it:
  // it has no privacy statement there, like most official RPCs Chainlist does list.
  const norm = (url: string) => url.toLowerCase().replace(/\/+$/, '');
  if (chain.viemDefaultRpc && viemIsOfficial && !rpcs.some((r) => norm(r.url) === norm(chain.viemDefaultRpc!))) {
    rpcs.push({ url: chain.viemDefaultRpc, tracking: 'unspecified', listed: false });
  }
  const candidates: Candidate[] = [];
  for (const rpc of rpcs) {
    if (exclusionReason(rpc.url) !== null) continue;
    const u = new URL(rpc.url);
    const host = u.hostname.toLowerCase();
    const domain = registrableDomain(host);
    const familyIndex = FAMILIES.findIndex((f) => f.domains.includes(domain));
    const family = FAMILIES[familyIndex];
    const official = family?.officialFor?.includes(chainId) === true || (viemIsOfficial && domain === viemDomain && !family);
    const slug = family?.slug ?? slugFor(host);
    const provider = family?.name ?? (official ? `${chainName} (official)` : domain);
    const exactViemDefault = chain.viemDefaultRpc !== undefined && norm(rpc.url) === norm(chain.viemDefaultRpc);
    // Rank: official, then known providers in preference order, then the rest by tracking label;
    // within a provider the viem default first, then the less tracking one.
    const tier = official ? 0 : family?.last ? 3 : rpc.tracking === 'yes' ? 4 : family ? 1 : 2;
    const rank = tier * 1e6 + (family ? familyIndex : 500) * 1e3 + TRACKING_ORDER[rpc.tracking] * 10 + (exactViemDefault ? 0 : 1);
    // A bare trailing slash is dropped, as wallets and the old registry write these URLs.
    const url = u.pathname === '/' ? rpc.url.replace(/\/+$/, '') : rpc.url;
    candidates.push({ slug, url, provider, infrastructure: family?.infrastructure ?? 'unknown', tracking: rpc.tracking, official, listedByChainlist: rpc.listed, rank });
  }
  candidates.sort((a, b) => a.rank - b.rank);
  // The cap counts endpoints that are on by default (each costs probes while the chain is in
  // use). Tracking endpoints ship off, so they cost nothing until the user turns them on; only
  // decentralised networks among them, or any where the chain has too few others, are worth
  // offering.
  const chosen: Candidate[] = [];
  const enabled = () => chosen.filter((c) => c.tracking !== 'yes');
  for (const c of candidates.filter((x) => x.tracking !== 'yes')) {
    if (enabled().length >= REGISTRY_POLICY.maxEndpointsPerChain) break;
    if (!chosen.some((x) => x.provider === c.provider || x.slug === c.slug)) chosen.push(c);
  }
  // A decentralised network is kept even when the cap would have left it out.
  const decentralised = candidates.find((c) => c.infrastructure === 'decentralised' && c.tracking !== 'yes');
  if (decentralised && !chosen.some((c) => c.infrastructure === 'decentralised')) chosen.splice(chosen.length - 1, 1, decentralised);
  const thin = new Set(chosen.map((c) => c.provider)).size < REGISTRY_POLICY.minProvidersPerMainnet;
  for (const c of candidates.filter((x) => x.tracking === 'yes' && (thin || x.infrastructure === 'decentralised'))) {
    if (!chosen.some((x) => x.provider === c.provider || x.slug === c.slug)) chosen.push(c);
  }
  return chosen.map(({ rank: _rank, ...endpoint }) => endpoint);
}

interface ViemChainLike {
  id: number;
  name: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  blockTime?: number;
  testnet?: boolean;
  blockExplorers?: { default?: { url: string } };
}

function isViemChain(value: unknown): value is ViemChainLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ViemChainLike>;
  return typeof v.id === 'number' && typeof v.name === 'string' && typeof v.nativeCurrency?.symbol === 'string';
}

/**
 * Block times viem does not state (or states out of date), in ms, each with its reason. Without
 * one, the engine assumes its default block time until it has seen the chain's heads move.
 */
const BLOCK_TIME_CORRECTIONS: Readonly<Record<number, { ms: number; why: string }>> = {
  56: { ms: 450, why: '0.45 s since the Fermi hard fork (2026-01); viem still says 0.75 s' },
  11155111: { ms: 12_000, why: 'Ethereum testnet, 12 s slots' },
  17000: { ms: 12_000, why: 'Ethereum testnet, 12 s slots' },
  560048: { ms: 12_000, why: 'Ethereum testnet, 12 s slots' },
  42170: { ms: 250, why: 'Arbitrum Nitro chain, like Arbitrum One' },
  5000: { ms: 2_000, why: 'OP-stack chain with 2 s blocks' },
  250: { ms: 1_000, why: 'about 1 s blocks (Lachesis)' },
};

export function buildRegistry(extract: { source: string; chains: Record<string, ExtractChain> }, viem: readonly ViemChainLike[]): RegistryData {
  const chains: RegistryChain[] = [];
  for (const [id, entry] of Object.entries(extract.chains)) {
    const chainId = Number(id);
    const matches = viem.filter((c) => c.id === chainId);
    const facts = matches.find((c) => c.name === entry.name) ?? matches[0];
    if (!facts) throw new Error(`viem/chains has no chain ${chainId} (${entry.name})`);
    const correction = BLOCK_TIME_CORRECTIONS[chainId];
    const blockTimeMs = correction?.ms ?? facts.blockTime ?? null;
    chains.push({
      chainId,
      name: facts.name,
      nativeCurrency: { name: facts.nativeCurrency.name, symbol: facts.nativeCurrency.symbol, decimals: facts.nativeCurrency.decimals },
      blockTimeMs,
      blockTimeSource: correction ? 'correction' : facts.blockTime !== undefined ? 'viem' : null,
      testnet: facts.testnet === true || entry.testnet,
      explorer: facts.blockExplorers?.default?.url.replace(/\/+$/, '') ?? null,
      endpoints: selectEndpoints(chainId, entry, facts.name),
    });
  }
  // Mainnets first, then testnets, each by chain id (Ethereum first: the lag reference).
  chains.sort((a, b) => Number(a.testnet) - Number(b.testnet) || a.chainId - b.chainId);
  return { source: `${extract.source} Selected by scripts/registry-generate.ts.`, chains };
}

function privacyOf(tracking: ChainlistTracking): string {
  return tracking === 'unspecified' ? 'limited' : tracking;
}

export function registryMarkdown(data: RegistryData): string {
  const lines: string[] = [DOC_START, ''];
  const thin = data.chains.filter((c) => !c.testnet && new Set(c.endpoints.map((e) => e.provider)).size < REGISTRY_POLICY.minProvidersPerMainnet);
  lines.push(`${data.chains.length} chains, ${data.chains.reduce((n, c) => n + c.endpoints.length, 0)} endpoints.`, '');
  if (thin.length > 0) {
    lines.push(`Mainnets with fewer than ${REGISTRY_POLICY.minProvidersPerMainnet} providers (the extract has no more keyless ones that pass the rules):`, '');
    for (const c of thin) lines.push(`- ${c.chainId} ${c.name}: ${c.endpoints.map((e) => e.provider).join(', ') || 'none'}`);
    lines.push('');
  }
  const centralised = data.chains.filter((c) => !c.endpoints.some((e) => e.infrastructure === 'decentralised' && e.tracking !== 'yes'));
  if (centralised.length > 0) {
    lines.push('Chains without a decentralised network on by default (the extract lists neither dRPC nor Pocket for them, and Lava only where shown):', '');
    for (const c of centralised) lines.push(`- ${c.chainId} ${c.name}`);
    lines.push('');
  }
  for (const c of data.chains) {
    const block = c.blockTimeMs === null ? 'block time not stated (the engine assumes its default until it observes heads)' : `block time ${c.blockTimeMs / 1000} s (${c.blockTimeSource})`;
    lines.push(`### ${c.chainId} ${c.name}${c.testnet ? ' (testnet)' : ''}`, '', `${c.nativeCurrency.symbol}; ${block}; explorer ${c.explorer ?? 'none'}.`, '');
    lines.push('| id | URL | provider | infrastructure | privacy | default |', '| --- | --- | --- | --- | --- | --- |');
    for (const e of c.endpoints) {
      const notes = [e.official ? 'official' : '', e.listedByChainlist ? '' : "viem's default, not in Chainlist"].filter(Boolean).join(', ');
      lines.push(`| \`${c.chainId}:${e.slug}\` | ${e.url} | ${e.provider}${notes ? ` (${notes})` : ''} | ${e.infrastructure} | ${privacyOf(e.tracking)} | ${e.tracking === 'yes' ? 'off' : 'on'} |`);
    }
    lines.push('');
  }
  lines.push(DOC_END);
  return lines.join('\n');
}

function main(): void {
  const path = process.argv[2] ?? DEFAULT_EXTRACT;
  const extract = JSON.parse(readFileSync(path, 'utf8')) as { source: string; chains: Record<string, ExtractChain> };
  const data = buildRegistry(extract, Object.values(viemChains).filter(isViemChain));
  // Two files, so a page that only names chains (the popup) does not load every endpoint.
  const facts: ChainFactsFile = { source: data.source, chains: data.chains.map(({ endpoints: _endpoints, ...chain }) => chain) };
  const endpoints: EndpointsFile = { source: data.source, endpoints: Object.fromEntries(data.chains.map((c) => [String(c.chainId), c.endpoints])) };
  writeFileSync(FACTS_OUTPUT, `${JSON.stringify(facts, null, 1)}\n`);
  writeFileSync(ENDPOINTS_OUTPUT, `${JSON.stringify(endpoints, null, 1)}\n`);
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  const generated = registryMarkdown(data);
  const next = start >= 0 && end > start ? doc.slice(0, start) + generated + doc.slice(end + DOC_END.length) : `${doc.trimEnd()}\n\n${generated}\n`;
  writeFileSync(DOC, next);
  console.log(`wrote ${data.chains.length} chains, ${data.chains.reduce((n, c) => n + c.endpoints.length, 0)} endpoints`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
