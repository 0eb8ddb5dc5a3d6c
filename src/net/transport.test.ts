import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { createRouter } from '../router/index.ts';
import { createFetchTransport } from './transport.ts';
import { exchange } from './exchange.ts';
import { makeEndpoint } from '../testing/sim-network.ts';
import { type LoopbackServer, startLoopbackServer } from '../testing/loopback-server.ts';

// A real loopback JSON-RPC server: the fetch transport is exercised end to end, no network needed.
let server: LoopbackServer;
let base = '';
const seen: { path: string; body: string; contentType: string | undefined; cookie: string | undefined }[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((request, body, response) => {
    seen.push({ path: request.url ?? '', body, contentType: request.headers['content-type'], cookie: request.headers.cookie });
    const { id, method } = JSON.parse(body) as { id: number; method: string };
    if (request.url === '/hang') return; // never answers
    if (request.url === '/503') {
      response.writeHead(503, { 'retry-after': '7' }).end('busy');
      return;
    }
    const result = method === 'eth_chainId' ? '0x1' : method === 'eth_blockNumber' ? '0x10' : '0x2a';
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));
  });
  base = server.base;
});

afterAll(() => server.close());

describe('fetch transport (real loopback HTTP)', () => {
  it('POSTs the body as JSON and returns status, headers and text', async () => {
    const transport = createFetchTransport();
    const response = await transport(makeEndpoint('ok', { url: `${base}/ok` }), '{"jsonrpc":"2.0","id":3,"method":"eth_gasPrice"}', new AbortController().signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(response.text)).toEqual({ jsonrpc: '2.0', id: 3, result: '0x2a' });
    expect(seen.at(-1)).toMatchObject({ path: '/ok', contentType: 'application/json', cookie: undefined });
  });

  it('times out a hanging endpoint through the abort signal', async () => {
    const result = await exchange(createFetchTransport(), systemClock, makeEndpoint('hang', { url: `${base}/hang` }), '{"jsonrpc":"2.0","id":1,"method":"eth_gasPrice"}', 1, 100);
    expect(result.outcome).toMatchObject({ kind: 'failure', failureClass: 'timeout', detail: 'no answer in 0.1 s' });
  });

  it('routes a real request with fail-over on the system clock', async () => {
    const endpoints = [makeEndpoint('down', { url: `${base}/503` }), makeEndpoint('up', { url: `${base}/up` })];
    const router = createRouter({ transport: createFetchTransport(), endpoints });
    const answer = await router.request(1, { method: 'eth_gasPrice', params: [] });
    expect(answer).toMatchObject({ ok: true, result: '0x2a', meta: { endpointId: 'up' } });
    expect(router.health.view('down')?.lastFailure).toMatchObject({ failureClass: 'http-5xx', detail: 'HTTP 503' });
  });
});
