/**
 * The benchmark's server side, in its own process (forked by bench/run.ts) so that ganache's CPU
 * time and the fault endpoints never share an event loop with the clients being measured.
 *
 *   chain A (chainId 1337): the real chain, behind seven fault-injecting endpoints e0…e6 (most
 *                           scenarios give the clients e0…e3; `broad-outage` gives them all seven)
 *   chain B (chainId 1338): a different chain; in `primary-wrong-chain` e0's port is served by an
 *                           endpoint fronting chain B, so its answers are another chain's real data
 *
 * A ticker mines one block every BLOCK_MS on chain A with a transfer to the watched account, so that
 * account's balance differs in every block (a stale balance is detectable), and reports each block
 * (number, balance, when mining started and when it was confirmed) to the parent: that is the truth
 * every client answer is checked against.
 *
 * Protocol (process IPC): parent sends { id, cmd, args }, child answers { id, ok, result | error };
 * the child also sends { event: 'block', block } on its own.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type EvmNode, startEvmNode } from '../e2e/fixtures/evm-node.ts';
import { type FaultMode, type RpcEndpoint, startRpcEndpoint } from '../e2e/fixtures/rpc-endpoint.ts';

export const CHAIN_ID = 1337;
export const WRONG_CHAIN_ID = 1338;
/** One block every 2 s: the block time the engine assumes for a chain it has no figure for. */
export const BLOCK_MS = 2_000;
/** Blocks mined before the benchmark starts, so the head is well above the stale endpoint's 40-block lag. */
export const SETUP_BLOCKS = 60;
export const ENDPOINT_NAMES = ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'] as const;
/**
 * The fallbacks e1…e6 answer this much later than the primary (like public RPCs farther away than a
 * wallet's own), so the primary is also the fastest: clients that rank by latency (viem rank, Lifeline's
 * score) start on it as well, instead of on whichever of four identical local endpoints measured best.
 */
export const FALLBACK_EXTRA_MS = 10;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** A runtime that returns block.number: an eth_call whose answer says which block state it ran on. */
// PUSH9 <runtime> PUSH1 0 MSTORE PUSH1 9 PUSH1 23 RETURN; runtime: NUMBER PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
const NUMBER_CONTRACT_INIT = '0x684360005260206000f3600052600960' + '17f3';

export interface TruthBlock {
  block: number;
  /** Watched account's balance after this block (0x quantity). */
  balance: string;
  /** Wall-clock ms (performance.timeOrigin + now) when mining this block was started… */
  startedAt: number;
  /** …and when it was confirmed as the head. */
  confirmedAt: number;
}

export interface ServerInfo {
  chainId: number;
  wrongChainId: number;
  endpoints: Record<EndpointName, string>;
  nodeUrl: string;
  wrongNodeUrl: string;
  watched: string;
  contract: string;
  truth: TruthBlock[];
}

export type Command =
  | { cmd: 'init' }
  | { cmd: 'reset' }
  | { cmd: 'setMode'; args: { name: EndpointName; mode: FaultMode } }
  | { cmd: 'wrongChain' }
  | { cmd: 'flap'; args: { name: EndpointName; periodMs: number; modes: [FaultMode, FaultMode] } }
  | { cmd: 'ticker'; args: { on: boolean } }
  | { cmd: 'counts' }
  | { cmd: 'cpu' }
  | { cmd: 'close' };

const wallNow = () => performance.timeOrigin + performance.now();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

let nodeA: EvmNode | undefined;
let nodeB: EvmNode | undefined;
const endpoints = new Map<EndpointName, RpcEndpoint>();
let wrongPrimary: RpcEndpoint | undefined;
let flapTimer: NodeJS.Timeout | undefined;
let tickerTimer: NodeJS.Timeout | undefined;
let tickerOn = false;
let mining: Promise<void> | undefined;
let watched = '';
let sender = '';

const send = (message: unknown) => process.send?.(message);

async function mineOne(): Promise<TruthBlock> {
  const node = nodeA!;
  const startedAt = wallNow();
  await node.request('eth_sendTransaction', [{ from: sender, to: watched, value: '0x3b9aca00' }]); // 1 gwei, mined at once
  const block = await node.blockNumber();
  const confirmedAt = wallNow();
  const balance = await node.request<string>('eth_getBalance', [watched, `0x${block.toString(16)}`]);
  return { block, balance, startedAt, confirmedAt };
}

function scheduleTick(): void {
  tickerTimer = setTimeout(() => {
    if (!tickerOn) return;
    mining = mineOne().then(
      (block) => void send({ event: 'block', block }),
      (error: unknown) => void send({ event: 'log', message: `mining failed: ${String(error)}` }),
    );
    void mining.then(() => {
      mining = undefined;
      if (tickerOn) scheduleTick();
    });
  }, BLOCK_MS);
}

function stopFlap(): void {
  if (flapTimer) clearInterval(flapTimer);
  flapTimer = undefined;
}

async function init(): Promise<ServerInfo> {
  nodeA = await startEvmNode({ chainId: CHAIN_ID });
  nodeB = await startEvmNode({ chainId: WRONG_CHAIN_ID });
  sender = nodeA.accounts[0]!.address;
  watched = nodeA.accounts[1]!.address;
  const hash = await nodeA.request<string>('eth_sendTransaction', [{ from: sender, data: NUMBER_CONTRACT_INIT, gas: '0x100000' }]);
  const receipt = await nodeA.request<{ contractAddress: string }>('eth_getTransactionReceipt', [hash]);
  const truth: TruthBlock[] = [];
  while ((await nodeA.blockNumber()) < SETUP_BLOCKS) truth.push(await mineOne());
  await nodeB.mine(10); // chain B stays far below chain A's head
  for (const name of ENDPOINT_NAMES) endpoints.set(name, await startRpcEndpoint({ upstream: nodeA.url, name, mode: normalMode(name) }));
  return {
    chainId: CHAIN_ID,
    wrongChainId: WRONG_CHAIN_ID,
    endpoints: Object.fromEntries(ENDPOINT_NAMES.map((n) => [n, endpoints.get(n)!.url])) as Record<EndpointName, string>,
    nodeUrl: nodeA.url,
    wrongNodeUrl: nodeB.url,
    watched,
    contract: receipt.contractAddress,
    truth,
  };
}

/** A working endpoint: the primary answers at once, the fallbacks FALLBACK_EXTRA_MS later. */
function normalMode(name: EndpointName): FaultMode {
  return name === 'e0' ? { kind: 'healthy' } : { kind: 'slow', ms: FALLBACK_EXTRA_MS };
}

/** Every endpoint working and on chain A; `refuse` first, which drops every connection (hung ones too). */
async function reset(): Promise<void> {
  stopFlap();
  if (wrongPrimary) {
    await wrongPrimary.close();
    wrongPrimary = undefined;
  }
  for (const [name, endpoint] of endpoints) {
    await endpoint.setMode({ kind: 'refuse' });
    await endpoint.setMode(normalMode(name));
    endpoint.clearRequests();
  }
}

/** e0's port now answers from chain B: the same URL, another chain's real data. */
async function wrongChain(): Promise<void> {
  const e0 = endpoints.get('e0')!;
  await e0.setMode({ kind: 'refuse' }); // frees the port
  wrongPrimary = await startRpcEndpoint({ upstream: nodeB!.url, name: 'e0-chain-b', port: e0.port });
}

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'init':
      return init();
    case 'reset':
      return reset();
    case 'setMode':
      return endpoints.get(command.args.name)!.setMode(command.args.mode);
    case 'wrongChain':
      return wrongChain();
    case 'flap': {
      stopFlap();
      const endpoint = endpoints.get(command.args.name)!;
      let index = 0;
      await endpoint.setMode(command.args.modes[0]);
      flapTimer = setInterval(() => {
        index = 1 - index;
        void endpoint.setMode(command.args.modes[index]!);
      }, command.args.periodMs);
      return undefined;
    }
    case 'ticker':
      if (tickerTimer) clearTimeout(tickerTimer);
      tickerOn = command.args.on;
      // Off: wait for a block being mined, so its report reaches the parent before this answer does.
      if (!tickerOn) await mining;
      else if (!mining) scheduleTick();
      return undefined;
    case 'cpu': {
      // Server-process CPU time (ms) since it started, and its event-loop delay since the last call:
      // they show whether the server side itself queued requests.
      const usage = process.cpuUsage();
      const stats = { cpuMs: (usage.user + usage.system) / 1000, at: wallNow(), loopMaxMs: loopDelay.max / 1e6, loopP99Ms: loopDelay.percentile(99) / 1e6 };
      loopDelay.reset();
      return stats;
    }
    case 'counts': {
      // JSON-RPC calls per endpoint per URL path (each client uses its own path), since the last reset.
      const counts: Record<string, Record<string, number>> = {};
      for (const [name, e] of [...endpoints, ...(wrongPrimary ? [['e0', wrongPrimary] as const] : [])]) {
        for (const r of e.requests) {
          if (r.httpMethod !== 'POST') continue;
          const byPath = (counts[name] ??= {});
          byPath[r.path] = (byPath[r.path] ?? 0) + Math.max(1, r.rpcMethods.length);
        }
      }
      return counts;
    }
    case 'close':
      stopFlap();
      tickerOn = false;
      if (tickerTimer) clearTimeout(tickerTimer);
      await wrongPrimary?.close();
      for (const endpoint of endpoints.values()) await endpoint.close();
      await nodeA?.close();
      await nodeB?.close();
      return undefined;
  }
}

process.on('message', (message: { id: number } & Command) => {
  handle(message).then(
    (result) => send({ id: message.id, ok: true, result }),
    (error: unknown) => send({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
