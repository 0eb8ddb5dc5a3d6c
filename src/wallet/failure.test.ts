import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyWalletError } from './failure';

describe('classifyWalletError', () => {
  it.each([
    [{ code: -32603, message: 'HTTP 503: Service Unavailable' }, 'http-5xx'],
    [{ code: -32603, message: 'Failed to fetch' }, 'network'],
    [new TypeError('Failed to fetch'), 'network'],
    [{ code: -32603, message: 'Request timed out after 10000 ms' }, 'timeout'],
    [{ code: -32005, message: 'Request limit exceeded' }, 'rate-limited'],
    [{ code: -32603, message: 'HTTP 429 Too Many Requests' }, 'rate-limited'],
    [{ code: -32603, message: "Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON" }, 'malformed'],
    [{ code: -32603, message: 'Internal JSON-RPC error.' }, 'internal'],
    [{ code: -32002, message: 'Resource unavailable' }, 'unavailable'],
    [{ code: 4900, message: 'Disconnected from all chains' }, 'unavailable'],
  ])('%o is an infrastructure failure (%s)', (error, expected) => {
    expect(classifyWalletError(error)).toBe(expected);
  });

  it.each([
    [{ code: 3, message: 'execution reverted: ERC20: transfer amount exceeds balance', data: '0x08c379a0' }],
    [{ code: -32000, message: 'execution reverted' }],
    // MetaMask's shape: the revert nested under data behind a generic internal error.
    [{ code: -32603, message: 'Internal JSON-RPC error.', data: { code: 3, message: 'execution reverted', data: '0x' } }],
    [{ code: 4001, message: 'User rejected the request.' }],
    [{ code: 4100, message: 'Unauthorized' }],
    [{ code: -32602, message: 'invalid argument 0: hex string without 0x prefix' }],
    [{ code: -32000, message: 'insufficient funds for gas * price + value' }],
    // Nodes' verdicts on a signed transaction, as MetaMask wraps them.
    [{ code: -32603, message: 'Internal JSON-RPC error.', data: { code: -32000, message: 'already known' } }],
    [{ code: -32603, message: 'replacement transaction underpriced' }],
    [{ code: -32000, message: 'max fee per gas less than block base fee' }],
    [{ code: -32000, message: 'intrinsic gas too low' }],
  ])('%o is an answer, passed through', (error) => {
    expect(classifyWalletError(error)).toBeNull();
  });

  it('never throws, whatever a wallet rejects with', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (value) => {
        const result = classifyWalletError(value);
        expect(result === null || typeof result === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
