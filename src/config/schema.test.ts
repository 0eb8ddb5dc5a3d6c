import { describe, expect, it } from 'vitest';
import { ENDPOINT_KEYS, TOP_KEYS, USER_CONFIG_VERSION, emptyUserConfig, formatIssue } from './schema.ts';

describe('config schema', () => {
  it('an empty config is just the current version, a fresh object each time', () => {
    expect(emptyUserConfig()).toEqual({ version: USER_CONFIG_VERSION });
    expect(emptyUserConfig()).not.toBe(emptyUserConfig());
  });

  it('formats an issue as "path: message", or the message alone for the whole file', () => {
    expect(formatIssue({ path: 'endpoints[0].url', message: 'required' })).toBe('endpoints[0].url: required');
    expect(formatIssue({ path: '', message: 'JSON syntax error', line: 1, column: 2 })).toBe('JSON syntax error');
  });

  it('lists each key once, version first', () => {
    expect(TOP_KEYS[0]).toBe('version');
    expect(new Set(TOP_KEYS).size).toBe(TOP_KEYS.length);
    expect(new Set(ENDPOINT_KEYS).size).toBe(ENDPOINT_KEYS.length);
  });
});
