import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyHttpResponse,
  classifyHttpStatus,
  classifyRpcError,
  encodeRequest,
  parseQuantity,
  parseResponseText,
  parseRetryAfter,
} from './jsonrpc.ts';

const headers = (values: Record<string, string> = {}) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const http = (status: number, text: string, h: Record<string, string> = {}) => ({ status, headers: headers(h), text });
const NOW = 1_700_000_000_000;

describe('encodeRequest', () => {
  it('produces JSON-RPC 2.0 that round-trips, omitting undefined params', () => {
    expect(JSON.parse(encodeRequest(7, 'eth_getBalance', ['0xabc', 'latest']))).toEqual({ jsonrpc: '2.0', id: 7, method: 'eth_getBalance', params: ['0xabc', 'latest'] });
    expect(JSON.parse(encodeRequest(1, 'eth_blockNumber', undefined))).toEqual({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber' });
  });
});

describe('parseResponseText (strict)', () => {
  it('accepts a result, including null', () => {
    expect(parseResponseText('{"jsonrpc":"2.0","id":1,"result":null}', 1)).toEqual({ ok: true, response: { jsonrpc: '2.0', id: 1, result: null } });
  });
  it.each([
    ['not JSON', 'oops', 'malformed'],
    ['empty body', '', 'malformed'],
    ['a number', '42', 'malformed'],
    ['a batch answer to a single request', '[{"jsonrpc":"2.0","id":1,"result":"0x1"}]', 'malformed'],
    ['missing jsonrpc', '{"id":1,"result":"0x1"}', 'malformed'],
    ['neither result nor error', '{"jsonrpc":"2.0","id":1}', 'malformed'],
    ['both result and error', '{"jsonrpc":"2.0","id":1,"result":"0x1","error":{"code":1,"message":"x"}}', 'malformed'],
    ['error without code', '{"jsonrpc":"2.0","id":1,"error":{"message":"x"}}', 'malformed'],
    ['another id', '{"jsonrpc":"2.0","id":2,"result":"0x1"}', 'wrong-id'],
    ['an id of another type', '{"jsonrpc":"2.0","id":"1","result":"0x1"}', 'wrong-id'],
    ['an HTML page', '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', 'html'],
  ])('rejects %s', (_name, text, failureClass) => {
    const parsed = parseResponseText(text, 1);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.failureClass).toBe(failureClass);
  });
});

describe('classifyRpcError: answers vs failures', () => {
  it.each([
    [{ code: 3, message: 'execution reverted: ERC20: transfer amount exceeds balance', data: '0x08c379a0' }, 'answer'],
    [{ code: -32000, message: 'execution reverted' }, 'answer'],
    [{ code: -32603, message: 'Error: VM Exception while processing transaction: revert' }, 'answer'],
    [{ code: -32602, message: 'invalid argument 0: hex string has length 3' }, 'answer'],
    [{ code: -32000, message: 'nonce too low' }, 'answer'],
    [{ code: -32000, message: 'insufficient funds for gas * price + value' }, 'answer'],
    [{ code: -32000, message: 'already known' }, 'answer'],
    [{ code: -32000, message: 'replacement transaction underpriced' }, 'answer'],
    [{ code: -32003, message: 'transaction rejected' }, 'answer'],
    [{ code: -32005, message: 'limit exceeded' }, 'limit'],
    [{ code: -32000, message: 'Too Many Requests' }, 'limit'],
    [{ code: 429, message: 'Your app has exceeded its compute units per second capacity' }, 'limit'],
    [{ code: -32603, message: 'internal error' }, 'internal'],
    [{ code: -32601, message: 'the method eth_feeHistory does not exist/is not available' }, 'unsupported'],
    [{ code: -32000, message: 'header not found' }, 'unavailable'],
    [{ code: -32000, message: 'missing trie node 1a2b (path )' }, 'unavailable'],
    [{ code: -32002, message: 'resource unavailable' }, 'unavailable'],
    [{ code: -32700, message: 'parse error' }, 'malformed'],
    [{ code: -32000, message: 'something odd happened' }, 'rpc-error'],
  ])('%j → %s', (error, expected) => {
    expect(classifyRpcError(error)).toBe(expected);
  });
  it('does not mistake a gas-limit revert for a rate limit', () => {
    expect(classifyRpcError({ code: -32000, message: 'exceeds block gas limit' })).toBe('answer');
  });
});

describe('classifyHttpResponse', () => {
  it('passes results and answer-errors through', () => {
    expect(classifyHttpResponse(http(200, '{"jsonrpc":"2.0","id":5,"result":"0x10"}'), 5, NOW)).toEqual({ kind: 'result', result: '0x10' });
    expect(classifyHttpResponse(http(200, '{"jsonrpc":"2.0","id":5,"error":{"code":3,"message":"execution reverted","data":"0x"}}'), 5, NOW)).toEqual({
      kind: 'answer-error',
      error: { code: 3, message: 'execution reverted', data: '0x' },
    });
  });
  it('classifies HTTP failures, with Retry-After on 429', () => {
    expect(classifyHttpResponse(http(503, 'Service Unavailable'), 1, NOW)).toMatchObject({ kind: 'failure', failureClass: 'http-5xx', detail: 'HTTP 503', httpStatus: 503 });
    expect(classifyHttpResponse(http(429, '', { 'retry-after': '30' }), 1, NOW)).toMatchObject({ failureClass: 'http-429', retryAfterMs: 30_000 });
    expect(classifyHttpResponse(http(429, ''), 1, NOW)).not.toHaveProperty('retryAfterMs');
    expect(classifyHttpResponse(http(403, 'Forbidden'), 1, NOW)).toMatchObject({ failureClass: 'http-other', detail: 'HTTP 403' });
    expect(classifyHttpResponse(http(200, '<html>blocked</html>', { 'content-type': 'text/html' }), 1, NOW)).toMatchObject({ failureClass: 'html' });
    expect(classifyHttpResponse(http(200, '{"jsonrpc":"2.0","id":9,"result":"0x1"}'), 1, NOW)).toMatchObject({ failureClass: 'wrong-id' });
  });
  it('reads JSON-RPC errors sent with a 4xx status by their content', () => {
    expect(classifyHttpResponse(http(400, '{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params"}}'), 1, NOW)).toMatchObject({ kind: 'answer-error' });
    expect(classifyHttpResponse(http(400, '{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"limit"}}'), 1, NOW)).toMatchObject({ failureClass: 'limit', error: { code: -32005 } });
  });
  it('treats an id:null error (server could not read the request) as a failure', () => {
    expect(classifyHttpResponse(http(200, '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}'), 1, NOW)).toMatchObject({ kind: 'failure', failureClass: 'malformed' });
  });
  it('never throws and always classifies arbitrary bodies and statuses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.string(), (status, text) => {
        const outcome = classifyHttpResponse(http(status, text), 1, NOW);
        expect(['result', 'answer-error', 'failure']).toContain(outcome.kind);
        if (status >= 500 || status === 429) expect(outcome.kind).toBe('failure');
      }),
      { numRuns: 300 },
    );
  });
});

describe('classifyHttpStatus (webRequest observations)', () => {
  it('maps statuses to outcomes for recordOutcome', () => {
    expect(classifyHttpStatus(200, null, NOW)).toBeUndefined();
    expect(classifyHttpStatus(503, null, NOW)).toMatchObject({ kind: 'failure', failureClass: 'http-5xx', detail: 'HTTP 503' });
    expect(classifyHttpStatus(429, '12', NOW)).toMatchObject({ failureClass: 'http-429', retryAfterMs: 12_000 });
    expect(classifyHttpStatus(401, null, NOW)).toMatchObject({ failureClass: 'http-other' });
  });
});

describe('parseRetryAfter / parseQuantity', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(new Date(NOW + 60_000).toUTCString(), NOW)).toBeCloseTo(60_000, -3);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
  it('accepts canonical quantities only', () => {
    expect(parseQuantity('0x0')).toBe(0);
    expect(parseQuantity('0x1b4')).toBe(436);
    expect(parseQuantity('0x01')).toBeUndefined();
    expect(parseQuantity('12')).toBeUndefined();
    expect(parseQuantity(12)).toBeUndefined();
  });
});
