/**
 * Validation of relay requests coming from a web page (through the MAIN-world guard and the
 * isolated bridge). Used twice, by the bridge and again by the worker: the bridge runs in the
 * page's renderer, so the worker never trusts it blindly.
 */
import { RELAY_LIMITS } from '../policy/index';
import { BROADCAST_METHOD } from '../rpc/methods';
import { sanitizeWalletIdentity, type WalletIdentity } from './health';

export interface RelayRequest {
  chainId: number;
  method: string;
  params: unknown[];
  /** The wallet whose read this is, as the page named it: only ever used to weigh evidence
   *  about that wallet (src/wallet/evidence.ts), never to route. */
  wallet?: WalletIdentity;
}

/** EIP-1474 error codes used when refusing a relay. */
export const RELAY_ERROR = {
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  limitExceeded: -32005,
} as const;

export interface RelayRefusal {
  code: number;
  message: string;
}

export type RelayValidation = { ok: true; request: RelayRequest } | { ok: false; error: RelayRefusal };

/** Lifeline's own refusal of a relay, worded once for the bridge, the worker and validation. */
export const relayRefusal = (code: number, message: string): RelayRefusal => ({ code, message: `Lifeline: ${message}` });

const refuse = (code: number, message: string): RelayValidation => ({ ok: false, error: relayRefusal(code, message) });

/** Checks shape, chain, method and size. `isRelayable` is the method policy (src/rpc/methods.ts). */
export function validateRelayRequest(raw: unknown, isRelayable: (method: string) => boolean): RelayValidation {
  if (typeof raw !== 'object' || raw === null) return refuse(RELAY_ERROR.invalidRequest, 'relay request must be an object');
  const { chainId, method, params } = raw as Record<string, unknown>;
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId <= 0) {
    return refuse(RELAY_ERROR.invalidRequest, 'chainId must be a positive integer');
  }
  if (typeof method !== 'string' || method.length === 0 || method.length > 64) return refuse(RELAY_ERROR.invalidRequest, 'method must be a short string');
  if (!isRelayable(method)) return refuse(RELAY_ERROR.methodNotFound, `method ${method} is not relayed (only chain reads and signed-transaction broadcasts are)`);
  if (params !== undefined && !Array.isArray(params)) return refuse(RELAY_ERROR.invalidParams, 'params must be an array');
  let size: number;
  try {
    size = JSON.stringify(params ?? []).length;
  } catch {
    return refuse(RELAY_ERROR.invalidParams, 'params must be JSON');
  }
  const limit = method === BROADCAST_METHOD ? RELAY_LIMITS.maxBroadcastParamsBytes : RELAY_LIMITS.maxParamsBytes;
  if (size > limit) return refuse(RELAY_ERROR.limitExceeded, `params of ${size} bytes exceed ${limit}`);
  const wallet = sanitizeWalletIdentity((raw as Record<string, unknown>).wallet);
  const request: RelayRequest = { chainId, method, params: (params as unknown[] | undefined) ?? [] };
  if (wallet) request.wallet = wallet;
  return { ok: true, request };
}
