import { describe, expect, it } from 'vitest';
import { DENY_RULES, checkDenylist } from './denylist.ts';

describe('denylist', () => {
  it.each([
    ['https://eth-mainnet.public.blastapi.io', 'blastapi'],
    ['https://ava-mainnet.public.blastapi.io/ext/bc/C/rpc', 'blastapi'],
    ['https://polygon-rpc.com', 'polygon-rpc.com'],
    ['https://polygon-rpc.com/', 'polygon-rpc.com'],
    ['https://rpc.ankr.com/eth', 'ankr-keyless'],
    ['https://rpc.ankr.com/polygon/', 'ankr-keyless'],
    ['https://RPC.ANKR.COM/bsc', 'ankr-keyless'],
    ['https://eth.llamarpc.com', 'llamarpc'],
    ['https://binance.llamarpc.com/', 'llamarpc'],
    ['https://eth-mainnet.rpc.grove.city/v1/01fdb492', 'grove-legacy'],
    ['https://poly-mainnet.rpc.grove.city/v1/01fdb492/', 'grove-legacy'],
  ])('refuses %s (%s)', (url, rule) => {
    expect(checkDenylist(url)?.rule).toBe(rule);
    expect(checkDenylist(url)).not.toBeNull();
  });

  it.each([
    'https://rpc.ankr.com/eth/0123456789abcdef0123456789abcdef', // Ankr with the user's own key
    'https://eth.api.pocket.network',
    'https://eth-mainnet.rpc.grove.city/v1/abcdef12', // a user's own Grove app id
    'https://notblastapi.io.example.com',
    'https://polygon-rpc.company.example',
    'https://ethereum-rpc.publicnode.com',
    'not a url',
  ])('accepts %s', (url) => {
    expect(checkDenylist(url)).toBeNull();
  });

  it('gives every rule a unique id and a reason the user can act on', () => {
    const ids = DENY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of DENY_RULES) expect(r.reason.length).toBeGreaterThan(20);
  });
});
