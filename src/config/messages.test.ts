import { describe, expect, it } from 'vitest';
import { INFRASTRUCTURES } from '../types.ts';
import { chainLabel, isOneOf, keyPath, mapKeyPath, mustBeOneOf, typeName, unknownKeyMessage } from './messages.ts';

describe('config issue wording', () => {
  it('names value kinds the way a user reads them', () => {
    expect([null, [], {}, 'x', 1, Number.NaN, Number.POSITIVE_INFINITY, true, undefined].map(typeName)).toEqual([
      'null', 'an array', 'an object', 'a string', 'a number', 'NaN', 'Infinity', 'a boolean', 'a undefined',
    ]);
  });

  it('dots identifier keys and quotes everything else', () => {
    expect(keyPath('', 'policy')).toBe('policy');
    expect(keyPath('policy', 'hedgeDelayMinMs')).toBe('policy.hedgeDelayMinMs');
    expect(keyPath('order', '1')).toBe('order["1"]');
    expect(keyPath('', 'a b')).toBe('["a b"]');
    expect(mapKeyPath('chainPolicy', 'abc')).toBe('chainPolicy["abc"]');
  });

  it('suggests the nearest allowed key within two edits, ignoring case', () => {
    expect(unknownKeyMessage('lable', ['chainId', 'url', 'label'])).toBe('unknown key (did you mean "label"?); allowed: chainId, url, label');
    expect(unknownKeyMessage('URL', ['chainId', 'url'])).toBe('unknown key (did you mean "url"?); allowed: chainId, url');
    expect(unknownKeyMessage('colour', ['version', 'endpoints'])).toBe('unknown key; allowed: version, endpoints');
  });

  it('names known chains and leaves unknown ones as numbers', () => {
    expect(chainLabel(56)).toBe('56 (BNB Smart Chain)');
    expect(chainLabel(2020)).toBe('2020');
  });

  it('checks closed vocabularies and says what is allowed', () => {
    expect(isOneOf(INFRASTRUCTURES, 'aws')).toBe(true);
    expect(isOneOf(INFRASTRUCTURES, 'AWS')).toBe(false);
    expect(isOneOf(INFRASTRUCTURES, 1)).toBe(false);
    expect(mustBeOneOf(['none', 'yes'], 'maybe')).toBe('must be one of none, yes (got "maybe")');
    expect(mustBeOneOf(['none', 'yes'], 3)).toBe('must be one of none, yes (got a number)');
  });
});
