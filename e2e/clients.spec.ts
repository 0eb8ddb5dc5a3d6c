/**
 * Real client code under Lifeline: dApp pages built on viem, wagmi, ethers v6 and web3.js v4, over
 * the mock wallet and over a wallet running MetaMask's own provider package, with each wallet's
 * scripts running before and after Lifeline's. Healthy, the pages read the node's values; while
 * the wallet's RPC hangs and then answers 503, every read still returns them, receipts arrive,
 * the library decodes the same revert reason, and each account or signing call reaches the wallet
 * exactly once.
 *
 * The matrix is the full cross product, 4 libraries × 2 wallets × 2 orders, plus viem's fallback()
 * transport once: each cell launches its own browser and takes 2–6 s here, so all 17 cost about
 * 35 s on two workers, little more than a representative cut would.
 */
import { test, expect, type Page } from '@playwright/test';
import { launchWithMockWallet, walletLog, DEFAULT_ACCOUNT, METAMASK_RDNS, type LaunchedWithWallet, type WalletProvider } from './fixtures/mock-wallet/index';
import { configureLifeline } from './fixtures/lifeline';
import { callPage, clientPageUrl, openClientPage, startClientWorld, CLIENT_CHAIN, type ClientLibrary, type ClientTransport, type ClientWorld, type Outcome } from './fixtures/client-pages';
import { TEST_CONTRACT_REVERT_REASON, TEST_CONTRACT_VALUE } from './fixtures/test-contract';
import type { FaultMode } from './fixtures/rpc-endpoint';

let world: ClientWorld;

test.beforeAll(async () => {
  world = await startClientWorld();
});
test.afterAll(async () => {
  await world?.close();
});

type Order = 'before-lifeline' | 'after-lifeline';
interface Cell {
  library: ClientLibrary;
  wallet: WalletProvider;
  order: Order;
  transport?: ClientTransport;
}

const CELLS: Cell[] = [
  ...(['viem', 'wagmi', 'ethers', 'web3'] as const).flatMap((library) =>
    (['mock', 'metamask'] as const).flatMap((wallet) => (['before-lifeline', 'after-lifeline'] as const).map((order) => ({ library, wallet, order }))),
  ),
  { library: 'viem', wallet: 'metamask', order: 'after-lifeline', transport: 'fallback' },
];

const OUTAGES: Array<[string, FaultMode]> = [
  ['hangs', { kind: 'hang' }],
  ['answers 503', { kind: 'http-error', status: 503 }],
];

const ok = <T>(outcome: Outcome<T>, what: string): T => {
  expect(outcome, `${what}: ${JSON.stringify(outcome)}`).toMatchObject({ ok: true });
  return (outcome as { ok: true; value: T }).value;
};

async function launch(cell: Cell): Promise<LaunchedWithWallet> {
  const launched = await launchWithMockWallet({
    provider: cell.wallet,
    order: cell.order,
    chainId: CLIENT_CHAIN,
    rpcUrls: { [CLIENT_CHAIN]: world.walletRpc.url },
    signerUrl: world.node.url,
  });
  await configureLifeline(
    launched.browser.worker!,
    world.fallbacks.map((f, i) => ({ chainId: CLIENT_CHAIN, url: f.url, label: `Fallback ${i + 1}` })),
  );
  return launched;
}

/** Block number, balance and the contract's value as the page's library reads them, against the node's. */
async function expectNodeValues(page: Page, phase: string): Promise<void> {
  const head = await world.node.mine(1);
  expect(ok(await callPage(page, 'blockNumber'), `${phase}: block number`)).toBe(String(head));
  const balance = await world.node.request<string>('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
  expect(ok(await callPage(page, 'balance', DEFAULT_ACCOUNT), `${phase}: balance`)).toBe(BigInt(balance).toString());
  expect(ok(await callPage(page, 'contractValue'), `${phase}: eth_call`)).toBe(String(TEST_CONTRACT_VALUE));
}

async function expectReceipt(page: Page, phase: string): Promise<string> {
  const receipt = ok(await callPage(page, 'sendAndWait', DEFAULT_ACCOUNT, world.node.accounts[1]!.address, '1000'), `${phase}: send and wait`);
  expect(receipt.status).toBe('success');
  const onNode = await world.node.request<{ blockNumber: string } | null>('eth_getTransactionReceipt', [receipt.hash]);
  expect(onNode, `${phase}: the node has the receipt`).not.toBeNull();
  expect(receipt.blockNumber).toBe(BigInt(onNode!.blockNumber).toString());
  return receipt.hash;
}

for (const cell of CELLS) {
  const name = `${cell.library}${cell.transport ? ` (${cell.transport})` : ''} × ${cell.wallet === 'metamask' ? 'MetaMask provider' : 'mock wallet'} × wallet ${cell.order === 'before-lifeline' ? 'first' : 'last'}`;
  test(`${name}: healthy values, then the wallet RPC hangs and answers 503 — same values, receipts, revert reason; wallet calls once`, async () => {
    test.setTimeout(90_000);
    const t = await launch(cell);
    try {
      const page = await t.browser.context.newPage();
      const rdns = cell.wallet === 'metamask' ? METAMASK_RDNS : t.wallet.rdns;
      const dappRpcBefore = world.dappRpc.requestCount();
      await openClientPage(page, clientPageUrl(world, cell.library, { transport: cell.transport ?? 'wallet', rpc: world.dappRpc.url, rdns }));

      // Healthy: the wallet answers. (A cold first read may be hedged, so relays aren't counted
      // here; Lifeline's own probes reach the fallbacks too, but never with balances or calls.)
      const pageReadsRelayed = () => world.relayed('eth_getBalance') + world.relayed('eth_call');
      const relayedBefore = pageReadsRelayed();
      await expectNodeValues(page, 'healthy');
      const healthyReason = ok(await callPage(page, 'revertReason'), 'healthy: revert reason');
      expect(healthyReason).toBe(TEST_CONTRACT_REVERT_REASON);
      expect(ok(await callPage(page, 'requestAccounts'), 'eth_requestAccounts').map((a) => a.toLowerCase())).toEqual([DEFAULT_ACCOUNT.toLowerCase()]);
      const hashes = [await expectReceipt(page, 'healthy')];

      for (const [label, mode] of OUTAGES) {
        await world.walletRpc.setMode(mode);
        const walletReadsBefore = world.walletRpc.requestCount();
        await expectNodeValues(page, `wallet RPC ${label}`);
        expect(ok(await callPage(page, 'revertReason'), `wallet RPC ${label}: revert reason`)).toBe(healthyReason);
        hashes.push(await expectReceipt(page, `wallet RPC ${label}`));
        // The outage was real (the wallet kept trying its RPC) and Lifeline answered instead.
        expect(world.walletRpc.requestCount()).toBeGreaterThan(walletReadsBefore);
        expect(pageReadsRelayed()).toBeGreaterThan(relayedBefore);
        // A server that stops hanging resets the connections it held (else the wallet's next
        // reads would queue behind them in the browser's per-host connection limit).
        world.walletRpc.dropHung();
      }
      const signature = ok(await callPage(page, 'personalSign', 'hello from the test', DEFAULT_ACCOUNT), 'personal_sign');
      expect(signature).toMatch(/^0x[0-9a-f]{130}$/);

      const log = await walletLog(t.walletWorker);
      const count = (method: string) => log.filter((e) => e.method === method).length;
      expect(count('eth_requestAccounts'), 'eth_requestAccounts reached the wallet once').toBe(1);
      expect(count('personal_sign'), 'personal_sign reached the wallet once').toBe(1);
      expect(count('eth_sendTransaction'), 'one eth_sendTransaction per transaction').toBe(hashes.length);
      expect(new Set(hashes).size).toBe(hashes.length);
      // Signing and sending never go out over a fallback.
      for (const f of world.fallbacks) {
        for (const method of ['eth_sendTransaction', 'personal_sign', 'eth_requestAccounts']) expect(f.requestCount(method)).toBe(0);
      }
      // viem's fallback() never had to move to the dApp's own RPC: the wallet's transport kept answering.
      expect(world.dappRpc.requestCount()).toBe(dappRpcBefore);
    } finally {
      await world.walletRpc.setMode({ kind: 'healthy' });
      world.walletRpc.dropHung();
      await t.close();
    }
  });
}
