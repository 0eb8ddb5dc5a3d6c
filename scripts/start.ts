/**
 * The main job: serve a demo dApp against local fault-injecting RPC endpoints (fronting a real
 * local EVM node) and open Chromium with the freshly built Lifeline loaded on it.
 *
 *   npm start                 opens a browser window and keeps everything running until Ctrl-C
 *   npm start -- --headless   runs headless, prints what it did, and exits
 *
 * A control server lets you take endpoints down and bring them back while the browser is open:
 *   curl -X POST <control>/endpoints/primary/mode -d '{"kind":"hang"}'
 */
import { startEvmNode } from '../e2e/fixtures/evm-node';
import { startControlServer, startRpcEndpoint, type RpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { startDappServer } from '../e2e/fixtures/dapp-server';
import { evaluateWithTimeout, launchWithExtensions } from '../e2e/fixtures/browser';

const headless = process.argv.includes('--headless');
const log = (line: string) => console.log(`[lifeline] ${line}`);

const node = await startEvmNode({ chainId: 1 });
await node.mine(5);
log(`local EVM node (chain 1) at ${node.url}, head block ${await node.blockNumber()}`);
const endpoints: RpcEndpoint[] = [];
for (const name of ['primary', 'fallback-a', 'fallback-b']) {
  endpoints.push(await startRpcEndpoint({ upstream: node.url, name }));
}
for (const e of endpoints) log(`endpoint ${e.name.padEnd(10)} ${e.url}`);
const control = await startControlServer(endpoints);
log(`control server ${control.url}/endpoints  (POST /endpoints/<name>/mode {"kind":"hang"|"healthy"|…})`);
const dapp = await startDappServer();
const primary = endpoints[0]!;
const pageUrl = dapp.pageUrl({ rpc: primary.url, poll: 4000 });

const browser = await launchWithExtensions({ headless });
log(`Chromium started with Lifeline ${browser.extensionId}`);
const status = await evaluateWithTimeout(browser.worker!, () => chrome.runtime.getManifest().version, 5_000);
log(`Lifeline service worker answered (v${status})`);
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
await page.goto(pageUrl);
log(`demo dApp open at ${pageUrl}`);

const firstScript = await page.evaluate(() => (window as unknown as { __firstScriptSaw?: { guard: boolean } }).__firstScriptSaw);
log(`Lifeline's page guard ran before the dApp's first script: ${firstScript?.guard === true ? 'yes' : 'NO'}`);
const block = await page.evaluate(async (url) => {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }) });
  return ((await answer.json()) as { result: string }).result;
}, primary.url);
log(`dApp read eth_blockNumber through its own RPC: ${Number.parseInt(block, 16)}`);

const shutdown = async () => {
  await browser.close();
  await Promise.all([...endpoints.map((e) => e.close()), control.close(), dapp.close()]);
  await node.close();
};

if (headless) {
  await shutdown();
  log('headless run complete');
} else {
  log('browser is open; press Ctrl-C to stop');
  process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
  browser.context.once('close', () => void shutdown().then(() => process.exit(0)));
}
