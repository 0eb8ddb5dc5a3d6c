/**
 * Recognises the "primary" endpoints wallets and dApps use (Infura, Alchemy, QuickNode, Ankr,
 * Rabby/DeBank backends, chains' official RPCs, viem/wagmi chain defaults) from their URL, so
 * Lifeline can tell which provider and chain an observed request belongs to and which
 * infrastructure it probably shares with others. Also masks API keys for display.
 */
import type { Infrastructure } from '../types.ts';
import { findDefaultEndpointByUrl } from './defaults.ts';
import { looksLikeSecret, pathSegments, tryParseUrl } from './url.ts';

export type PrimaryFamily =
  | 'infura'
  | 'alchemy'
  | 'quicknode'
  | 'ankr'
  | 'rabby'
  | 'debank'
  | 'thirdweb'
  | 'official'
  | 'public';

export interface RecognizedRpc {
  /** Operator name for display ("Infura", "Rabby", "Arbitrum (Offchain Labs)"). */
  provider: string;
  family: PrimaryFamily;
  /** Only when the URL itself says which chain (host label, path segment, known host). */
  chainId?: number;
  /** The network name as written in the URL (e.g. "polygon-mainnet"), when there is one. */
  network?: string;
  /** Best public guess; 'unknown' unless known (see docs/registry.md). */
  infrastructure: Infrastructure;
  /** The URL carries an API key or token: show it only through maskUrlSecrets. */
  hasKey: boolean;
  /** Is (or was) a viem/wagmi chain's `rpcUrls.default`, i.e. what dApps use when unconfigured. */
  chainDefault: boolean;
  /**
   * The chain is chosen by the request body, not the URL (Rabby's `eth_rpc` API carries
   * `{chain_id, method, params}`); such a URL is not a plain JSON-RPC endpoint.
   */
  bodyRouted: boolean;
}

/**
 * Network names used in provider URLs → chain id. Covers Infura (`polygon-mainnet`), Alchemy
 * (`arb-mainnet`), QuickNode (`matic`, `xdai`), Ankr (`eth_sepolia`), dRPC/Pocket-style labels.
 */
export const NETWORK_CHAIN_IDS: Readonly<Record<string, number>> = Object.freeze({
  // Ethereum
  mainnet: 1, eth: 1, ethereum: 1, homestead: 1, 'eth-mainnet': 1, 'ethereum-mainnet': 1,
  sepolia: 11155111, 'eth-sepolia': 11155111, 'ethereum-sepolia': 11155111, eth_sepolia: 11155111,
  'eth-sepolia-testnet': 11155111,
  holesky: 17000, 'eth-holesky': 17000, eth_holesky: 17000,
  hoodi: 560048, 'eth-hoodi': 560048,
  // BNB Smart Chain
  bsc: 56, bnb: 56, 'bsc-mainnet': 56, 'bnb-mainnet': 56, 'bnb-smart-chain': 56, binance: 56,
  // Polygon PoS
  polygon: 137, matic: 137, poly: 137, 'polygon-mainnet': 137, 'matic-mainnet': 137, 'polygon-bor': 137,
  'polygon-amoy': 80002, polygon_amoy: 80002,
  // Arbitrum One
  arbitrum: 42161, arb: 42161, arb1: 42161, 'arb-one': 42161, 'arbitrum-one': 42161,
  'arbitrum-mainnet': 42161, 'arb-mainnet': 42161,
  'arbitrum-sepolia': 421614, 'arb-sepolia': 421614, arbitrum_sepolia: 421614,
  // OP Mainnet
  optimism: 10, op: 10, 'optimism-mainnet': 10, 'opt-mainnet': 10,
  'optimism-sepolia': 11155420, 'opt-sepolia': 11155420, optimism_sepolia: 11155420,
  // Base
  base: 8453, 'base-mainnet': 8453,
  'base-sepolia': 84532, base_sepolia: 84532,
  // Avalanche C-Chain
  avalanche: 43114, avax: 43114, 'avalanche-c': 43114, 'avalanche-c-chain': 43114,
  'avalanche-mainnet': 43114, 'avax-mainnet': 43114,
  'avalanche-fuji': 43113, 'avax-fuji': 43113, avalanche_fuji: 43113,
  // Gnosis
  gnosis: 100, xdai: 100, 'gnosis-mainnet': 100,
  // Others wallets commonly use
  'linea-mainnet': 59144, linea: 59144, 'linea-sepolia': 59141,
  'zksync-mainnet': 324, zksync: 324,
  'scroll-mainnet': 534352, scroll: 534352,
  'blast-mainnet': 81457, blast: 81457,
  'celo-mainnet': 42220, celo: 42220,
});

/** Chain id for a network name as written in provider URLs (case-insensitive), if known. */
export function chainIdForNetworkName(name: string): number | undefined {
  const key = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(NETWORK_CHAIN_IDS, key) ? NETWORK_CHAIN_IDS[key] : undefined;
}

/**
 * DeBank "server chain ids" that Rabby puts in the `chain_id` field of its `eth_rpc` body.
 * Needed because Rabby's URL never says the chain.
 */
export const RABBY_CHAIN_IDS: Readonly<Record<string, number>> = Object.freeze({
  eth: 1, bsc: 56, matic: 137, arb: 42161, op: 10, base: 8453, avax: 43114, xdai: 100,
});

/** Known single-chain hosts: official RPCs and viem/wagmi defaults (current and earlier versions). */
interface KnownHost {
  host: string;
  /** Path prefix that must match, when the host serves other things too. */
  path?: string;
  chainId: number;
  provider: string;
  family: PrimaryFamily;
  infrastructure: Infrastructure;
  chainDefault: boolean;
}

const KNOWN_HOSTS: readonly KnownHost[] = [
  // Ethereum: viem 2.57 default, and earlier viem defaults dApps still pin.
  { host: 'ethereum.reth.rs', path: '/rpc', chainId: 1, provider: 'Reth (Paradigm)', family: 'public', infrastructure: 'unknown', chainDefault: true },
  { host: 'eth.merkle.io', chainId: 1, provider: 'Merkle', family: 'public', infrastructure: 'unknown', chainDefault: true },
  { host: 'cloudflare-eth.com', chainId: 1, provider: 'Cloudflare', family: 'public', infrastructure: 'cloudflare', chainDefault: true },
  { host: 'rpc.flashbots.net', chainId: 1, provider: 'Flashbots Protect', family: 'public', infrastructure: 'unknown', chainDefault: false },
  { host: 'rpc.mevblocker.io', chainId: 1, provider: 'MEV Blocker', family: 'public', infrastructure: 'unknown', chainDefault: false },
  { host: 'rpc.sepolia.org', chainId: 11155111, provider: 'Sepolia community RPC', family: 'public', infrastructure: 'unknown', chainDefault: true },
  // Official RPCs (all viem defaults except where noted).
  { host: 'bsc-dataseed.bnbchain.org', chainId: 56, provider: 'BNB Chain', family: 'official', infrastructure: 'unknown', chainDefault: false },
  { host: 'bsc-dataseed.binance.org', chainId: 56, provider: 'BNB Chain', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'polygon-rpc.com', chainId: 137, provider: 'Polygon', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'arb1.arbitrum.io', path: '/rpc', chainId: 42161, provider: 'Arbitrum (Offchain Labs)', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'sepolia-rollup.arbitrum.io', path: '/rpc', chainId: 421614, provider: 'Arbitrum (Offchain Labs)', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'mainnet.optimism.io', chainId: 10, provider: 'Optimism', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'sepolia.optimism.io', chainId: 11155420, provider: 'Optimism', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'mainnet.base.org', chainId: 8453, provider: 'Base', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'mainnet-preconf.base.org', chainId: 8453, provider: 'Base', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'developer-access-mainnet.base.org', chainId: 8453, provider: 'Base', family: 'official', infrastructure: 'unknown', chainDefault: false },
  { host: 'sepolia.base.org', chainId: 84532, provider: 'Base', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'api.avax.network', path: '/ext/bc/C/rpc', chainId: 43114, provider: 'Avalanche (Ava Labs)', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'api.avax-test.network', path: '/ext/bc/C/rpc', chainId: 43113, provider: 'Avalanche (Ava Labs)', family: 'official', infrastructure: 'unknown', chainDefault: true },
  { host: 'rpc.gnosischain.com', chainId: 100, provider: 'Gnosis', family: 'official', infrastructure: 'unknown', chainDefault: true },
];

/** Operators recognised by domain when the exact URL is not in the default registry. */
const PROVIDER_DOMAINS: readonly { domain: string; provider: string; infrastructure: Infrastructure }[] = [
  { domain: 'drpc.org', provider: 'dRPC', infrastructure: 'decentralised' },
  { domain: 'api.pocket.network', provider: 'Pocket Network', infrastructure: 'decentralised' },
  { domain: 'lava.build', provider: 'Lava', infrastructure: 'decentralised' },
  { domain: 'publicnode.com', provider: 'PublicNode', infrastructure: 'unknown' },
  { domain: '1rpc.io', provider: '1RPC', infrastructure: 'unknown' },
  { domain: 'meowrpc.com', provider: 'MeowRPC', infrastructure: 'unknown' },
  { domain: 'blockpi.network', provider: 'BlockPI', infrastructure: 'unknown' },
  { domain: 'onfinality.io', provider: 'OnFinality', infrastructure: 'unknown' },
  { domain: 'omniatech.io', provider: 'OMNIA', infrastructure: 'unknown' },
  { domain: 'nodereal.io', provider: 'NodeReal', infrastructure: 'unknown' },
  { domain: 'getblock.io', provider: 'GetBlock', infrastructure: 'unknown' },
  { domain: 'tenderly.co', provider: 'Tenderly', infrastructure: 'unknown' },
  { domain: 'blastapi.io', provider: 'Blast API', infrastructure: 'unknown' },
  { domain: 'llamarpc.com', provider: 'LlamaNodes', infrastructure: 'unknown' },
  { domain: 'grove.city', provider: 'Grove', infrastructure: 'decentralised' },
];

const under = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`);

function pathStartsWith(pathname: string, prefix: string): boolean {
  const p = pathname.replace(/\/+$/, '').toLowerCase();
  const q = prefix.toLowerCase();
  return p === q || p.startsWith(`${q}/`);
}

function withChain(base: Omit<RecognizedRpc, 'chainId' | 'network'>, network: string | undefined): RecognizedRpc {
  const out: RecognizedRpc = { ...base };
  if (network !== undefined) {
    out.network = network;
    const chainId = chainIdForNetworkName(network);
    if (chainId !== undefined) out.chainId = chainId;
  }
  return out;
}

const RECOGNIZED_DEFAULTS = { hasKey: false, chainDefault: false, bodyRouted: false } as const;

/**
 * What a URL is, or null when it is not a recognised provider. Never throws; http(s) only.
 */
export function recognizeRpcUrl(url: string): RecognizedRpc | null {
  const u = tryParseUrl(url.trim());
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return null;
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  const labels = host.split('.');
  const segs = pathSegments(u);

  // Infura: https://<network>.infura.io/v3/<key> (MetaMask's default). Infura is widely reported
  // to run on AWS, hence the guess.
  if (under(host, 'infura.io')) {
    const network = labels.length > 2 ? labels[0] : undefined;
    const v3 = segs.indexOf('v3');
    const hasKey = v3 >= 0 ? segs.length > v3 + 1 : segs.some(looksLikeSecret);
    return withChain({ ...RECOGNIZED_DEFAULTS, provider: 'Infura', family: 'infura', infrastructure: 'aws', hasKey }, network);
  }

  // Alchemy: https://<network>.g.alchemy.com/v2/<key> (and the older <network>.alchemyapi.io).
  if (under(host, 'alchemy.com') || under(host, 'alchemyapi.io')) {
    const network = labels.length > 2 && labels[0] !== 'g' ? labels[0] : undefined;
    const v = segs.findIndex((s) => /^v\d+$/.test(s));
    const hasKey = v >= 0 ? segs.length > v + 1 : false;
    return withChain({ ...RECOGNIZED_DEFAULTS, provider: 'Alchemy', family: 'alchemy', infrastructure: 'unknown', hasKey }, network);
  }

  // QuickNode: https://<name>.<network>.quiknode.pro/<token>/ ; no network label = Ethereum mainnet.
  if (under(host, 'quiknode.pro')) {
    const sub = labels.slice(0, -2);
    const network = sub.length >= 2 ? sub[sub.length - 1] : sub.length === 1 ? 'mainnet' : undefined;
    const hasKey = segs.length > 0 && segs[0] !== 'ext';
    return withChain({ ...RECOGNIZED_DEFAULTS, provider: 'QuickNode', family: 'quicknode', infrastructure: 'unknown', hasKey }, network);
  }

  // Ankr: https://rpc.ankr.com/<chain>[/<key>]
  if (host === 'rpc.ankr.com') {
    const network = segs[0];
    return withChain(
      { ...RECOGNIZED_DEFAULTS, provider: 'Ankr', family: 'ankr', infrastructure: 'unknown', hasKey: segs.length >= 2 },
      network,
    );
  }

  // Rabby's backend (reads for most chains) and DeBank's: the seed outage showed both hosted in one
  // AWS data centre.
  if (under(host, 'rabby.io')) {
    const bodyRouted = host === 'api.rabby.io' && pathStartsWith(u.pathname, '/v1/wallet/eth_rpc');
    return { ...RECOGNIZED_DEFAULTS, provider: 'Rabby', family: 'rabby', infrastructure: 'aws', bodyRouted };
  }
  if (under(host, 'debank.com')) {
    return { ...RECOGNIZED_DEFAULTS, provider: 'DeBank', family: 'debank', infrastructure: 'aws' };
  }

  for (const k of KNOWN_HOSTS) {
    if (host === k.host && (k.path === undefined || pathStartsWith(u.pathname, k.path))) {
      return {
        ...RECOGNIZED_DEFAULTS,
        provider: k.provider,
        family: k.family,
        chainId: k.chainId,
        infrastructure: k.infrastructure,
        chainDefault: k.chainDefault,
      };
    }
  }
  // BSC official seeds come numbered: bsc-dataseed1..4.bnbchain.org / .binance.org.
  if (/^bsc-dataseed\d*\.(bnbchain|binance)\.org$/.test(host)) {
    return { ...RECOGNIZED_DEFAULTS, provider: 'BNB Chain', family: 'official', chainId: 56, infrastructure: 'unknown' };
  }

  // thirdweb: https://<chainId>.rpc.thirdweb.com (viem's default for BSC and Sepolia). Keyless use
  // is rate-limited; a client id may follow in the path.
  const tw = /^(\d+)\.rpc\.thirdweb\.com$/.exec(host);
  if (tw) {
    const chainId = Number(tw[1]);
    return {
      ...RECOGNIZED_DEFAULTS,
      provider: 'thirdweb',
      family: 'thirdweb',
      chainId,
      infrastructure: 'unknown',
      hasKey: segs.length > 0,
      chainDefault: chainId === 56 || chainId === 11155111,
    };
  }

  const def = findDefaultEndpointByUrl(url);
  if (def) {
    return {
      ...RECOGNIZED_DEFAULTS,
      provider: def.provider,
      family: def.official ? 'official' : 'public',
      chainId: def.chainId,
      infrastructure: def.infrastructure,
      // viem's Polygon default is dRPC's polygon endpoint.
      chainDefault: def.id === '137:drpc',
    };
  }

  for (const p of PROVIDER_DOMAINS) {
    if (under(host, p.domain)) {
      return {
        ...RECOGNIZED_DEFAULTS,
        provider: p.provider,
        family: 'public',
        infrastructure: p.infrastructure,
        hasKey: segs.some(looksLikeSecret) || [...u.searchParams.values()].some(looksLikeSecret),
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Secret masking

export const MASK = '***';

/** Query parameter names whose value is a credential whatever it looks like. */
const SECRET_PARAM =
  /^(api[-_]?key|apikey|key|token|access[-_]?token|auth|authorization|secret|client[-_]?secret|client[-_]?id|project[-_]?id|projectid|jwt|password|pass|pwd|sig|signature|x-api-key|api_token|private[-_]?key)$/i;

/** Indexes of path segments that hold the key for providers whose layout we know. */
function providerKeySegments(host: string, rawSegs: readonly string[]): Set<number> {
  const out = new Set<number>();
  const after = (marker: RegExp) => {
    const i = rawSegs.findIndex((s) => marker.test(s));
    if (i >= 0 && i + 1 < rawSegs.length) out.add(i + 1);
  };
  if (under(host, 'infura.io')) after(/^v3$/);
  else if (under(host, 'alchemy.com') || under(host, 'alchemyapi.io')) after(/^v\d+$/);
  else if (under(host, 'quiknode.pro')) {
    if (rawSegs.length > 0 && rawSegs[0] !== 'ext') out.add(0);
  } else if (host === 'rpc.ankr.com') {
    for (let i = 1; i < rawSegs.length; i++) out.add(i);
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Fallback for strings that are not URLs: mask credentials and key-looking runs anyway. */
function maskLoose(raw: string): string {
  return raw
    .replace(/\/\/[^/@\s]+@/g, `//${MASK}@`)
    .replace(/[A-Za-z0-9_-]{16,}/g, (run) => (looksLikeSecret(run) ? MASK : run));
}

/**
 * The URL with API keys, tokens and credentials replaced by `***`, for display and logs.
 * Masks: user:password@, provider key segments (Infura /v3/<key>, Alchemy /v2/<key>, QuickNode
 * token, Ankr key), credential-named query parameters (apikey, key, token…), and any path
 * segment or query value that looks like a key (long hex, UUID, long letters+digits). Never
 * throws; returns the input unchanged when there is nothing to hide.
 */
export function maskUrlSecrets(url: string): string {
  const u = tryParseUrl(url.trim());
  if (!u) return maskLoose(url);
  const host = u.hostname.toLowerCase();

  const rawSegs = u.pathname.split('/');
  // rawSegs[0] is '' (path starts with '/'); map non-empty segments to their index.
  const nonEmpty: number[] = [];
  rawSegs.forEach((s, i) => {
    if (s.length > 0) nonEmpty.push(i);
  });
  const keyIdx = providerKeySegments(host, nonEmpty.map((i) => rawSegs[i] ?? ''));
  let masked = false;
  const maskedSegs = [...rawSegs];
  nonEmpty.forEach((rawIndex, n) => {
    const seg = rawSegs[rawIndex] ?? '';
    if (keyIdx.has(n) || looksLikeSecret(decodeSafe(seg))) {
      maskedSegs[rawIndex] = MASK;
      masked = true;
    }
  });
  const path = maskedSegs.join('/');

  let search = u.search;
  if (u.search.length > 1) {
    const parts = u.search.slice(1).split('&').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) {
        if (!looksLikeSecret(decodeSafe(pair))) return pair;
        masked = true;
        return MASK;
      }
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const secret = SECRET_PARAM.test(decodeSafe(name)) || looksLikeSecret(decodeSafe(value));
      if (!secret || value.length === 0) return pair;
      masked = true;
      return `${name}=${MASK}`;
    });
    search = `?${parts.join('&')}`;
  }

  let userinfo = '';
  if (u.username || u.password) {
    userinfo = `${u.username ? MASK : ''}${u.password ? `:${MASK}` : ''}@`;
    masked = true;
  }
  let hash = u.hash;
  if (u.hash.length > 1 && looksLikeSecret(decodeSafe(u.hash.slice(1)))) {
    hash = `#${MASK}`;
    masked = true;
  }
  // Keep the caller's exact string when there is nothing to hide (URL parsing would normalise it).
  return masked ? `${u.protocol}//${userinfo}${u.host}${path}${search}${hash}` : url;
}
