/**
 * The main job: build Lifeline (npm start runs the build first) and open Chromium with it and a
 * mock wallet loaded, on the demo dApp, against local fault-injecting RPC endpoints in front of a
 * real local EVM node (chain 1337, so no public endpoint is involved). A control page in a second
 * tab takes endpoints down and brings them back.
 *
 *   npm start                 opens a browser window and keeps everything running until Ctrl-C
 *   npm start -- --headless   runs a short scripted outage headless, prints what it did, exits
 *                             (0 when every check passed)
 *
 * Endpoints:  primary     the wallet's RPC and the dApp's own RPC URL (think: a provider on AWS)
 *             fallback-a  configured in Lifeline (gcp)
 *             fallback-b  configured in Lifeline (decentralised)
 * The control server's API also works from a shell:
 *   curl -X POST <control>/endpoints/primary/mode -d '{"kind":"hang"}'
 */
import { startEvmNode } from '../e2e/fixtures/evm-node';
import { startControlServer, startRpcEndpoint, type RpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { startDappServer } from '../e2e/fixtures/dapp-server';
import { evaluateWithTimeout } from '../e2e/fixtures/browser';
import { launchWithMockWallet } from '../e2e/fixtures/mock-wallet/index';
import { configureLifeline, type TestEndpoint } from '../e2e/fixtures/lifeline';
import { HEALTHY_SERVICE_REPLIES, startServicesStandIn } from '../e2e/fixtures/services-standin';
import { validateUserConfig } from '../src/config/validate';
import { startControlPage } from './control-page/server';
import { httpRead, walletRead } from './control-page/demo';

const CHAIN = 1337;
const headless = process.argv.includes('--headless');
const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s`;
const log = (line: string) => console.log(`[lifeline ${stamp()}] ${line}`);

if (headless) {
  // The scripted check is short; never leave a CI job hanging if something wedges.
  setTimeout(() => {
    console.error('[lifeline] headless run did not finish within 90 s');
    process.exit(2);
  }, 90_000).unref();
}

const node = await startEvmNode({ chainId: CHAIN });
await node.mine(5);
log(`local EVM node (chain ${CHAIN}) at ${node.url}, head block ${await node.blockNumber()}`);
const roles: Record<string, string> = {
  primary: "wallet's RPC and the dApp's own RPC URL",
  'fallback-a': 'Lifeline fallback (tagged gcp)',
  'fallback-b': 'Lifeline fallback (tagged decentralised)',
};
const endpoints: RpcEndpoint[] = [];
for (const name of Object.keys(roles)) endpoints.push(await startRpcEndpoint({ upstream: node.url, name }));
const [primary, fallbackA, fallbackB] = endpoints as [RpcEndpoint, RpcEndpoint, RpcEndpoint];
for (const e of endpoints) log(`endpoint ${e.name.padEnd(10)} ${e.url}  ${roles[e.name]}`);
const control = await startControlServer(endpoints);
const dapp = await startDappServer();
// The services panel's APIs, standing in locally (the browser reaches loopback only).
const services = await startServicesStandIn(HEALTHY_SERVICE_REPLIES);
const walletPageUrl = dapp.pageUrl({ poll: 3000 });
const rpcPageUrl = dapp.pageUrl({ rpc: primary.url, poll: 3000 });
const controlPage = await startControlPage({
  controlUrl: control.url,
  roles,
  links: { 'dApp reading through the wallet': walletPageUrl, "dApp reading through its own RPC URL": rpcPageUrl },
});
log(`control server ${control.url}/endpoints; control page ${controlPage.url.split('?')[0]}`);

const launched = await launchWithMockWallet(
  { chainId: CHAIN, rpcUrls: { [CHAIN]: primary.url }, info: { name: 'Demo Wallet (mock)' } },
  { headless },
);
const browser = launched.browser;
const worker = browser.worker!;
log(`Chromium started with Lifeline ${browser.extensionId} and the mock wallet "${launched.wallet.name}" (its RPC: primary)`);

const lifelineEndpoints: TestEndpoint[] = [
  { chainId: CHAIN, url: fallbackA.url, label: 'Fallback A', infrastructure: 'gcp' },
  { chainId: CHAIN, url: fallbackB.url, label: 'Fallback B', infrastructure: 'decentralised' },
];
const checked = validateUserConfig({ version: 1, endpoints: lifelineEndpoints });
if (!checked.ok) throw new Error(`demo configuration is invalid: ${JSON.stringify(checked.errors)}`);
await configureLifeline(worker, lifelineEndpoints);
await services.pointLifelineAt(worker);
const version = await evaluateWithTimeout(worker, () => chrome.runtime.getManifest().version, 5_000);
log(`Lifeline v${version} configured with fallback-a and fallback-b for chain ${CHAIN}; services panel checks the stand-ins at ${services.url}`);

const context = browser.context;
const walletPage = context.pages()[0] ?? (await context.newPage());
await walletPage.goto(walletPageUrl);
const rpcPage = await context.newPage();
await rpcPage.goto(rpcPageUrl);
const controlTab = await context.newPage();
await controlTab.goto(controlPage.url);
log(`tabs: dApp via wallet ${walletPageUrl}`);
log(`      dApp via own RPC ${rpcPageUrl}`);
log(`      control page     ${controlPage.url.split('?')[0]}`);
log(`Lifeline popup: chrome-extension://${browser.extensionId}/extension/popup/index.html  options: chrome-extension://${browser.extensionId}/extension/options/index.html`);

let shuttingDown: Promise<void> | null = null;
const shutdown = () =>
  (shuttingDown ??= (async () => {
    await launched.close().catch(() => undefined);
    await Promise.all([...endpoints.map((e) => e.close()), control.close(), dapp.close(), services.close(), controlPage.close()]);
    await node.close();
  })());

/** Clicks a mode button on the control page and waits until the page shows it in force. */
async function clickMode(name: string, mode: string): Promise<void> {
  const button = controlTab.getByRole('button', { name: `${name}: ${mode}`, exact: true });
  await button.click();
  await button.and(controlTab.locator('[aria-pressed=true]')).waitFor({ timeout: 10_000 });
}

async function scriptedCheck(): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  const firstScript = await walletPage.evaluate(() => (window as unknown as { __firstScriptSaw?: { guard: boolean } }).__firstScriptSaw);
  check(firstScript?.guard === true, "Lifeline's page guard ran before the dApp's first script");
  const truth = await node.blockNumber();
  const served = () => fallbackA.requestCount() + fallbackB.requestCount();

  const before = { primary: primary.requestCount(), fallbacks: served() };
  const healthy = await walletRead(walletPage, 'eth_blockNumber');
  check(healthy.ok && Number(healthy.result) === truth && primary.requestCount() > before.primary,
    `healthy: wallet read eth_blockNumber = ${Number(healthy.result)} in ${healthy.ms} ms, from the wallet's own RPC (primary)`);
  const own = await httpRead(rpcPage, primary.url, 'eth_blockNumber');
  check(own.ok && !own.redirected, `healthy: dApp read through its own RPC URL = ${Number(own.result)} in ${own.ms} ms, not redirected`);

  await clickMode('primary', 'hang');
  log('control page: primary set to hang (the wallet RPC and the dApp RPC stop answering)');
  const head = await node.mine(1);
  const fallbacksBefore = served();
  const wallet = await walletRead(walletPage, 'eth_blockNumber');
  check(wallet.ok && Number(wallet.result) === head && served() > fallbacksBefore,
    `outage: wallet read eth_blockNumber = ${Number(wallet.result)} in ${wallet.ms} ms, served by Lifeline from a fallback (${wallet.error ?? 'no error'})`);
  const balance = await walletRead(walletPage, 'eth_getBalance', [node.accounts[0]!.address, 'latest']);
  check(balance.ok && balance.result === (await node.request('eth_getBalance', [node.accounts[0]!.address, 'latest'])),
    `outage: wallet read eth_getBalance in ${balance.ms} ms, the chain's true value`);
  const redirected = await httpRead(rpcPage, primary.url, 'eth_blockNumber');
  check(redirected.ok && Number(redirected.result) === head && redirected.redirected === true,
    `outage: dApp read through its own RPC URL = ${Number(redirected.result)} in ${redirected.ms} ms (${redirected.attempts} attempt(s)), redirected by Lifeline to ${redirected.servedUrl ?? '–'}`);

  await clickMode('primary', 'healthy');
  log('control page: primary set back to healthy');
  const primaryBefore = primary.requestCount();
  const back = await walletRead(walletPage, 'eth_blockNumber');
  check(back.ok && primary.requestCount() > primaryBefore, `recovered: wallet read in ${back.ms} ms, from primary again`);
  check(await walletPage.getByTestId('status').textContent().then((s) => /^ok|loading/.test(s ?? '')), 'the dApp tab shows a good status');
  return failures;
}

if (headless) {
  let failures: string[];
  try {
    failures = await scriptedCheck();
  } catch (error) {
    failures = [String(error)];
    console.error(error);
  }
  await shutdown();
  log(failures.length === 0 ? 'headless run complete: all checks passed' : `headless run FAILED: ${failures.length} check(s): ${failures.join('; ')}`);
  process.exit(failures.length === 0 ? 0 : 1);
} else {
  log('browser is open: use the control page tab to take endpoints down; press Ctrl-C to stop');
  process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
  context.once('close', () => void shutdown().then(() => process.exit(0)));
}

