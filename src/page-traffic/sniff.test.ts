import { describe, expect, it } from 'vitest';
import { hasEvmMethod, sniffJsonRpc } from './sniff';
import { outcomeOf } from './observe';
import { parseChainIdAnswer } from './contact';

const bytes = (text: string) => ({ bytes: new TextEncoder().encode(text).buffer as ArrayBuffer });
const MAX = 1024;

describe('sniffJsonRpc', () => {
  it('recognises a single request and a batch', () => {
    expect(sniffJsonRpc([bytes('{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}')], MAX)).toEqual({ kind: 'jsonrpc', methods: ['eth_blockNumber'], batch: false });
    const batch = '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_getBalance","params":["0x1","latest"]},{"jsonrpc":"2.0","id":3,"method":"eth_chainId"}]';
    expect(sniffJsonRpc([bytes(batch)], MAX)).toEqual({ kind: 'jsonrpc', methods: ['eth_chainId', 'eth_getBalance'], batch: true });
  });

  it('accepts leading whitespace and bodies split over several raw parts', () => {
    const text = '  \n{"jsonrpc":"2.0","id":"a","method":"eth_call","params":[{}]}';
    const parts = [bytes(text.slice(0, 10)), bytes(text.slice(10))];
    expect(sniffJsonRpc(parts, MAX)).toMatchObject({ kind: 'jsonrpc', methods: ['eth_call'] });
  });

  it('accepts typed-array views, not only ArrayBuffers', () => {
    const view = new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}');
    expect(sniffJsonRpc([{ bytes: view }], MAX)).toMatchObject({ kind: 'jsonrpc' });
  });

  it('rejects what is not JSON-RPC 2.0', () => {
    for (const text of [
      'hello',
      'a=1&b=2',
      '{"id":1,"method":"eth_chainId"}', // no jsonrpc
      '{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}',
      '{"jsonrpc":"2.0","id":1}', // no method
      '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":5}',
      '[]',
      '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}, 3]',
      '{"jsonrpc":"2.0",', // truncated
      `{"jsonrpc":"2.0","id":1,"method":"${'x'.repeat(200)}"}`,
    ]) {
      expect(sniffJsonRpc([bytes(text)], MAX), text).toEqual({ kind: 'not-jsonrpc' });
    }
  });

  it('rejects invalid UTF-8 and file uploads without throwing', () => {
    expect(sniffJsonRpc([{ bytes: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]).buffer as ArrayBuffer }], MAX)).toEqual({ kind: 'not-jsonrpc' });
    expect(sniffJsonRpc([{ file: '/tmp/x' }], MAX)).toEqual({ kind: 'not-jsonrpc' });
  });

  it('does not read bodies over the bound, nor missing ones', () => {
    const big = `{"jsonrpc":"2.0","id":1,"method":"eth_call","params":["${'0'.repeat(MAX)}"]}`;
    expect(sniffJsonRpc([bytes(big)], MAX)).toEqual({ kind: 'unreadable', reason: 'too-large' });
    expect(sniffJsonRpc(undefined, MAX)).toEqual({ kind: 'unreadable', reason: 'no-body' });
    expect(sniffJsonRpc([], MAX)).toEqual({ kind: 'unreadable', reason: 'no-body' });
    expect(sniffJsonRpc([{ bytes: new ArrayBuffer(0) }], MAX)).toEqual({ kind: 'unreadable', reason: 'no-body' });
  });

  it('tells EVM methods from other JSON-RPC APIs', () => {
    expect(hasEvmMethod(['eth_chainId'])).toBe(true);
    expect(hasEvmMethod(['getBalance', 'net_version'])).toBe(true);
    expect(hasEvmMethod(['getAccountInfo', 'irn_publish'])).toBe(false);
  });
});

describe('outcomeOf (webRequest observations in the engine’s outcome language)', () => {
  it('2xx is a success with its latency; 5xx, 429 and other statuses are failures', () => {
    expect(outcomeOf({ kind: 'completed', statusCode: 200, retryAfter: null, latencyMs: 12 }, 0)).toEqual({ kind: 'success', latencyMs: 12 });
    expect(outcomeOf({ kind: 'completed', statusCode: 503, retryAfter: null, latencyMs: 3 }, 0)).toMatchObject({ kind: 'failure', failureClass: 'http-5xx', detail: 'HTTP 503' });
    expect(outcomeOf({ kind: 'completed', statusCode: 429, retryAfter: '7', latencyMs: 3 }, 0)).toMatchObject({ failureClass: 'http-429', retryAfterMs: 7000 });
    expect(outcomeOf({ kind: 'completed', statusCode: 401, retryAfter: null, latencyMs: 3 }, 0)).toMatchObject({ failureClass: 'http-other' });
    expect(outcomeOf({ kind: 'completed', statusCode: 304, retryAfter: null, latencyMs: 3 }, 0)).toBeNull();
  });

  it('network errors are failures; cancellations, blocking and a lost network are not the endpoint’s fault', () => {
    expect(outcomeOf({ kind: 'error', error: 'net::ERR_CONNECTION_REFUSED', latencyMs: 2 }, 0)).toMatchObject({
      failureClass: 'network',
      detail: 'connection failed (net::ERR_CONNECTION_REFUSED)',
    });
    for (const error of ['net::ERR_ABORTED', 'net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_INTERNET_DISCONNECTED']) {
      expect(outcomeOf({ kind: 'error', error, latencyMs: 2 }, 0)).toBeNull();
    }
  });

  it('a hang is a timeout in the engine’s words', () => {
    expect(outcomeOf({ kind: 'timeout', afterMs: 4000 }, 0)).toMatchObject({ failureClass: 'timeout', detail: 'no answer in 4 s' });
  });
});

describe('parseChainIdAnswer', () => {
  it('reads the chain id, and tells a down endpoint from a non-EVM API', () => {
    expect(parseChainIdAnswer(200, '{"jsonrpc":"2.0","id":1,"result":"0x539"}')).toEqual({ kind: 'chain', chainId: 1337 });
    expect(parseChainIdAnswer(503, 'Service Unavailable')).toEqual({ kind: 'failed' });
    expect(parseChainIdAnswer(200, '<html>')).toEqual({ kind: 'failed' });
    expect(parseChainIdAnswer(200, '{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"rate limited"}}')).toEqual({ kind: 'failed' });
    expect(parseChainIdAnswer(200, '{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}')).toEqual({ kind: 'not-evm' });
    expect(parseChainIdAnswer(200, '{"jsonrpc":"2.0","id":1,"result":"mainnet"}')).toEqual({ kind: 'not-evm' });
    expect(parseChainIdAnswer(200, '[1]')).toEqual({ kind: 'not-evm' });
  });
});
