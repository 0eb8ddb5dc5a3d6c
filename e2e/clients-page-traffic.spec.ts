/**
 * dApps that read over their own RPC URL with the library's own HTTP client, viem's http() and
 * ethers' JsonRpcProvider (with the timeouts and retries such dApps set): while that URL hangs,
 * and then answers 503, reads keep returning the node's values through Lifeline's redirect, and
 * nothing reaches the wallet installed beside it.
 */
import { test, expect } from '@playwright/test';
import { launchWithMockWallet, walletLog, walletRpcLog, DEFAULT_ACCOUNT } from './fixtures/mock-wallet/index';
import { configureLifeline } from './fixtures/lifeline';
import { pageTrafficState } from './fixtures/dapp-page-traffic';
import { callPage, clientPageUrl, openClientPage, startClientWorld, CLIENT_CHAIN, type ClientLibrary, type ClientWorld } from './fixtures/client-pages';
import { startRpcEndpoint, type FaultMode } from './fixtures/rpc-endpoint';
import { TEST_CONTRACT_REVERT_REASON, TEST_CONTRACT_VALUE } from './fixtures/test-contract';

let world: ClientWorld;
test.beforeAll(async () => {
  world = await startClientWorld();
});
test.afterAll(async () => {
  await world?.close();
});

const OUTAGES: Array<[string, FaultMode]> = [
  ['hangs', { kind: 'hang' }],
  ['answers 503', { kind: 'http-error', status: 503 }],
];

for (const library of ['viem', 'ethers'] as const satisfies readonly ClientLibrary[]) {
  test(`${library} over its own RPC URL: reads survive a hang and a 503 of that URL; nothing reaches the wallet`, async () => {
    test.setTimeout(90_000);
    const ownRpc = await startRpcEndpoint({ upstream: world.fallbacks[0]!.upstream, name: `${library}-own-rpc` });
    const t = await launchWithMockWallet({ chainId: CLIENT_CHAIN, rpcUrls: { [CLIENT_CHAIN]: world.walletRpc.url } });
    try {
      const worker = t.browser.worker!;
      await configureLifeline(worker, world.fallbacks.map((f) => ({ chainId: CLIENT_CHAIN, url: f.url })));
      const page = await t.browser.context.newPage();
      await openClientPage(page, clientPageUrl(world, library, { transport: 'http', rpc: ownRpc.url }));

      const expectNodeValues = async (phase: string) => {
        const head = await world.node.mine(1);
        expect(await callPage(page, 'blockNumber'), phase).toEqual({ ok: true, value: String(head) });
        const balance = BigInt(await world.node.request<string>('eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])).toString();
        expect(await callPage(page, 'balance', DEFAULT_ACCOUNT), phase).toEqual({ ok: true, value: balance });
        expect(await callPage(page, 'contractValue'), phase).toEqual({ ok: true, value: String(TEST_CONTRACT_VALUE) });
        expect(await callPage(page, 'revertReason'), phase).toEqual({ ok: true, value: TEST_CONTRACT_REVERT_REASON });
      };

      // Healthy: the page reads its own RPC; Lifeline learns that host's chain.
      await expectNodeValues('healthy');
      expect(ownRpc.requestCount()).toBeGreaterThan(0);
      await expect.poll(async () => (await pageTrafficState(worker))?.tracker.endpoints.find((e) => e.url.startsWith(ownRpc.url))?.chainId, { timeout: 15_000 }).toBe(CLIENT_CHAIN);

      for (const [label, mode] of OUTAGES) {
        await ownRpc.setMode(mode);
        const relayedBefore = world.relayed('eth_getBalance');
        await expectNodeValues(`own RPC ${label}`);
        expect(world.relayed('eth_getBalance'), `own RPC ${label}: balance read served by a fallback`).toBeGreaterThan(relayedBefore);
        ownRpc.dropHung();
      }
      // The page's own traffic never touched the wallet: no call reached it, it fetched nothing.
      expect(await walletLog(t.walletWorker)).toEqual([]);
      expect(await walletRpcLog(t.walletWorker)).toEqual([]);
    } finally {
      await t.close();
      await ownRpc.close();
    }
  });
}
