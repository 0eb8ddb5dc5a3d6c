/**
 * Verified reads benchmark: what proving a relayed read costs, and what it buys.
 *
 * One ganache node (HTTP, loopback) behind fault-injecting endpoints; the engine talks to them
 * over real HTTP. Both sides run in the same process at the same time, reads interleaved, each
 * side with its own three endpoints (so calls per read are counted per side):
 *  - cost: relayed eth_getBalance and a token's balanceOf eth_call, verification off vs on;
 *    p50/p99 latency per read and JSON-RPC calls reaching the endpoints per read. A block is mined
 *    every 2 s, so verified reads pay for new headers as a fast chain would make them.
 *  - lying: the first endpoint in line (the user's own, ranked first) lies about balances and
 *    eth_call results; wrong answers that reach the dApp with verification off vs on.
 *
 * Run: npm run bench:verify. Writes bench/verify-results.json and bench/VERIFY.md.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startEvmNode, type EvmNode } from '../e2e/fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { createEngine, type Engine } from '../src/index';
import type { VerificationMode } from '../src/policy/index';
import type { Endpoint } from '../src/types';
import { TOKEN_RUNTIME, balanceOfData, balanceSlot } from '../src/testing/token-contract';
import { formatMs, formatRatio, percentile, round } from './stats';

const READS_PER_METHOD = Number(process.env.VERIFY_READS ?? 200);
const LYING_READS = Number(process.env.VERIFY_LYING_READS ?? 100);
const BLOCK_EVERY_MS = 2_000;
const TOKEN = '0x0000000000000000000000000000000000070c3e';
const HOLDER = '0x3333333333333333333333333333333333333333';
const HELD = 987_654_321n;

interface Side {
  engine: Engine;
  proxies: RpcEndpoint[];
  samples: Record<string, number[]>;
  calls: number;
  reads: number;
}

async function side(node: EvmNode, name: string, mode: VerificationMode, liar?: 'balance' | 'call-result'): Promise<Side> {
  const proxies = await Promise.all(['a', 'b', 'c'].map((id) => startRpcEndpoint({ upstream: node.url, name: `${name}-${id}` })));
  const endpoints: Endpoint[] = proxies.map((proxy, i) => ({
    id: `1:${name}-${i}`,
    chainId: 1,
    url: proxy.url,
    provider: `${name} provider ${i}`,
    infrastructure: (['aws', 'gcp', 'hetzner'] as const)[i]!,
    privacy: 'none',
    // The first endpoint is the user's own: first in line.
    source: i === 0 ? 'user' : 'default',
    enabled: true,
  }));
  if (liar) await proxies[0]!.setMode({ kind: 'lying', lie: liar });
  return { engine: createEngine({ endpoints, verification: mode }), proxies, samples: { eth_getBalance: [], eth_call: [] }, calls: 0, reads: 0 };
}

const reads = (node: EvmNode) => [
  { method: 'eth_getBalance', params: [node.accounts[0]!.address, 'latest'] },
  { method: 'eth_call', params: [{ to: TOKEN, data: balanceOfData(HOLDER) }, 'latest'] },
];

async function timedRead(s: Side, call: { method: string; params: unknown[] }) {
  const started = performance.now();
  const answer = await s.engine.request(1, call, { relayed: true });
  const ms = performance.now() - started;
  if (!answer.ok) throw new Error(`${call.method} failed: ${answer.error.message}`);
  return { ms, result: answer.result };
}

async function main() {
  const node = await startEvmNode({ chainId: 1 });
  await node.request('evm_setAccountCode', [TOKEN, TOKEN_RUNTIME]);
  await node.request('evm_setAccountStorageAt', [TOKEN, balanceSlot(HOLDER), `0x${HELD.toString(16).padStart(64, '0')}`]);
  await node.mine(1);
  const miner = setInterval(() => void node.mine(1), BLOCK_EVERY_MS);

  // --- cost ------------------------------------------------------------------------------------
  const off = await side(node, 'off', 'off');
  const on = await side(node, 'on', 'relayed');
  for (const s of [off, on]) for (const call of reads(node)) await timedRead(s, call); // warm-up: probes, EVM load
  for (const s of [off, on]) for (const p of s.proxies) p.clearRequests();
  for (let i = 0; i < READS_PER_METHOD; i++) {
    for (const call of reads(node)) {
      // Alternate which side goes first, so neither always meets a freshly mined block first.
      for (const s of i % 2 ? [on, off] : [off, on]) {
        const { ms } = await timedRead(s, call);
        s.samples[call.method]!.push(ms);
        s.reads++;
      }
    }
  }
  for (const s of [off, on]) s.calls = s.proxies.reduce((n, p) => n + p.requests.reduce((m, r) => m + r.rpcMethods.length, 0), 0);

  // --- lying -------------------------------------------------------------------------------------
  const truth = { balance: await node.request<string>('eth_getBalance', [node.accounts[0]!.address, 'latest']), call: `0x${HELD.toString(16).padStart(64, '0')}` };
  const lying = { unverified: { reads: 0, wrong: 0 }, verified: { reads: 0, wrong: 0, failed: 0 } };
  for (const [key, mode] of [['unverified', 'off'], ['verified', 'relayed']] as const) {
    for (const lie of ['balance', 'call-result'] as const) {
      const s = await side(node, `${key}-${lie}`, mode, lie);
      const call = reads(node)[lie === 'balance' ? 0 : 1]!;
      const expected = lie === 'balance' ? truth.balance : truth.call;
      for (let i = 0; i < LYING_READS; i++) {
        const { result } = await timedRead(s, call);
        lying[key].reads++;
        if (String(result).toLowerCase() !== expected.toLowerCase()) lying[key].wrong++;
      }
      if (key === 'verified') lying.verified.failed += s.engine.verificationView().chains.reduce((n, c) => n + c.failed, 0);
      await Promise.all(s.proxies.map((p) => p.close()));
    }
  }
  clearInterval(miner);

  const all = (s: Side) => [...s.samples.eth_getBalance!, ...s.samples.eth_call!];
  const figures = (s: Side) => ({ p50: round(percentile(all(s), 0.5), 2), p99: round(percentile(all(s), 0.99), 2), callsPerRead: round(s.calls / s.reads, 2) });
  const results = { lying, cost: { unverified: figures(off), verified: figures(on) } };
  await writeFile(new URL('./verify-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

  const perMethod = (s: Side, method: string) => ({ p50: percentile(s.samples[method]!, 0.5), p99: percentile(s.samples[method]!, 0.99) });
  const rows = ['eth_getBalance', 'eth_call'].map((method) => {
    const u = perMethod(off, method);
    const v = perMethod(on, method);
    return `| ${method === 'eth_call' ? 'balanceOf (eth_call)' : method} | ${formatMs(u.p50)} | ${formatMs(u.p99)} | ${formatMs(v.p50)} | ${formatMs(v.p99)} | ${formatRatio(v.p50 / u.p50)} |`;
  });
  const ratio = results.cost.verified.p50 / results.cost.unverified.p50;
  const md = `# Verified reads

Generated by \`npm run bench:verify\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)}.
One ganache node behind loopback HTTP endpoints, a block every ${BLOCK_EVERY_MS / 1000} s; ${READS_PER_METHOD} reads per method per side, interleaved.

## Cost of a proven read

| read | unverified p50 | unverified p99 | verified p50 | verified p99 | verified / unverified p50 |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
| both | ${formatMs(results.cost.unverified.p50)} | ${formatMs(results.cost.unverified.p99)} | ${formatMs(results.cost.verified.p50)} | ${formatMs(results.cost.verified.p99)} | ${formatRatio(ratio)} |

JSON-RPC calls reaching the endpoints per read: unverified ${results.cost.unverified.callsPerRead}, verified ${results.cost.verified.callsPerRead}
(a verified balance is one eth_getProof; a verified call is the call, eth_createAccessList where
there is one, and eth_getProof/eth_getCode for what it touches; a new head adds k = 2 header reads).
Target: verified p50 ≤ 3× unverified — ${ratio <= 3 ? 'met' : 'not met'}.

## A lying endpoint first in line

| verification | reads | wrong answers reaching the dApp | answers that failed verification |
| --- | --- | --- | --- |
| off | ${lying.unverified.reads} | ${lying.unverified.wrong} | — |
| on | ${lying.verified.reads} | ${lying.verified.wrong} | ${lying.verified.failed} |

The liar changes balances (its eth_getProof values too, proofs left as they are) and eth_call results.
With verification on its first false answer benches it on the chain; the read and every later one go to an honest endpoint.
`;
  await writeFile(new URL('./VERIFY.md', import.meta.url), md);
  console.log(md);
  await Promise.all([...off.proxies, ...on.proxies].map((p) => p.close()));
  await node.close();
}

await main();
