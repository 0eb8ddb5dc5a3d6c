import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bestHead,
  checkEndpoints,
  classify,
  exitCodeFor,
  formatReport,
  main,
  parseArgs,
  parseRegistryFile,
  pickCanaries,
  type CheckTarget,
  type FetchFn,
  type ProbeResult,
} from './registry-check.ts';
import { DEFAULT_ENDPOINTS, SUPPORTED_CHAIN_IDS, findDefaultEndpointByUrl } from '../src/registry/defaults.ts';

interface Behaviour {
  chainId?: string;
  block?: string;
  /** Status for every request. */
  status?: number;
  /** Access-Control-Allow-Origin to send; undefined = none. */
  acao?: string;
  /** Never answer. */
  hang?: boolean;
  /** Raw body instead of JSON-RPC. */
  raw?: string;
  rpcError?: boolean;
}

interface Seen {
  method: string;
  origin: string | undefined;
  rpc?: string;
}

const servers: http.Server[] = [];
const seen = new Map<string, Seen[]>();
const urls: Record<string, string> = {};

function start(name: string, b: Behaviour): Promise<void> {
  const log: Seen[] = [];
  seen.set(name, log);
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const entry: Seen = { method: req.method ?? '', origin: req.headers.origin };
      log.push(entry);
      if (b.hang) return; // keep the socket open, never answer
      const cors: Record<string, string> = b.acao
        ? { 'access-control-allow-origin': b.acao, 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST' }
        : {};
      if (b.status && b.status !== 200) {
        res.writeHead(b.status, { 'content-type': 'text/plain', ...cors });
        res.end('Service Unavailable');
        return;
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      const call = JSON.parse(body) as { id: number; method: string };
      entry.rpc = call.method;
      res.writeHead(200, { 'content-type': 'application/json', ...cors });
      if (b.raw !== undefined) {
        res.end(b.raw);
        return;
      }
      if (b.rpcError) {
        res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: -32005, message: 'limit exceeded' } }));
        return;
      }
      const result = call.method === 'eth_chainId' ? (b.chainId ?? '0x1') : (b.block ?? '0x64');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result }));
    });
  });
  servers.push(server);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rpc`;
      resolve();
    });
  });
}

beforeAll(async () => {
  await Promise.all([
    start('healthy', { chainId: '0x1', block: '0x64', acao: '*' }),
    start('healthy2', { chainId: '0x1', block: '0x63', acao: '*' }),
    start('nullOrigin', { chainId: '0x1', block: '0x64', acao: 'null' }),
    start('wrongChain', { chainId: '0x38', block: '0x64', acao: '*' }),
    start('unavailable', { status: 503, acao: '*' }),
    start('noCors', { chainId: '0x1', block: '0x64' }),
    start('lagging', { chainId: '0x1', block: '0x10', acao: '*' }),
    start('rpcError', { rpcError: true, acao: '*' }),
    start('html', { raw: '<html>maintenance</html>', acao: '*' }),
    start('hang', { hang: true }),
  ]);
  // A port that refuses connections: open a server, note its port, close it.
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  urls.refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise<void>((r) => closed.close(() => r()));
});

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const target = (name: string, chainId = 1): CheckTarget => ({ id: `t:${name}`, chainId, url: urls[name] ?? 'missing' });

describe('registry check against local JSON-RPC servers', () => {
  const names = ['healthy', 'healthy2', 'nullOrigin', 'wrongChain', 'unavailable', 'noCors', 'lagging', 'rpcError', 'html', 'hang', 'refused'];

  it('classifies each kind of endpoint', async () => {
    const results = await checkEndpoints(names.map((n) => target(n)), { timeoutMs: 300, concurrency: 4 });
    const status = Object.fromEntries(results.map((r) => [r.target.id.slice(2), r.status]));
    expect(status).toEqual({
      healthy: 'ok',
      healthy2: 'ok',
      nullOrigin: 'ok',
      wrongChain: 'wrong-chain',
      unavailable: 'dead',
      noCors: 'no-cors',
      lagging: 'lagging',
      rpcError: 'dead',
      html: 'dead',
      hang: 'dead',
      refused: 'dead',
    });
    const by = (n: string) => results.find((r) => r.target.id === `t:${n}`);
    expect(by('unavailable')?.notes[0]).toMatch(/^HTTP 503/);
    expect(by('unavailable')?.errorKind).toBe('answer');
    expect(by('rpcError')?.notes[0]).toMatch(/JSON-RPC error -32005/);
    expect(by('html')?.notes[0]).toMatch(/not JSON/);
    expect(by('hang')?.notes[0]).toBe('timeout after 300 ms');
    expect(by('hang')?.errorKind).toBe('network');
    expect(by('refused')?.notes[0]).toMatch(/ECONNREFUSED/);
    expect(by('lagging')?.lagBlocks).toBe(100 - 16);
    expect(by('healthy2')?.lagBlocks).toBe(1);
    expect(by('noCors')?.notes[0]).toMatch(/preflight lacks Access-Control-Allow-Origin/);
    expect(by('wrongChain')?.notes[0]).toBe('serves chain 56, expected 1');
    expect(by('healthy')?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(exitCodeFor(results)).toBe(1);
  });

  it('sends the CORS preflight and the POSTs with Origin: null', async () => {
    await checkEndpoints([target('healthy2')], { timeoutMs: 1000 });
    const log = seen.get('healthy2') ?? [];
    expect(log.some((s) => s.method === 'OPTIONS' && s.origin === 'null')).toBe(true);
    expect(log.filter((s) => s.method === 'POST').map((s) => [s.rpc, s.origin])).toEqual(
      expect.arrayContaining([['eth_chainId', 'null'], ['eth_blockNumber', 'null']]),
    );
  });

  it('exits 0 when everything is ok, and the report says so', async () => {
    const results = await checkEndpoints([target('healthy'), target('healthy2'), target('noCors')], { timeoutMs: 1000 });
    expect(exitCodeFor(results)).toBe(0); // no-cors is reported but is not a registry failure
    const report = formatReport(results);
    expect(report).toMatch(/3 endpoints: 1 no-cors, 2 ok/);
    expect(report).not.toMatch(/NO NETWORK/);
  });

  it('runs as a CLI with --registry <file.json>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-check-'));
    const file = join(dir, 'registry.json');
    writeFileSync(file, JSON.stringify({ endpoints: [target('healthy'), target('wrongChain'), { chainId: 1, url: urls.healthy2 }] }));
    const out: string[] = [];
    const code = await main(['--registry', file, '--timeout', '1000'], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/WRONG-CHAIN\s+Ethereum\s+t:wrongChain/);
    expect(text).toMatch(/OK\s+Ethereum\s+1:2/); // id defaults to "<chainId>:<index>"
    expect(text).toMatch(/3 endpoints: 1 wrong-chain, 2 ok/);
  });

  it('prints JSON with --json and filters with --chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-check-'));
    const file = join(dir, 'registry.json');
    writeFileSync(file, JSON.stringify([target('healthy'), { ...target('lagging', 56) }]));
    const out: string[] = [];
    const code = await main(['--registry', file, '--json', '--chain', '1'], { stdout: (t) => out.push(t) });
    expect(code).toBe(0);
    const parsed = JSON.parse(out.join('\n')) as { status: string; target: { id: string } }[];
    expect(parsed.map((r) => [r.target.id, r.status])).toEqual([['t:healthy', 'ok']]);
  });
});

describe('offline shortcut', () => {
  const offlineFetch = (calls: string[]): FetchFn => async (url) => {
    calls.push(url);
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${new URL(url).hostname}`), { code: 'ENOTFOUND' }) });
  };
  const many: CheckTarget[] = Array.from({ length: 30 }, (_, i) => ({
    id: `1:p${i}`,
    chainId: 1,
    url: `https://p${i}.example${i % 10}.com`,
    provider: `P${i % 10}`,
  }));

  it('probes only a few distinct providers when the network is down, and says so', async () => {
    const calls: string[] = [];
    const results = await checkEndpoints(many, { fetch: offlineFetch(calls), timeoutMs: 100 });
    expect(results).toHaveLength(30);
    expect(results.every((r) => r.status === 'dead')).toBe(true);
    expect(calls.length).toBe(6);
    expect(results.filter((r) => r.skipped)).toHaveLength(24);
    expect(results.map((r) => r.target.id)).toEqual(many.map((t) => t.id)); // order kept
    const report = formatReport(results);
    expect(report).toMatch(/NO NETWORK: all 30 endpoints are unreachable/);
    expect(report).toMatch(/First error: ENOTFOUND \(getaddrinfo ENOTFOUND p0\.example0\.com\)/);
    expect(report).toMatch(/24 endpoints were not probed/);
    expect(exitCodeFor(results)).toBe(1);
  });

  it('probes everything when disabled, or when a canary answers at all', async () => {
    const calls: string[] = [];
    await checkEndpoints(many, { fetch: offlineFetch(calls), offlineShortcut: false });
    expect(calls.length).toBe(30);

    const mixed: string[] = [];
    const http503: FetchFn = async (url) => {
      mixed.push(url);
      if (url.includes('example0')) return new Response('down', { status: 503 });
      return offlineFetch([])(url);
    };
    const results = await checkEndpoints(many, { fetch: http503 });
    expect(mixed.length).toBe(30);
    expect(results.some((r) => r.skipped)).toBe(false);
  });

  it('picks canaries from distinct providers', () => {
    expect(pickCanaries(many).map((t) => t.provider)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5']);
  });
});

describe('classify (pure thresholds)', () => {
  const probe = (id: string, chainId: number, p: Partial<ProbeResult>): ProbeResult => ({
    target: { id, chainId, url: `https://${id}.example` },
    chainId,
    blockNumber: 1000,
    latencyMs: 100,
    cors: { ok: true },
    ...p,
  });

  it('marks slow above slowMs, and keeps lesser problems in notes', () => {
    const r = classify(
      [probe('a', 1, {}), probe('b', 1, { latencyMs: 2500 }), probe('c', 1, { latencyMs: 2500, cors: { ok: false, detail: 'x' } })],
      { slowMs: 2000 },
    );
    expect(r.map((x) => x.status)).toEqual(['ok', 'slow', 'no-cors']);
    expect(r[2]?.notes).toEqual(['x', 'eth_blockNumber took 2500 ms (> 2000 ms)']);
  });

  it('scales lag tolerance by block time: 10 blocks is fine on Arbitrum, lagging on Ethereum', () => {
    const eth = classify([probe('a', 1, {}), probe('b', 1, { blockNumber: 990 })]);
    expect(eth.map((x) => x.status)).toEqual(['ok', 'lagging']);
    const arb = classify([probe('a', 42161, {}), probe('b', 42161, { blockNumber: 990 })]);
    expect(arb.map((x) => x.status)).toEqual(['ok', 'ok']);
  });

  it('compares heads per chain only', () => {
    const r = classify([probe('a', 1, { blockNumber: 10 }), probe('b', 56, { blockNumber: 5_000_000 })]);
    expect(r.map((x) => x.lagBlocks)).toEqual([0, 0]);
  });

  it('one endpoint claiming a far-future block does not make the others lag', () => {
    const r = classify([probe('a', 1, {}), probe('b', 1, { blockNumber: 999 }), probe('liar', 1, { blockNumber: 9_999_999 })]);
    expect(r.map((x) => x.status)).toEqual(['ok', 'ok', 'lagging']);
    expect(r[2]?.notes[0]).toMatch(/ahead of every other endpoint/);
  });

  it('wrong chain outranks everything else; dead outranks wrong chain', () => {
    expect(classify([probe('a', 1, { chainId: 56, latencyMs: 9000 })])[0]?.status).toBe('wrong-chain');
    expect(classify([probe('a', 1, { error: 'HTTP 502', chainId: 56 })])[0]?.status).toBe('dead');
  });

  it('bestHead takes the highest corroborated head', () => {
    expect(bestHead([], 3)).toBeUndefined();
    expect(bestHead([7], 3)).toBe(7);
    expect(bestHead([100, 99, 50], 3)).toBe(100);
    expect(bestHead([1_000_000, 100, 99], 3)).toBe(100);
    expect(bestHead([100, 10], 3)).toBe(100); // nothing corroborated: the highest
  });
});

describe('CLI parsing', () => {
  it('parses options and rejects bad ones', () => {
    expect(parseArgs(['--timeout', '500', '--chain=1', '--chain', '56', '--json'])).toMatchObject({ timeoutMs: 500, chains: [1, 56], json: true });
    expect(parseArgs(['--timeout', '-1'])).toEqual({ error: '--timeout needs a positive integer (got -1)' });
    expect(parseArgs(['--bogus'])).toEqual({ error: 'unknown option --bogus' });
  });

  it('returns 2 with usage on bad arguments or an unreadable registry', async () => {
    const err: string[] = [];
    expect(await main(['--nope'], { stderr: (t) => err.push(t), stdout: () => {} })).toBe(2);
    expect(err[0]).toMatch(/unknown option --nope[\s\S]*Usage:/);
    expect(await main(['--registry', '/nonexistent/x.json'], { stderr: (t) => err.push(t), stdout: () => {} })).toBe(2);
  });

  it('validates registry files', () => {
    expect(parseRegistryFile('[{"chainId": 1, "url": "https://a.example"}]')).toEqual([{ id: '1:0', chainId: 1, url: 'https://a.example' }]);
    expect(parseRegistryFile('{')).toMatchObject({ error: expect.stringMatching(/^not valid JSON/) });
    expect(parseRegistryFile('[{"chainId": 0, "url": "https://a"}]')).toEqual({ error: 'endpoints[0].chainId must be a positive integer' });
    expect(parseRegistryFile('[{"chainId": 1, "url": "ftp://a"}]')).toEqual({ error: 'endpoints[0].url must be an http(s) URL' });
    expect(parseRegistryFile('{"x": 1}')).toEqual({ error: 'expected an array of endpoints or {"endpoints": [...]}' });
  });
});

// In this file, not beside the other registry tools: its ~1,200 requests must not run while the
// timing-sensitive checks above wait on their 300 ms timeouts.
describe('registry:check covers every chain (against a local server)', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    // One local server answers as whichever chain the original URL belongs to.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const chainId = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('chain'));
        const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST' };
        if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
        const rpc = JSON.parse(body) as { id: number; method: string };
        const result = rpc.method === 'eth_chainId' ? `0x${chainId.toString(16)}` : '0x100';
        res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify({ jsonrpc: '2.0', id: rpc.id, result }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('checks every default endpoint of all 60 chains and finds them all ok', async () => {
    const fetchLocal = (input: string, init?: RequestInit) => fetch(`${base}?chain=${findDefaultEndpointByUrl(input)?.chainId ?? 0}`, init);
    const out: string[] = [];
    const code = await main(['--json', '--full', '--concurrency', '32'], { stdout: (t) => out.push(t), fetch: fetchLocal });
    const results = JSON.parse(out.join('\n')) as { status: string; target: { id: string; chainId: number } }[];
    expect(new Set(results.map((r) => r.target.chainId))).toEqual(new Set(SUPPORTED_CHAIN_IDS));
    expect(results.map((r) => r.target.id).sort()).toEqual(DEFAULT_ENDPOINTS.map((e) => e.id).sort());
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(code).toBe(0);
  });
});

