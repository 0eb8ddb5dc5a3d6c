import { describe, expect, it } from 'vitest';
import { CONFIG_POLICY } from '../policy/config.ts';
import { checkEndpointUrl, toUserEndpoint, userEndpointId } from './user-endpoints.ts';

describe('userEndpointId', () => {
  it('ids are stable, and differ by chain and URL but not by trailing slash', () => {
    expect(userEndpointId(1, 'https://a.example/rpc')).toBe(userEndpointId(1, 'https://A.example/rpc/'));
    expect(userEndpointId(1, 'https://a.example/rpc')).not.toBe(userEndpointId(10, 'https://a.example/rpc'));
    expect(userEndpointId(1, 'https://a.example/rpc')).not.toBe(userEndpointId(1, 'https://b.example/rpc'));
  });
});

describe('checkEndpointUrl', () => {
  it('accepts https anywhere and http only to loopback', () => {
    expect(checkEndpointUrl('https://rpc.example.com/v1/key')).toBeNull();
    expect(checkEndpointUrl('http://127.0.0.1:8545')).toBeNull();
    expect(checkEndpointUrl('http://rpc.example.com')).toMatch(/^must be https \(http is allowed only for loopback/);
  });

  it('refuses empty, overlong, unparsable, WebSocket, other schemes, credentials and denylisted URLs, each with its reason', () => {
    const long = `https://rpc.example.com/${'a'.repeat(CONFIG_POLICY.maxEndpointUrlLength)}`;
    expect(checkEndpointUrl('')).toBe('must not be empty');
    expect(checkEndpointUrl(long)).toBe(`must be at most ${CONFIG_POLICY.maxEndpointUrlLength} characters`);
    expect(checkEndpointUrl('rpc.example.com')).toBe('is not a valid URL (expected e.g. https://rpc.example.com)');
    expect(checkEndpointUrl('wss://rpc.example.com')).toBe('must be an http(s) JSON-RPC URL; WebSocket URLs are not supported');
    expect(checkEndpointUrl('ftp://rpc.example.com')).toBe('must be https (got ftp:)');
    expect(checkEndpointUrl('https://u:p@rpc.example.com')).toMatch(/^must not contain credentials/);
    expect(checkEndpointUrl('https://polygon-rpc.com')).toMatch(/^is not usable: /);
  });

  it('accepts a URL of exactly the maximum length', () => {
    const base = 'https://rpc.example.com/';
    expect(checkEndpointUrl(base + 'a'.repeat(CONFIG_POLICY.maxEndpointUrlLength - base.length))).toBeNull();
  });
});

describe('toUserEndpoint', () => {
  it('infers a loopback node as self-hosted without tracking, named "My node"', () => {
    expect(toUserEndpoint({ chainId: 1, url: 'http://localhost:8545' })).toEqual({
      id: userEndpointId(1, 'http://localhost:8545'),
      chainId: 1,
      url: 'http://localhost:8545',
      provider: 'My node',
      infrastructure: 'self-hosted',
      privacy: 'none',
      source: 'user',
      enabled: true,
    });
  });

  it('names an unrecognised host by its hostname, with unknown infrastructure and limited privacy', () => {
    expect(toUserEndpoint({ chainId: 10, url: 'https://Node.Example.org/rpc' })).toMatchObject({
      provider: 'node.example.org', infrastructure: 'unknown', privacy: 'limited',
    });
  });

  it('keeps what the user stated over anything inferred', () => {
    const e = toUserEndpoint({ chainId: 1, url: 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef', label: 'Mine', infrastructure: 'gcp', privacy: 'none' });
    expect(e).toMatchObject({ provider: 'Mine', label: 'Mine', infrastructure: 'gcp', privacy: 'none' });
  });
});
