/**
 * Wallet-guard benchmark in real Chromium (issue: keep wallet reads alive).
 *   - added latency of the guard on a healthy wallet: p50/p99 over READS reads through
 *     window.ethereum, guarded (Lifeline loaded) vs unguarded (wallet only), same run, same wallet;
 *   - read latency while the wallet's RPC hangs (guarded; unguarded waits for the wallet's 10 s timeout);
 *   - size of the MAIN-world script, gzip.
 * Run: npm run bench:guard (builds first). Writes bench/guard-results.json and prints a table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startEvmNode } from '../e2e/fixtures/evm-node';
import { startRpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { startDappServer } from '../e2e/fixtures/dapp-server';
import { launchWithMockWallet } from '../e2e/fixtures/mock-wallet/index';
import { configureLifeline } from '../e2e/fixtures/lifeline';
import { LIFELINE_DIST } from '../e2e/fixtures/browser';

const READS = Number(process.env.GUARD_BENCH_READS ?? 1000);
const WARMUP = 50;
const HANG_READS = 30;
const CHAIN = 1337;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: +percentile(sorted, 0.5).toFixed(3), p99: +percentile(sorted, 0.99).toFixed(3) };
};

const node = await startEvmNode({ chainId: CHAIN });
await node.mine(3);
const walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc' });
const fallback = await startRpcEndpoint({ upstream: node.url, name: 'fallback' });
const dapp = await startDappServer();

interface Timings {
  wallet: number[];
  /** An in-page provider that answers at once: isolates the guard's own cost from the wallet's
   *  extension round trip, whose jitter (±several ms) would otherwise hide it. */
  instant: number[];
}

/** Sequential reads timed inside the page, so only the provider path is measured. */
async function timeReads(withLifeline: boolean, count: number, mode: 'healthy' | 'hang'): Promise<Timings> {
  await walletRpc.setMode({ kind: 'healthy' });
  const t = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url }, order: 'after-lifeline' }, { withLifeline });
  try {
    if (withLifeline) await configureLifeline(t.browser.worker!, [{ chainId: CHAIN, url: fallback.url, label: 'Fallback' }]);
    const page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    const run = (n: number) =>
      page.evaluate(async (n) => {
        const eth = (window as unknown as { ethereum: { request(a: unknown): Promise<unknown> } }).ethereum;
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const start = performance.now();
          await eth.request({ method: 'eth_blockNumber', params: [] });
          out.push(performance.now() - start);
        }
        return out;
      }, n);
    const runInstant = (n: number) =>
      page.evaluate(async (n) => {
        // Built by assignment: a named method would make tsx inject a __name helper the page lacks.
        const provider: { request?: (args: unknown) => Promise<string> } = {};
        provider['request'] = () => Promise.resolve('0x1');
        window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info: { uuid: 'bench', name: 'Instant', icon: '', rdns: 'bench.instant' }, provider }) }));
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const start = performance.now();
          await provider.request!({ method: 'eth_blockNumber', params: [] });
          out.push(performance.now() - start);
        }
        return out;
      }, n);
    await run(WARMUP);
    if (mode === 'hang') {
      await walletRpc.setMode({ kind: 'hang' });
      return { wallet: await run(count), instant: [] };
    }
    const wallet = await run(count);
    await runInstant(WARMUP);
    return { wallet, instant: await runInstant(count) };
  } finally {
    await t.close();
    await walletRpc.setMode({ kind: 'healthy' });
  }
}

// Alternate the two setups so machine load drifts affect both alike.
const unguarded: Timings = { wallet: [], instant: [] };
const guarded: Timings = { wallet: [], instant: [] };
for (let round = 0; round < 2; round++) {
  for (const [target, withLifeline] of [[unguarded, false], [guarded, true]] as const) {
    const t = await timeReads(withLifeline, READS / 2, 'healthy');
    target.wallet.push(...t.wallet);
    target.instant.push(...t.instant);
  }
}
const hang = (await timeReads(true, HANG_READS, 'hang')).wallet;

const guardFile = JSON.parse(await readFile(join(LIFELINE_DIST, 'manifest.json'), 'utf8')).content_scripts.find((s: { world?: string }) => s.world === 'MAIN').js[0] as string;
const guardCode = await readFile(join(LIFELINE_DIST, guardFile));

const results = {
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
  date: new Date().toISOString(),
  healthyWallet: { unguarded: stats(unguarded.wallet), guarded: stats(guarded.wallet) },
  instantProvider: { unguarded: stats(unguarded.instant), guarded: stats(guarded.instant) },
  addedMs: {
    wallet: { p50: +(stats(guarded.wallet).p50 - stats(unguarded.wallet).p50).toFixed(3), p99: +(stats(guarded.wallet).p99 - stats(unguarded.wallet).p99).toFixed(3) },
    instant: { p50: +(stats(guarded.instant).p50 - stats(unguarded.instant).p50).toFixed(3), p99: +(stats(guarded.instant).p99 - stats(unguarded.instant).p99).toFixed(3) },
  },
  walletRpcHang: { guarded: stats(hang), unguarded: 'each read waits for the wallet\'s own 10 000 ms timeout, then fails' },
  guardScript: { file: guardFile, bytes: guardCode.length, gzipBytes: gzipSync(guardCode).length },
};
await writeFile(new URL('./guard-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

for (const [label, key, added] of [['mock wallet (extension round trip)', 'healthyWallet', results.addedMs.wallet], ['instant in-page provider', 'instantProvider', results.addedMs.instant]] as const) {
  const r = results[key];
  console.log(`${label}: eth_blockNumber x ${READS} each, guarded vs unguarded, same run`);
  console.log(`  unguarded  p50 ${r.unguarded.p50} ms  p99 ${r.unguarded.p99} ms`);
  console.log(`  guarded    p50 ${r.guarded.p50} ms  p99 ${r.guarded.p99} ms`);
  console.log(`  added      p50 ${added.p50} ms  p99 ${added.p99} ms  (target p50 <= 1 ms)`);
}
console.log(`wallet RPC hanging, ${HANG_READS} reads guarded: p50 ${results.walletRpcHang.guarded.p50} ms  p99 ${results.walletRpcHang.guarded.p99} ms`);
console.log(`MAIN-world script ${guardFile}: ${results.guardScript.bytes} B, ${results.guardScript.gzipBytes} B gzip (target <= 6144)`);

await Promise.all([walletRpc.close(), fallback.close(), dapp.close()]);
await node.close();
