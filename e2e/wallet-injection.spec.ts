/**
 * Every way a wallet reaches the page is guarded, whichever extension's document_start script runs
 * first: plain assignment, configurable defineProperty, Rabby's Proxy behind a locked getter
 * (as described, and as its router really ships), late injection, and EIP-6963 only.
 */
import { test, expect } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow } from './fixtures/dapp-server';
import { launchWithMockWallet, type Injection, type MockWalletOptions } from './fixtures/mock-wallet/index';
import { configureLifeline } from './fixtures/lifeline';

const CHAIN = 1337;
let node: EvmNode;
let dapp: DappServer;
let walletRpc: RpcEndpoint;
let fallback: RpcEndpoint;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  await node.mine(7);
  // The wallet's RPC is down for the whole file: every read the dApp gets must come via Lifeline.
  walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc', mode: { kind: 'http-error', status: 503 } });
  fallback = await startRpcEndpoint({ upstream: node.url, name: 'fallback' });
  dapp = await startDappServer();
});
test.afterAll(async () => {
  await Promise.all([walletRpc?.close(), fallback?.close(), dapp?.close()]);
  await node?.close();
});

interface Case {
  injection: Injection;
  order: MockWalletOptions['order'];
  injectDelayMs?: number;
}
const cases: Case[] = [];
for (const injection of ['assign', 'define-configurable', 'rabby', 'rabby-router', 'eip6963-only'] as const) {
  for (const order of ['before-lifeline', 'after-lifeline'] as const) cases.push({ injection, order });
}
cases.push({ injection: 'assign', order: 'after-lifeline', injectDelayMs: 200 });

for (const c of cases) {
  const label = `${c.injection}, wallet ${c.order === 'before-lifeline' ? 'first' : 'last'}${c.injectDelayMs ? `, injected ${c.injectDelayMs} ms after load` : ''}`;
  test(`guarded: ${label}`, async () => {
    const t = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url }, injection: c.injection, order: c.order, ...(c.injectDelayMs ? { injectDelayMs: c.injectDelayMs } : {}) });
    try {
      await configureLifeline(t.browser.worker!, [{ chainId: CHAIN, url: fallback.url, label: 'Fallback' }]);
      const page = await t.browser.context.newPage();
      await page.goto(dapp.pageUrl());
      const head = `0x${(await node.blockNumber()).toString(16)}`;
      const seen = await page.evaluate(
        async ({ rdns, injected }) => {
          const { dapp } = window as unknown as DappWindow;
          if (injected) await new Promise<void>((resolve) => { const check = () => ((window as unknown as { ethereum?: unknown }).ethereum ? resolve() : setTimeout(check, 20)); check(); });
          const eth = (window as unknown as { ethereum?: Record<string, unknown>; rabby?: unknown }).ethereum;
          return {
            viaEip6963: await dapp.settle('viaEip6963', ['eth_blockNumber', [], rdns, 5_000]),
            viaInjected: injected ? await dapp.settle('viaInjected', ['eth_blockNumber', []]) : null,
            flags: eth ? { isRabby: eth.isRabby === true, isMetaMask: eth.isMetaMask === true } : null,
            rabbySame: eth ? (window as unknown as { rabby?: unknown }).rabby === eth : null,
            announcedInfo: dapp.providers().find((p) => p.rdns === rdns) ?? null,
          };
        },
        { rdns: t.wallet.rdns, injected: c.injection !== 'eip6963-only' },
      );
      expect(seen.viaEip6963).toEqual({ ok: true, value: head });
      if (c.injection !== 'eip6963-only') {
        expect(seen.viaInjected).toEqual({ ok: true, value: head });
        const rabbyStyle = c.injection.startsWith('rabby');
        expect(seen.flags).toEqual({ isRabby: rabbyStyle, isMetaMask: true });
        if (rabbyStyle) expect(seen.rabbySame).toBe(true);
      }
      // The wallet's own EIP-6963 info reaches the dApp unchanged.
      expect(seen.announcedInfo).toMatchObject({ name: t.wallet.name, rdns: t.wallet.rdns, uuid: t.wallet.uuid });
    } finally {
      await t.close();
    }
  });
}
