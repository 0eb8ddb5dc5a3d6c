/**
 * JSON-RPC 2.0 / EIP-1474 on the wire: request encoding, strict answer parsing, and the one decision
 * the whole engine rests on — is this outcome an *answer* (pass it to the dApp, never retry) or an
 * infrastructure *failure* (try another endpoint, count it against this one)?
 */
import { errorCodes, getMessageFromCode } from '@metamask/rpc-errors';
import { isRecord } from '../types.ts';

export type JsonRpcId = number | string | null;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: unknown;
}

export interface JsonRpcSuccessResponse {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result: unknown;
}

export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id: JsonRpcId;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccessResponse | JsonRpcErrorResponse;

/** EIP-1474 / EIP-1193 codes the engine produces or recognises (numbers from @metamask/rpc-errors). */
export const RpcCode = {
  parse: errorCodes.rpc.parse,
  invalidRequest: errorCodes.rpc.invalidRequest,
  methodNotFound: errorCodes.rpc.methodNotFound,
  invalidParams: errorCodes.rpc.invalidParams,
  internal: errorCodes.rpc.internal,
  invalidInput: errorCodes.rpc.invalidInput,
  resourceNotFound: errorCodes.rpc.resourceNotFound,
  resourceUnavailable: errorCodes.rpc.resourceUnavailable,
  transactionRejected: errorCodes.rpc.transactionRejected,
  methodNotSupported: errorCodes.rpc.methodNotSupported,
  limitExceeded: errorCodes.rpc.limitExceeded,
  unsupportedMethod: errorCodes.provider.unsupportedMethod,
  /** Geth/EIP-1474 revert code carrying revert data. */
  executionReverted: 3,
} as const;

export function rpcError(code: number, message?: string, data?: unknown): JsonRpcErrorObject {
  const error: JsonRpcErrorObject = { code, message: message ?? getMessageFromCode(code) };
  if (data !== undefined) error.data = data;
  return error;
}

/**
 * Why an attempt did not produce an answer. Infrastructure classes from the issue, plus:
 * `unsupported` (endpoint lacks the method), `unavailable` (node lacks the state: pruned, header not
 * found), `rpc-error` (an unrecognised JSON-RPC error: fail over but don't blame the endpoint's
 * health), `implausible` (an answer contradicting what we can verify: far-future block, wrong tx hash).
 */
export const FAILURE_CLASSES = [
  'http-5xx',
  'http-429',
  'http-other',
  'timeout',
  'network',
  'malformed',
  'html',
  'wrong-id',
  'limit',
  'internal',
  'wrong-chain',
  'stale',
  'unsupported',
  'unavailable',
  'rpc-error',
  'implausible',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export function isFailureClass(value: unknown): value is FailureClass {
  return typeof value === 'string' && (FAILURE_CLASSES as readonly string[]).includes(value);
}

/** Failure classes that say something about the endpoint's availability (feed its breaker). */
export function countsAgainstAvailability(failureClass: FailureClass): boolean {
  switch (failureClass) {
    case 'rpc-error': // the request may be at fault, not the endpoint
    case 'unsupported': // the endpoint is up, it just lacks this method
    case 'wrong-chain': // permanent misconfiguration: excluded by its own rule, not by a cool-down
    case 'stale': // excluded by the lag rule while it lags
      return false;
    default:
      return true;
  }
}

export type AttemptOutcome =
  | { kind: 'result'; result: unknown }
  /** A JSON-RPC error that is the answer (revert, invalid params, nonce too low…). */
  | { kind: 'answer-error'; error: JsonRpcErrorObject }
  | AttemptFailure;

export interface AttemptFailure {
  kind: 'failure';
  failureClass: FailureClass;
  /** Short human detail, e.g. "HTTP 503", "no answer in 4 s". */
  detail: string;
  httpStatus?: number;
  /** From Retry-After on 429 (or a limit error that says so). */
  retryAfterMs?: number;
  /** The endpoint's JSON-RPC error when the failure came as one (passed on if every endpoint says it). */
  error?: JsonRpcErrorObject;
}

export function failure(failureClass: FailureClass, detail: string, extra?: Partial<AttemptFailure>): AttemptFailure {
  return { kind: 'failure', failureClass, detail, ...extra };
}

/** Encodes a single request. `params` omitted when undefined (some nodes reject `"params": null`). */
export function encodeRequest(id: number, method: string, params: unknown): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
}


function isJsonRpcId(value: unknown): value is JsonRpcId {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

export function isJsonRpcErrorObject(value: unknown): value is JsonRpcErrorObject {
  return isRecord(value) && Number.isInteger(value.code) && typeof value.message === 'string';
}

export type ParsedResponse =
  | { ok: true; response: JsonRpcResponse }
  | { ok: false; failureClass: 'malformed' | 'html' | 'wrong-id'; detail: string };

/** Validates one response object against the id we sent. */
export function validateResponseObject(value: unknown, expectedId: JsonRpcId): ParsedResponse {
  if (!isRecord(value)) {
    return { ok: false, failureClass: 'malformed', detail: Array.isArray(value) ? 'batch answer to a single request' : 'answer is not an object' };
  }
  if (value.jsonrpc !== '2.0') return { ok: false, failureClass: 'malformed', detail: 'answer without "jsonrpc": "2.0"' };
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if (hasResult === hasError) {
    return { ok: false, failureClass: 'malformed', detail: hasResult ? 'answer with both result and error' : 'answer with neither result nor error' };
  }
  if (hasError && !isJsonRpcErrorObject(value.error)) return { ok: false, failureClass: 'malformed', detail: 'error member is not {code, message}' };
  if (!isJsonRpcId(value.id)) return { ok: false, failureClass: 'malformed', detail: 'answer id is not a number, string or null' };
  if (value.id !== expectedId) {
    // JSON-RPC lets a server answer `id: null` when it could not read the request: a transport error.
    if (value.id === null && hasError) {
      return { ok: true, response: { jsonrpc: '2.0', id: null, error: value.error as JsonRpcErrorObject } };
    }
    return { ok: false, failureClass: 'wrong-id', detail: `answer for id ${JSON.stringify(value.id)}, expected ${JSON.stringify(expectedId)}` };
  }
  return {
    ok: true,
    response: hasResult
      ? { jsonrpc: '2.0', id: value.id, result: value.result }
      : { jsonrpc: '2.0', id: value.id, error: value.error as JsonRpcErrorObject },
  };
}

function looksLikeHtml(text: string, contentType: string | null): boolean {
  if (contentType?.toLowerCase().includes('text/html')) return true;
  // JSON never starts with '<'; HTML error pages (Cloudflare, nginx) always do.
  return text.trimStart().startsWith('<');
}

/** Strict parse of a response body for a single request. */
export function parseResponseText(text: string, expectedId: JsonRpcId, contentType: string | null = null): ParsedResponse {
  if (looksLikeHtml(text, contentType)) return { ok: false, failureClass: 'html', detail: 'HTML page instead of JSON' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, failureClass: 'malformed', detail: text.trim() === '' ? 'empty answer' : 'answer is not JSON' };
  }
  return validateResponseObject(value, expectedId);
}

// Messages that mean "the chain answered": the same question to another node gets the same answer.
const ANSWER_MESSAGE =
  /revert|out of gas|invalid opcode|invalid jump|stack (?:under|over)flow|nonce too (?:low|high)|insufficient funds|gas required exceeds|intrinsic gas too low|already known|known transaction|already imported|already exists|replacement transaction underpriced|transaction underpriced|fee cap|max fee per gas|max priority fee|exceeds block gas limit|gas limit reached|invalid sender|invalid signature|tx type not supported|transaction type not supported|exceeds the configured cap|oversized data|invalid argument|invalid params|cannot unmarshal|hex string|exceeds allowance/i;
const LIMIT_MESSAGE = /rate.?limit|too many requests|request limit|compute units|quota|throttl|capacity exceeded|daily limit|exceeded the allowed|credits/i;
const UNAVAILABLE_MESSAGE = /header not found|missing trie node|unknown block|block not found|pruned|state (?:is )?not available|historical state|state histor|not synced|syncing|archive/i;

/**
 * Answer or failure, for a JSON-RPC error that arrived well-formed from an endpoint.
 * Order matters: a revert is an answer even when a node wraps it in -32603 (Hardhat/ganache do).
 */
export function classifyRpcError(error: JsonRpcErrorObject): 'answer' | FailureClass {
  const { code, message } = error;
  if (code === RpcCode.executionReverted) return 'answer';
  if (code === RpcCode.limitExceeded) return 'limit';
  if (ANSWER_MESSAGE.test(message)) return 'answer';
  if (LIMIT_MESSAGE.test(message)) return 'limit';
  if (UNAVAILABLE_MESSAGE.test(message)) return 'unavailable';
  switch (code) {
    // Not -32000 (EIP-1474 "invalid input"): geth uses it for every server-side error.
    case RpcCode.invalidParams:
    case RpcCode.transactionRejected:
      return 'answer';
    case RpcCode.internal:
      return 'internal';
    case RpcCode.methodNotFound:
    case RpcCode.methodNotSupported:
      return 'unsupported';
    case RpcCode.resourceUnavailable:
    case RpcCode.resourceNotFound:
      return 'unavailable';
    case RpcCode.parse:
    case RpcCode.invalidRequest:
      // We only send valid requests: an endpoint that can't read them is broken.
      return 'malformed';
    default:
      return 'rpc-error';
  }
}

/** Parses Retry-After (delta seconds or HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface HttpResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

/** Classifies a completed HTTP exchange for a single request with id `expectedId`. */
export function classifyHttpResponse(response: HttpResponseLike, expectedId: JsonRpcId, nowMs: number): AttemptOutcome {
  const { status } = response;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
    const extra: Partial<AttemptFailure> = { httpStatus: 429 };
    if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
    return failure('http-429', 'HTTP 429', extra);
  }
  if (status >= 500) return failure('http-5xx', `HTTP ${status}`, { httpStatus: status });
  const parsed = parseResponseText(response.text, expectedId, response.headers.get('content-type'));
  if (status < 200 || status >= 300) {
    // Some gateways send JSON-RPC errors with 4xx; those still classify by their content.
    if (!parsed.ok || !('error' in parsed.response)) return failure('http-other', `HTTP ${status}`, { httpStatus: status });
  }
  if (!parsed.ok) return failure(parsed.failureClass, parsed.detail);
  const answer = parsed.response;
  if ('result' in answer) return { kind: 'result', result: answer.result };
  const kind = answer.id === null ? 'malformed' : classifyRpcError(answer.error);
  if (kind === 'answer') return { kind: 'answer-error', error: answer.error };
  return failure(kind, describeRpcFailure(kind, answer.error), { error: answer.error });
}

function describeRpcFailure(failureClass: FailureClass, error: JsonRpcErrorObject): string {
  const message = error.message.length > 60 ? `${error.message.slice(0, 57)}…` : error.message;
  return `${failureClass === 'limit' ? 'limit exceeded' : `error ${error.code}`}: ${message}`;
}

/**
 * Outcome of an exchange seen only from outside (webRequest gives the status, not the body): 2xx is
 * a success as far as availability goes; 429 honours Retry-After; other statuses are failures.
 */
export function classifyHttpStatus(status: number, retryAfter: string | null, nowMs: number): AttemptFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
    return failure('http-429', 'HTTP 429', retryAfterMs === undefined ? { httpStatus: 429 } : { httpStatus: 429, retryAfterMs });
  }
  return failure(status >= 500 ? 'http-5xx' : 'http-other', `HTTP ${status}`, { httpStatus: status });
}

/** Classifies a thrown transport error. `timedOut` = our own attempt timer aborted it. */
export function classifyThrown(error: unknown, timedOut: boolean, timeoutMs: number): AttemptFailure {
  if (timedOut) return failure('timeout', `no answer in ${formatSeconds(timeoutMs)}`);
  const message = error instanceof Error ? error.message : String(error);
  return failure('network', message ? `connection failed (${message.slice(0, 60)})` : 'connection failed');
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** Parses a JSON-RPC quantity ("0x1a") into a safe integer; undefined if it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^0x(?:0|[1-9a-f][0-9a-f]*)$/i.test(value)) return undefined;
  const number = Number.parseInt(value, 16);
  return Number.isSafeInteger(number) ? number : undefined;
}

export function toQuantity(value: number): string {
  return `0x${value.toString(16)}`;
}
