import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import type { Endpoint } from '../types.ts';
import { resolveEndpointRef } from './references.ts';
import { toUserEndpoint } from './user-endpoints.ts';

const drpc = DEFAULT_ENDPOINTS.find((e) => e.id === '1:drpc')!;
const mine = toUserEndpoint({ chainId: 1, url: 'https://eth.drpc.org/', label: 'Mine' });
const node = toUserEndpoint({ chainId: 1, url: 'http://127.0.0.1:8545' });

describe('resolveEndpointRef', () => {
  it('finds an endpoint by exact id', () => {
    expect(resolveEndpointRef('1:drpc', DEFAULT_ENDPOINTS)).toBe(drpc);
    expect(resolveEndpointRef(node.id, [node, ...DEFAULT_ENDPOINTS])).toBe(node);
    expect(resolveEndpointRef('1:DRPC', DEFAULT_ENDPOINTS)).toBeUndefined();
    expect(resolveEndpointRef('1:gone', DEFAULT_ENDPOINTS)).toBeUndefined();
  });

  it('finds an endpoint by URL up to host case and a trailing slash', () => {
    expect(resolveEndpointRef('https://ETH.drpc.org/', DEFAULT_ENDPOINTS)).toBe(drpc);
    expect(resolveEndpointRef('http://127.0.0.1:8545/', [node])).toBe(node);
    expect(resolveEndpointRef('https://eth.drpc.org/other', DEFAULT_ENDPOINTS)).toBeUndefined();
    // Only http(s) strings are read as URLs.
    expect(resolveEndpointRef('eth.drpc.org', DEFAULT_ENDPOINTS)).toBeUndefined();
  });

  it('prefers the own endpoint when an own entry and a default share a URL', () => {
    const known: Endpoint[] = [...DEFAULT_ENDPOINTS, mine];
    expect(resolveEndpointRef('https://eth.drpc.org', known)).toBe(mine);
  });

  it('maps the id of a default the user re-added under the same URL to the user entry', () => {
    const known = [mine, ...DEFAULT_ENDPOINTS.filter((e) => e !== drpc)];
    expect(resolveEndpointRef('1:drpc', known)).toBeUndefined();
    expect(resolveEndpointRef('1:drpc', known, new Map([['1:drpc', mine]]))).toBe(mine);
    // An id still in the list wins over the replacement map.
    expect(resolveEndpointRef('1:pocket', known, new Map([['1:pocket', mine]]))?.id).toBe('1:pocket');
  });
});
