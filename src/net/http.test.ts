import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpTimeoutError, HttpTooLargeError, JsonRpcAnswerError, callJsonRpc, httpRequest } from './http.ts';
import { type LoopbackServer, startLoopbackServer } from '../testing/loopback-server.ts';

// A real loopback server: the helper is exercised through Node's fetch, no network needed.
let server: LoopbackServer;
let base = '';
const received: { path: string; method: string; body: string }[] = [];

function answer(path: string, body: string, response: ServerResponse): void {
  const id = body ? (JSON.parse(body) as { id: unknown }).id : null;
  const json = (value: unknown): void => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };
  switch (path) {
    case '/hang':
      return; // never answers
    case '/slow-body':
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('start…'); // then never ends
      return;
    case '/big':
      response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(10_000));
      return;
    case '/redirect':
      response.writeHead(302, { location: '/ok' }).end();
      return;
    case '/503':
      response.writeHead(503, { 'retry-after': '7' }).end('busy');
      return;
    case '/html':
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      return;
    case '/rpc-error':
      return json({ jsonrpc: '2.0', id, error: { code: -32000, message: 'header not found' } });
    case '/wrong-id':
      return json({ jsonrpc: '2.0', id: 999, result: '0x1' });
    case '/ok':
      return json({ jsonrpc: '2.0', id, result: '0x2a' });
    default:
      response.writeHead(404).end('not found');
  }
}

beforeAll(async () => {
  server = await startLoopbackServer((request, body, response) => {
    received.push({ path: request.url ?? '', method: request.method ?? '', body });
    answer(request.url ?? '', body, response);
  });
  base = server.base;
});

afterAll(() => server.close());

describe('httpRequest', () => {
  it('sends without cookies, cache or referrer, and follows redirects unless told not to', async () => {
    const fetch = vi.fn(async () => new Response('hi', { status: 201 }));
    const answer = await httpRequest({ url: 'https://example.test/', method: 'POST', body: '{}', headers: { a: 'b' }, fetch });
    expect(answer).toMatchObject({ status: 201, text: 'hi' });
    expect(fetch).toHaveBeenCalledWith('https://example.test/', {
      method: 'POST', body: '{}', headers: { a: 'b' }, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', redirect: 'follow',
    });
  });

  it('reads the status, headers and whole text', async () => {
    const answer = await httpRequest({ url: `${base}/503`, method: 'GET' });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.text).toBe('busy');
  });

  it('follows a redirect by default and refuses it with redirect: error', async () => {
    const followed = await httpRequest({ url: `${base}/redirect`, method: 'POST', body: '{"id":1}' });
    expect(followed.status).toBe(200);
    await expect(httpRequest({ url: `${base}/redirect`, method: 'POST', body: '{"id":1}', redirect: 'error' })).rejects.toThrow(TypeError);
  });

  it('times out a hanging server with HttpTimeoutError', async () => {
    const started = Date.now();
    const error = await httpRequest({ url: `${base}/hang`, method: 'POST', body: '{"id":1}', timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as HttpTimeoutError).afterMs).toBe(100);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('the timeout covers the body: a server that never finishes its answer times out too', async () => {
    await expect(httpRequest({ url: `${base}/slow-body`, method: 'GET', timeoutMs: 100 })).rejects.toBeInstanceOf(HttpTimeoutError);
    await expect(httpRequest({ url: `${base}/slow-body`, method: 'GET', timeoutMs: 100, maxBytes: 1000 })).rejects.toBeInstanceOf(HttpTimeoutError);
  });

  it("the caller's abort passes through as fetch reports it, not as a timeout", async () => {
    const controller = new AbortController();
    const pending = httpRequest({ url: `${base}/hang`, method: 'POST', body: '{"id":1}', signal: controller.signal, timeoutMs: 5_000 });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('an already aborted signal never waits for the timeout', async () => {
    const controller = new AbortController();
    controller.abort(new Error('before start'));
    await expect(httpRequest({ url: `${base}/ok`, method: 'GET', signal: controller.signal, timeoutMs: 5_000 })).rejects.toThrow('before start');
  });

  it('rejects an answer over maxBytes with HttpTooLargeError, or keeps its start when truncating', async () => {
    await expect(httpRequest({ url: `${base}/big`, method: 'GET', maxBytes: 4096 })).rejects.toBeInstanceOf(HttpTooLargeError);
    const truncated = await httpRequest({ url: `${base}/big`, method: 'GET', maxBytes: 4096, overMaxBytes: 'truncate' });
    expect(truncated.text).toBe('x'.repeat(4096));
    const whole = await httpRequest({ url: `${base}/big`, method: 'GET', maxBytes: 10_000 });
    expect(whole.text.length).toBe(10_000);
  });

  it('network errors are fetch’s own', async () => {
    await expect(httpRequest({ url: 'http://127.0.0.1:1/', method: 'GET', timeoutMs: 2_000 })).rejects.toThrow(TypeError);
  });
});

describe('callJsonRpc', () => {
  it('POSTs a JSON-RPC request and resolves with its result', async () => {
    await expect(callJsonRpc(`${base}/ok`, 'eth_chainId', [])).resolves.toBe('0x2a');
    expect(JSON.parse(received.at(-1)!.body)).toEqual({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
  });

  it('rejects with the node’s error answer', async () => {
    const error = await callJsonRpc(`${base}/rpc-error`, 'eth_chainId', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonRpcAnswerError);
    expect(error).toMatchObject({ code: -32000, message: 'JSON-RPC error: header not found' });
  });

  it('rejects what the engine would not take as an answer, naming why', async () => {
    await expect(callJsonRpc(`${base}/503`, 'eth_chainId', [])).rejects.toThrow('HTTP 503');
    await expect(callJsonRpc(`${base}/nowhere`, 'eth_chainId', [])).rejects.toThrow('HTTP 404');
    await expect(callJsonRpc(`${base}/html`, 'eth_chainId', [])).rejects.toThrow('HTML page instead of JSON');
    await expect(callJsonRpc(`${base}/wrong-id`, 'eth_chainId', [])).rejects.toThrow('answer for id 999, expected 1');
  });

  it('times out like httpRequest', async () => {
    await expect(callJsonRpc(`${base}/hang`, 'eth_chainId', [], { timeoutMs: 100 })).rejects.toBeInstanceOf(HttpTimeoutError);
  });
});
