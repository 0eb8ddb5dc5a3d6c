import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, NETWORK_CHAIN_IDS, RABBY_CHAIN_IDS, chainIdForNetworkName, maskUrlSecrets, recognizeRpcUrl } from './primaries.ts';

const INFURA_KEY = '9aa3d95b3bc440fa88ea12eaa4456161';
const ALCHEMY_KEY = 'Xk3aP9zQ-Lm2nB7vC4dE5fG6hJ8kL0pR';

describe('recognizeRpcUrl', () => {
  it.each([
    [`https://mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 1],
    [`https://sepolia.infura.io/v3/${INFURA_KEY}`, 'infura', 11155111],
    [`https://polygon-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 137],
    [`https://arbitrum-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 42161],
    [`https://optimism-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 10],
    [`https://base-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 8453],
    [`https://avalanche-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 43114],
    [`https://bsc-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 56],
    [`https://linea-mainnet.infura.io/v3/${INFURA_KEY}`, 'infura', 59144],
    [`https://eth-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 1],
    [`https://eth-sepolia.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 11155111],
    [`https://polygon-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 137],
    [`https://arb-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 42161],
    [`https://opt-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 10],
    [`https://base-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 8453],
    [`https://avax-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 43114],
    [`https://bnb-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 56],
    [`https://gnosis-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, 'alchemy', 100],
    [`https://eth-mainnet.alchemyapi.io/v2/${ALCHEMY_KEY}`, 'alchemy', 1],
    ['https://white-frosty-pine.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 1],
    ['https://white-frosty-pine.bsc.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 56],
    ['https://white-frosty-pine.matic.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 137],
    ['https://white-frosty-pine.arbitrum-mainnet.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 42161],
    ['https://white-frosty-pine.optimism.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 10],
    ['https://white-frosty-pine.base-mainnet.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 8453],
    ['https://white-frosty-pine.avalanche-mainnet.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/ext/bc/C/rpc/', 'quicknode', 43114],
    ['https://white-frosty-pine.xdai.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 100],
    ['https://white-frosty-pine.ethereum-sepolia.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', 'quicknode', 11155111],
    ['https://rpc.ankr.com/eth', 'ankr', 1],
    ['https://rpc.ankr.com/bsc/c4cc6a8c87ec30258076de433ab2cf3d834228aae3fc4d76087873e4fea11635', 'ankr', 56],
    ['https://rpc.ankr.com/polygon', 'ankr', 137],
    ['https://rpc.ankr.com/arbitrum', 'ankr', 42161],
    ['https://rpc.ankr.com/optimism', 'ankr', 10],
    ['https://rpc.ankr.com/base', 'ankr', 8453],
    ['https://rpc.ankr.com/avalanche', 'ankr', 43114],
    ['https://rpc.ankr.com/gnosis', 'ankr', 100],
    ['https://rpc.ankr.com/eth_sepolia', 'ankr', 11155111],
    ['https://ethereum.reth.rs/rpc', 'public', 1],
    ['https://56.rpc.thirdweb.com', 'thirdweb', 56],
    ['https://11155111.rpc.thirdweb.com', 'thirdweb', 11155111],
    ['https://bsc-dataseed.bnbchain.org', 'official', 56],
    ['https://bsc-dataseed3.binance.org/', 'official', 56],
    ['https://arb1.arbitrum.io/rpc', 'official', 42161],
    ['https://mainnet.optimism.io/', 'official', 10],
    ['https://mainnet.base.org', 'official', 8453],
    ['https://api.avax.network/ext/bc/C/rpc', 'official', 43114],
    ['https://rpc.gnosischain.com', 'official', 100],
    ['https://polygon-rpc.com', 'official', 137],
    ['https://polygon.drpc.org', 'public', 137],
    ['https://ethereum-rpc.publicnode.com', 'public', 1],
    ['https://arb-one.api.pocket.network', 'public', 42161],
    ['https://rpc.flashbots.net/', 'public', 1],
  ])('%s → %s on chain %i', (url, family, chainId) => {
    const r = recognizeRpcUrl(url);
    expect(r?.family).toBe(family);
    expect(r?.chainId).toBe(chainId);
  });

  it('reports whether the URL carries a key', () => {
    expect(recognizeRpcUrl(`https://mainnet.infura.io/v3/${INFURA_KEY}`)?.hasKey).toBe(true);
    expect(recognizeRpcUrl('https://mainnet.infura.io/v3')?.hasKey).toBe(false);
    expect(recognizeRpcUrl('https://rpc.ankr.com/eth')?.hasKey).toBe(false);
    expect(recognizeRpcUrl('https://rpc.ankr.com/eth/abc123def456abc123def456')?.hasKey).toBe(true);
    expect(recognizeRpcUrl('https://rpc-mainnet.matic.quiknode.pro')?.hasKey).toBe(false);
    expect(recognizeRpcUrl('https://rpc-mainnet.matic.quiknode.pro')?.chainId).toBe(137);
    expect(recognizeRpcUrl('https://eth.drpc.org')?.hasKey).toBe(false);
  });

  it('recognises Rabby and DeBank backends as AWS-hosted, Rabby eth_rpc as body-routed', () => {
    const rabby = recognizeRpcUrl('https://api.rabby.io/v1/wallet/eth_rpc?origin=https%3A%2F%2Fapp.uniswap.org&method=eth_call');
    expect(rabby).toMatchObject({ family: 'rabby', provider: 'Rabby', infrastructure: 'aws', bodyRouted: true });
    expect(rabby?.chainId).toBeUndefined();
    expect(recognizeRpcUrl('https://api.rabby.io/v1/chainrpc')).toMatchObject({ family: 'rabby', bodyRouted: false });
    expect(recognizeRpcUrl('https://static.debank.com/config.json')).toMatchObject({ family: 'debank', infrastructure: 'aws' });
    expect(RABBY_CHAIN_IDS.matic).toBe(137);
  });

  it('tags infrastructure: Infura aws, decentralised networks decentralised, others unknown', () => {
    expect(recognizeRpcUrl(`https://mainnet.infura.io/v3/${INFURA_KEY}`)?.infrastructure).toBe('aws');
    expect(recognizeRpcUrl('https://eth.drpc.org')?.infrastructure).toBe('decentralised');
    expect(recognizeRpcUrl('https://linea.drpc.org')).toMatchObject({ provider: 'dRPC', infrastructure: 'decentralised' });
    expect(recognizeRpcUrl('https://mainnet.base.org')?.infrastructure).toBe('unknown');
  });

  it('marks viem/wagmi chain defaults', () => {
    expect(recognizeRpcUrl('https://ethereum.reth.rs/rpc')?.chainDefault).toBe(true);
    expect(recognizeRpcUrl('https://56.rpc.thirdweb.com')?.chainDefault).toBe(true);
    expect(recognizeRpcUrl('https://polygon.drpc.org')?.chainDefault).toBe(true);
    expect(recognizeRpcUrl('https://arb1.arbitrum.io/rpc')?.chainDefault).toBe(true);
    expect(recognizeRpcUrl('https://eth.drpc.org')?.chainDefault).toBe(false);
  });

  it('returns null for unknown hosts, non-http schemes and garbage', () => {
    expect(recognizeRpcUrl('https://example.com/rpc')).toBeNull();
    expect(recognizeRpcUrl('wss://mainnet.infura.io/ws/v3/abc')).toBeNull();
    expect(recognizeRpcUrl('not a url')).toBeNull();
    expect(recognizeRpcUrl('')).toBeNull();
    // A path prefix match must be a whole segment.
    expect(recognizeRpcUrl('https://arb1.arbitrum.io/rpcx')).toBeNull();
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      recognizeRpcUrl(s);
      recognizeRpcUrl(`https://${s}`);
    }));
  });
});

describe('network names', () => {
  it('maps the names providers use', () => {
    expect(chainIdForNetworkName('mainnet')).toBe(1);
    expect(chainIdForNetworkName('SEPOLIA')).toBe(11155111);
    expect(chainIdForNetworkName('polygon-mainnet')).toBe(137);
    expect(chainIdForNetworkName('arb-mainnet')).toBe(42161);
    expect(chainIdForNetworkName('opt-mainnet')).toBe(10);
    expect(chainIdForNetworkName('base-mainnet')).toBe(8453);
    expect(chainIdForNetworkName('avax-mainnet')).toBe(43114);
    expect(chainIdForNetworkName('bnb')).toBe(56);
    expect(chainIdForNetworkName('bsc')).toBe(56);
    expect(chainIdForNetworkName('gnosis')).toBe(100);
    expect(chainIdForNetworkName('xdai')).toBe(100);
    expect(chainIdForNetworkName('toString')).toBeUndefined();
    expect(chainIdForNetworkName('__proto__')).toBeUndefined();
  });

  it('only maps to positive integer chain ids', () => {
    for (const v of Object.values(NETWORK_CHAIN_IDS)) expect(Number.isSafeInteger(v) && v > 0).toBe(true);
  });
});

describe('maskUrlSecrets', () => {
  it.each([
    [`https://mainnet.infura.io/v3/${INFURA_KEY}`, `https://mainnet.infura.io/v3/${MASK}`],
    ['https://mainnet.infura.io/v3/short', `https://mainnet.infura.io/v3/${MASK}`],
    [`https://eth-mainnet.g.alchemy.com/v2/${ALCHEMY_KEY}`, `https://eth-mainnet.g.alchemy.com/v2/${MASK}`],
    ['https://eth-mainnet.g.alchemy.com/v2/demo', `https://eth-mainnet.g.alchemy.com/v2/${MASK}`],
    ['https://white-frosty-pine.bsc.quiknode.pro/4f1c8e0a9b2d3c4e5f60718293a4b5c6d7e8f901/', `https://white-frosty-pine.bsc.quiknode.pro/${MASK}/`],
    ['https://x.avalanche-mainnet.quiknode.pro/tok/ext/bc/C/rpc', `https://x.avalanche-mainnet.quiknode.pro/${MASK}/ext/bc/C/rpc`],
    ['https://rpc.ankr.com/eth/mykey', `https://rpc.ankr.com/eth/${MASK}`],
    ['https://eth-mainnet.rpcfast.com?api_key=xbhWBI1Wkguk8SNMu1bvvLurPGLX', `https://eth-mainnet.rpcfast.com/?api_key=${MASK}`],
    ['https://services.tokenview.io/vipapi/nodeservice/eth?apikey=qVHq2o6jpaakcw3lRstl', `https://services.tokenview.io/vipapi/nodeservice/eth?apikey=${MASK}`],
    ['https://rpc.example.com/rpc?key=abc&chain=1', `https://rpc.example.com/rpc?key=${MASK}&chain=1`],
    ['https://rpc.example.com/?token=t0k&foo=bar', `https://rpc.example.com/?token=${MASK}&foo=bar`],
    ['https://go.getblock.io/aefd01aa907c4805ba3c00a9e5b48c6b', `https://go.getblock.io/${MASK}`],
    ['https://eth-mainnet.nodereal.io/v1/1659dfb40aa24bbb8153a677b98064d7', `https://eth-mainnet.nodereal.io/v1/${MASK}`],
    ['https://api-ethereum-mainnet-reth.n.dwellir.com/2ccf18bf-2916-4198-8856-42172854353c', `https://api-ethereum-mainnet-reth.n.dwellir.com/${MASK}`],
    ['https://openapi.bitstack.com/v1/wNFxbiJyQsSeLrX8RRCHi7NpRxrlErZk/DjShIqLishPCTB9HiMkPHXjUM9CNM9Na/ETH/mainnet', `https://openapi.bitstack.com/v1/${MASK}/${MASK}/ETH/mainnet`],
    ['https://gw-aql.tomo.services/v1/ethereum/aql_live_2dba7f55b5cf0f356538a727da2079fe', `https://gw-aql.tomo.services/v1/ethereum/${MASK}`],
    ['https://user:hunter2@node.example.com/rpc', `https://${MASK}:${MASK}@node.example.com/rpc`],
    ['http://127.0.0.1:8545/?apikey=abc', `http://127.0.0.1:8545/?apikey=${MASK}`],
  ])('%s', (url, masked) => {
    expect(maskUrlSecrets(url)).toBe(masked);
  });

  it.each([
    'https://ethereum-rpc.publicnode.com',
    'https://eth-sepolia-testnet.api.pocket.network',
    'https://api.avax.network/ext/bc/C/rpc',
    'https://ethereum.public.blockpi.network/v1/rpc/public',
    'https://api.rabby.io/v1/wallet/eth_rpc?origin=https%3A%2F%2Fapp.uniswap.org&method=eth_call',
    'http://127.0.0.1:8545',
    'https://one.valve.city/rpc/vk_demo/evm/1',
  ])('leaves keyless %s untouched', (url) => {
    expect(maskUrlSecrets(url)).toBe(url);
  });

  it('masks strings that are not URLs too', () => {
    expect(maskUrlSecrets('mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161')).toBe(`mainnet.infura.io/v3/${MASK}`);
  });

  it('never throws and never leaks a long hex key, whatever surrounds it', () => {
    const key = fc.stringMatching(/^[0-9a-f]{32}$/);
    const word = fc.stringMatching(/^[a-z]{1,10}$/);
    fc.assert(
      fc.property(key, word, word, fc.constantFrom('path', 'query', 'both'), (k, a, b, where) => {
        const url =
          where === 'path' ? `https://${a}.example.com/${b}/${k}` :
          where === 'query' ? `https://${a}.example.com/${b}?x=${k}` :
          `https://${a}.example.com/${k}?${b}=${k}`;
        expect(maskUrlSecrets(url)).not.toContain(k);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => {
      expect(typeof maskUrlSecrets(s)).toBe('string');
    }));
  });
});
