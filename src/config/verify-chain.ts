/**
 * Before the shell uses or saves a new endpoint it asks the endpoint which chain it serves: a
 * user pasting a BSC URL under Ethereum would otherwise get wrong balances, not errors.
 * Pure: the network call is injected, so this runs the same in the worker and in tests.
 */
import { CONFIG_POLICY } from '../policy/config.ts';
import { maskUrlSecrets } from '../registry/primaries.ts';
import { chainLabel } from './messages.ts';

/**
 * Performs one JSON-RPC call and resolves with its `result`; rejects on transport failures and on
 * JSON-RPC errors. Should honour `signal` so a timed-out call stops.
 */
export type RpcCall = (url: string, method: string, params: readonly unknown[], signal: AbortSignal) => Promise<unknown>;

export type ChainVerification =
  | { status: 'ok'; chainId: number }
  | { status: 'wrong-chain'; expected: number; actual: number; message: string }
  | { status: 'unreachable'; reason: string; message: string };

export interface VerifyOptions {
  /** Default CONFIG_POLICY.verifyChainTimeoutMs. */
  timeoutMs?: number;
}

/** eth_chainId answers a hex QUANTITY; anything else means we are not talking to a JSON-RPC node. */
export function parseChainIdResult(result: unknown): number | null {
  if (typeof result === 'string' && /^0x[0-9a-fA-F]{1,15}$/.test(result)) {
    const n = Number.parseInt(result, 16);
    return n > 0 && Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

function describe(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export async function verifyEndpointChain(
  endpoint: { chainId: number; url: string },
  rpcCall: RpcCall,
  options: VerifyOptions = {},
): Promise<ChainVerification> {
  const timeoutMs = options.timeoutMs ?? CONFIG_POLICY.verifyChainTimeoutMs;
  const shownUrl = maskUrlSecrets(endpoint.url);
  // Error texts from fetch often quote the URL; never let them carry the user's key into the UI.
  const scrub = (text: string) => (endpoint.url ? text.split(endpoint.url).join(shownUrl) : text);
  const unreachable = (reason: string): ChainVerification => ({
    status: 'unreachable',
    reason: scrub(reason),
    message: `${shownUrl} is unreachable: ${scrub(reason)}`,
  });

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, timeoutMs);
  });

  // Settle the call into a value so a rejection arriving after the timeout is never unhandled.
  const call = Promise.resolve()
    .then(() => rpcCall(endpoint.url, 'eth_chainId', [], controller.signal))
    .then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const outcome = await Promise.race([call, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') return unreachable(`no answer to eth_chainId within ${timeoutMs} ms`);
  if (!outcome.ok) {
    const err = outcome.error;
    return unreachable(err instanceof Error ? err.message || err.name : describe(err));
  }
  const result = outcome.value;

  const actual = parseChainIdResult(result);
  if (actual === null) return unreachable(`eth_chainId returned ${describe(result)}, not a chain id`);
  if (actual !== endpoint.chainId) {
    return {
      status: 'wrong-chain',
      expected: endpoint.chainId,
      actual,
      message: `${shownUrl} serves chain ${chainLabel(actual)}, expected chain ${chainLabel(endpoint.chainId)}`,
    };
  }
  return { status: 'ok', chainId: actual };
}
