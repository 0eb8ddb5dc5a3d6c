// Node-only checks of the e2e fixtures: every fault mode of the RPC endpoint as a client sees it,
// against a real ganache node. No browser is launched here.
import { test, expect } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startControlServer, startRpcEndpoint, parseFaultMode, type RpcEndpoint, type EndpointSummary } from './fixtures/rpc-endpoint';

let node: EvmNode;
const opened: Array<{ close(): Promise<void> }> = [];

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: 1337 });
});
test.afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});
test.afterAll(async () => {
  await node?.close();
});

async function endpoint(name?: string): Promise<RpcEndpoint> {
  const e = await startRpcEndpoint({ upstream: node.url, ...(name ? { name } : {}) });
  opened.push(e);
  return e;
}

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}
async function post(url: string, body: unknown, signal?: AbortSignal): Promise<RawAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
let id = 1;
const call = (method: string, params: unknown[] = []) => ({ jsonrpc: '2.0', id: id++, method, params });
async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const answer = await post(url, call(method, params));
  expect(answer.status).toBe(200);
  const parsed = JSON.parse(answer.text) as { result?: T; error?: { message: string } };
  if (parsed.error) throw new Error(parsed.error.message);
  return parsed.result as T;
}
const preflight = (url: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin: 'http://dapp.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
/** The network error code under undici's "fetch failed" TypeError. */
async function networkErrorCode(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { cause?: { code?: string } },
  );
  expect(err, 'request should fail at the network level').toBeDefined();
  return err?.cause?.code;
}

test('evm node: real chain data, mining, several chain ids in one process', async () => {
  const other = await startEvmNode({ chainId: 10 });
  opened.push(other);
  expect(await rpc(node.url, 'eth_chainId')).toBe('0x539');
  expect(await rpc(other.url, 'eth_chainId')).toBe('0xa');
  expect(await rpc(other.url, 'net_version')).toBe('10');
  const before = await other.blockNumber();
  expect(await other.mine(3)).toBe(before + 3);
  expect(other.accounts.length).toBeGreaterThan(0);
  const balance = await rpc<string>(other.url, 'eth_getBalance', [other.accounts[0]!.address, 'latest']);
  expect(BigInt(balance)).toBe(other.accounts[0]!.balance);
});

test('healthy forwards to the node and logs methods with timestamps', async () => {
  const e = await endpoint('main');
  const t0 = Date.now();
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x539');
  expect(Number(await rpc<string>(e.url, 'eth_blockNumber'))).toBe(await node.blockNumber());
  expect(BigInt(await rpc<string>(e.url, 'eth_getBalance', [node.accounts[0]!.address, 'latest']))).toBe(node.accounts[0]!.balance);
  await e.waitForRequests(3);
  expect(e.requests.map((r) => r.rpcMethods[0])).toEqual(['eth_chainId', 'eth_blockNumber', 'eth_getBalance']);
  expect(e.requests.every((r) => r.at >= t0 && r.mode === 'healthy' && r.httpMethod === 'POST')).toBe(true);
  expect(e.requestCount('eth_chainId')).toBe(1);
  expect(e.name).toBe('main');
  expect(e.url).toBe(`http://127.0.0.1:${e.port}/`);
});

test('slow delays the answer by at least ms, but not the preflight', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'slow', ms: 250 });
  const t0 = performance.now();
  let answeredAt = 0;
  const slowCall = rpc(e.url, 'eth_chainId').then((result) => ((answeredAt = performance.now()), result));
  // The preflight sent while the POST is still held back is answered first.
  expect((await preflight(e.url)).status).toBe(204);
  expect(answeredAt).toBe(0);
  expect(await slowCall).toBe('0x539');
  expect(answeredAt - t0).toBeGreaterThanOrEqual(250);
});

test('http-error answers 500, 502 and 503 with CORS', async () => {
  const e = await endpoint();
  for (const status of [500, 502, 503] as const) {
    await e.setMode({ kind: 'http-error', status });
    const answer = await post(e.url, call('eth_blockNumber'));
    expect(answer.status).toBe(status);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  }
});

test('rate-limited answers 429 with Retry-After', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'rate-limited', retryAfterSeconds: 7 });
  const answer = await post(e.url, call('eth_blockNumber'));
  expect(answer.status).toBe(429);
  expect(answer.headers.get('retry-after')).toBe('7');
  expect(answer.headers.get('access-control-expose-headers')).toContain('retry-after');
  expect((JSON.parse(answer.text) as { error: { code: number } }).error.code).toBe(-32005);
});

test('hang never answers (client timeout), then recovers when healthy', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'hang' });
  const hung = post(e.url, call('eth_blockNumber'), AbortSignal.timeout(300));
  await e.waitForRequests(1); // the request did arrive; it is just never answered
  await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
  await e.setMode({ kind: 'healthy' });
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x539');
});

test('close() destroys hung sockets', async () => {
  const e = await startRpcEndpoint({ upstream: node.url, mode: { kind: 'hang' } });
  const hung = post(e.url, call('eth_blockNumber'));
  await e.waitForRequests(1);
  await e.close();
  expect(await networkErrorCode(hung)).toBeDefined();
});

test('dropHung() resets the hung requests only; the endpoint answers new ones', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'hang' });
  const hung = [post(e.url, call('eth_blockNumber')), post(e.url, call('eth_chainId'))].map(networkErrorCode);
  await e.waitForRequests(2);
  await e.setMode({ kind: 'healthy' });
  expect(e.dropHung()).toBe(2);
  for (const code of await Promise.all(hung)) expect(code).toBeDefined();
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x539');
  expect(e.dropHung()).toBe(0);
});

test('refuse closes the port (ECONNREFUSED) and re-opens the same port', async () => {
  const e = await endpoint();
  const port = e.port;
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x539'); // a pooled keep-alive connection exists now
  await e.setMode({ kind: 'refuse' });
  expect(await networkErrorCode(post(e.url, call('eth_chainId')))).toBe('ECONNREFUSED');
  expect(await networkErrorCode(preflight(e.url))).toBe('ECONNREFUSED');
  await e.setMode({ kind: 'healthy' });
  expect(e.port).toBe(port);
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x539');
});

test('an endpoint can start refused', async () => {
  const e = await startRpcEndpoint({ upstream: node.url, mode: { kind: 'refuse' } });
  opened.push(e);
  expect(await networkErrorCode(post(e.url, call('eth_chainId')))).toBe('ECONNREFUSED');
  await e.setMode({ kind: 'healthy' });
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x539');
});

test('wrong-chain rewrites eth_chainId and net_version only', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'wrong-chain', chainId: 56 });
  expect(await rpc(e.url, 'eth_chainId')).toBe('0x38');
  expect(await rpc(e.url, 'net_version')).toBe('56');
  expect(Number(await rpc<string>(e.url, 'eth_blockNumber'))).toBe(await node.blockNumber());
});

test('lagging serves head−N for eth_blockNumber and `latest`, and knows no newer block', async () => {
  const own = await startEvmNode({ chainId: 31337 }); // own node: mining here must not race other tests
  opened.push(own);
  const e = await startRpcEndpoint({ upstream: own.url });
  opened.push(e);
  // A transaction from account 0 in the newest block: the lagging node must not know it yet.
  await own.mine(5);
  const [from, to] = [own.accounts[0]!.address, own.accounts[1]!.address];
  const txHash = await own.request<string>('eth_sendTransaction', [{ from, to, value: '0x1' }]);
  const head = await own.blockNumber();
  await e.setMode({ kind: 'lagging', blocks: 3 });
  expect(Number(await rpc<string>(e.url, 'eth_blockNumber'))).toBe(head - 3);
  const latest = await rpc<{ number: string }>(e.url, 'eth_getBlockByNumber', ['latest', false]);
  expect(Number(latest.number)).toBe(head - 3);
  expect(await rpc(e.url, 'eth_getBlockByNumber', [`0x${head.toString(16)}`, false])).toBeNull();
  expect(await rpc(e.url, 'eth_getTransactionReceipt', [txHash])).toBeNull();
  expect(Number(await rpc<string>(e.url, 'eth_getTransactionCount', [from, 'latest']))).toBe(0);
  expect(Number(await rpc<string>(e.url, 'eth_getTransactionCount', [from]))).toBe(0); // omitted tag = latest
  await e.setMode({ kind: 'healthy' });
  expect(Number(await rpc<string>(e.url, 'eth_getTransactionCount', [from, 'latest']))).toBe(1);
  expect(await rpc(e.url, 'eth_getTransactionReceipt', [txHash])).not.toBeNull();
});

test('malformed-json answers 200 with a body JSON.parse rejects', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'malformed-json' });
  const answer = await post(e.url, call('eth_chainId'));
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toContain('application/json');
  expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
});

test('html-error serves a text/html page (502 or 200), with or without CORS', async () => {
  const e = await endpoint();
  await e.setMode({ kind: 'html-error' });
  let answer = await post(e.url, call('eth_chainId'));
  expect(answer.status).toBe(502);
  expect(answer.headers.get('content-type')).toContain('text/html');
  expect(answer.text).toContain('<!DOCTYPE html>');
  expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  expect((await preflight(e.url)).status).toBe(204);

  await e.setMode({ kind: 'html-error', status: 200 });
  answer = await post(e.url, call('eth_chainId'));
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toContain('text/html');

  await e.setMode({ kind: 'html-error', cors: false });
  answer = await post(e.url, call('eth_chainId'));
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  const pre = await preflight(e.url);
  expect(pre.status).toBe(502);
  expect(pre.headers.get('access-control-allow-origin')).toBeNull();
});

test('truncated sends a prefix of the valid body, then closes', async () => {
  const e = await endpoint();
  const full = (await post(e.url, call('eth_getBlockByNumber', ['0x0', false]))).text;
  await e.setMode({ kind: 'truncated' });
  const answer = await post(e.url, { ...call('eth_getBlockByNumber', ['0x0', false]), id: JSON.parse(full).id as number });
  expect(answer.status).toBe(200);
  expect(answer.text.length).toBeGreaterThan(0);
  expect(answer.text.length).toBeLessThan(full.length);
  expect(full.startsWith(answer.text)).toBe(true);
  expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);

  await e.setMode({ kind: 'truncated', declareLength: true });
  expect(await networkErrorCode(post(e.url, call('eth_chainId')))).toBeDefined();
});

test('CORS preflight is answered like a public RPC in every answering mode', async () => {
  const e = await endpoint();
  for (const mode of [
    { kind: 'healthy' },
    { kind: 'http-error', status: 503 },
    { kind: 'rate-limited', retryAfterSeconds: 1 },
    { kind: 'wrong-chain', chainId: 5 },
    { kind: 'lagging', blocks: 1 },
    { kind: 'malformed-json' },
    { kind: 'truncated' },
  ] as const) {
    await e.setMode(mode);
    const res = await preflight(e.url);
    expect(res.status, mode.kind).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('access-control-max-age')).toBe('0');
  }
  await e.setMode({ kind: 'hang' });
  await expect(fetch(e.url, { method: 'OPTIONS', signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
  expect(e.requests.filter((r) => r.httpMethod === 'OPTIONS').length).toBe(8);
});

test('batches: forwarded whole when healthy, rewritten per call in per-call modes', async () => {
  const e = await endpoint();
  const batch = [call('eth_chainId'), call('eth_blockNumber'), call('net_version')];
  const healthy = JSON.parse((await post(e.url, batch)).text) as Array<{ id: number; result: string }>;
  expect(healthy.map((a) => a.id).sort()).toEqual(batch.map((c) => c.id).sort());
  expect(healthy.find((a) => a.id === batch[0]!.id)?.result).toBe('0x539');

  await e.setMode({ kind: 'wrong-chain', chainId: 137 });
  const wrong = JSON.parse((await post(e.url, batch)).text) as Array<{ id: number; result: string }>;
  expect(wrong.map((a) => a.id)).toEqual(batch.map((c) => c.id));
  expect(wrong.map((a) => a.result)).toEqual(['0x89', healthy.find((a) => a.id === batch[1]!.id)?.result, '137']);

  expect(e.requests[0]).toMatchObject({ batch: true, rpcMethods: ['eth_chainId', 'eth_blockNumber', 'net_version'] });
  expect(e.requestCount()).toBe(2);
  expect(e.requestCount('eth_chainId')).toBe(2);
  await e.waitForRequests(2, { method: 'net_version' });
});

test('several endpoints front one node, each in its own mode', async () => {
  const [a, b] = await Promise.all([endpoint('a'), endpoint('b')]);
  await b.setMode({ kind: 'http-error', status: 503 });
  expect(await rpc(a.url, 'eth_chainId')).toBe('0x539');
  expect((await post(b.url, call('eth_chainId'))).status).toBe(503);
  expect(a.port).not.toBe(b.port);
});

test('control server lists endpoints and switches modes, refuse included', async () => {
  const [a, b] = await Promise.all([endpoint('alpha'), endpoint('beta')]);
  const control = await startControlServer([a, b]);
  opened.push(control);
  const list = (await (await fetch(`${control.url}/endpoints`)).json()) as EndpointSummary[];
  expect(list.map((s) => [s.name, s.mode.kind])).toEqual([
    ['alpha', 'healthy'],
    ['beta', 'healthy'],
  ]);
  const setMode = (name: string, mode: unknown) =>
    fetch(`${control.url}/endpoints/${name}/mode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
  expect((await setMode('beta', { kind: 'refuse' })).status).toBe(200);
  expect(b.mode).toEqual({ kind: 'refuse' });
  expect(await networkErrorCode(post(b.url, call('eth_chainId')))).toBe('ECONNREFUSED');
  expect((await setMode('beta', { kind: 'slow', ms: 1 })).status).toBe(200);
  expect(await rpc(b.url, 'eth_chainId')).toBe('0x539');
  expect((await setMode('beta', { kind: 'slow' })).status).toBe(400);
  expect((await setMode('nope', { kind: 'healthy' })).status).toBe(404);
  const detail = (await (await fetch(`${control.url}/endpoints/beta`)).json()) as EndpointSummary & { recent: unknown[] };
  expect(detail.requests).toBe(1);
  expect(detail.recent).toHaveLength(1);
});

test('parseFaultMode validates untrusted modes', () => {
  expect(parseFaultMode({ kind: 'lagging', blocks: 4 })).toEqual({ kind: 'lagging', blocks: 4 });
  expect(parseFaultMode({ kind: 'html-error' })).toEqual({ kind: 'html-error', status: 502, cors: true });
  expect(() => parseFaultMode({ kind: 'http-error', status: 404 })).toThrow();
  expect(() => parseFaultMode({ kind: 'explode' })).toThrow(/unknown mode/);
  expect(() => parseFaultMode(null)).toThrow();
});
