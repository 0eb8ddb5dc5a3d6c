/**
 * Decides whether an error a wallet provider returned for a read is an infrastructure failure
 * (its RPC or backend is down: fail over) or a real answer (revert, user rejection, bad params:
 * pass through unchanged). Runs in the MAIN-world guard on every failed read, so it stays small.
 *
 * Wallets wrap errors differently: MetaMask turns a revert into -32603 "Internal JSON-RPC error"
 * with the revert under `data` (code 3 or an "execution reverted" message), so -32603 alone never
 * means "down"; the revert check always comes first.
 */

/** The failure classes the guard reports; `null` means the error is an answer. */
export type WalletFailureClass = 'timeout' | 'rate-limited' | 'http-5xx' | 'network' | 'malformed' | 'internal' | 'unavailable';

/** EIP-1193 4001 rejected, 4100 unauthorised and 4200 unsupported are the wallet's own decisions,
 *  never something a fallback RPC could fix. 4900/4901 (disconnected from all chains / this chain)
 *  mean the wallet cannot reach its RPC: exactly what Lifeline covers for reads. */
const PROVIDER_DECISION_CODES = new Set([4001, 4100, 4200]);
const DISCONNECTED_CODES = new Set([4900, 4901]);

/** Error text that identifies an answer although the code looks like a transport failure
 *  (including a node's verdict on a signed transaction: it reached the chain's nodes). */
const ANSWER_TEXT = /revert|invalid opcode|out of gas|insufficient funds|nonce too (?:low|high)|invalid (?:argument|params?)|user (?:rejected|denied)|already known|underpriced|intrinsic gas|exceeds block gas limit|fee cap|max fee per gas/i;

const FAILURE_TEXT: ReadonlyArray<readonly [WalletFailureClass, RegExp]> = [
  ['timeout', /time(?:d)?[ -]?out|deadline/i],
  ['rate-limited', /\b429\b|too many requests|rate.?limit|limit exceeded|exceeded .*(?:quota|capacity)/i],
  ['http-5xx', /\b5\d\d\b|bad gateway|service unavailable|gateway|internal server error|cloudflare/i],
  ['network', /failed to fetch|fetch failed|networkerror|network error|network request|econn\w*|socket|connection (?:refused|reset|closed)|err_\w+|load failed|offline/i],
  ['malformed', /unexpected token|not valid json|json\.parse|unexpected end|invalid json|<!doctype|<html/i],
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  data?: unknown;
}

function textOf(value: unknown, depth = 0): string {
  if (depth > 3 || value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  const e = value as ErrorLike & { originalError?: unknown; cause?: unknown; reason?: unknown };
  return [e.message, e.reason, e.data, e.originalError, e.cause].map((part) => textOf(part, depth + 1)).join(' ');
}

function nestedCode(value: unknown, depth = 0): boolean {
  if (depth > 3 || !value || typeof value !== 'object') return false;
  const e = value as ErrorLike & { originalError?: unknown };
  return e.code === 3 || nestedCode(e.data, depth + 1) || nestedCode(e.originalError, depth + 1);
}

/** Classifies a wallet's rejection of a read. Returns null when it is an answer to pass through. */
export function classifyWalletError(error: unknown): WalletFailureClass | null {
  const code = error && typeof error === 'object' ? (error as ErrorLike).code : undefined;
  if (typeof code === 'number' && PROVIDER_DECISION_CODES.has(code)) return null;
  if (nestedCode(error)) return null;
  if (typeof code === 'number' && DISCONNECTED_CODES.has(code)) return 'unavailable';
  const text = textOf(error);
  if (ANSWER_TEXT.test(text)) return null;
  for (const [failure, pattern] of FAILURE_TEXT) if (pattern.test(text)) return failure;
  // -32603 internal and -32002/-32005 resource errors without a recognisable answer inside
  // come from the wallet's transport, not from the chain.
  if (code === -32603) return 'internal';
  if (code === -32005) return 'rate-limited';
  if (code === -32002) return 'unavailable';
  return null;
}
