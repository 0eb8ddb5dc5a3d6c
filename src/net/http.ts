/**
 * Lifeline's own HTTP requests (the engine's transport, the worker's chain checks, page endpoint
 * look-ups, service checks): one fetch with the same privacy stance everywhere (no cookies, no
 * cache, no referrer), an optional timeout and an optional cap on how much of the answer is read.
 * Web-standard fetch only, so it runs the same in the extension worker and in Node.
 */
import { systemClock, type Clock } from '../clock.ts';
import { classifyHttpResponse, encodeRequest } from '../rpc/jsonrpc.ts';
import { formatMs } from '../status/format.ts';

/** The request ran past its `timeoutMs` (the answer's body included). */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  constructor(readonly afterMs: number) {
    // Shown to people (an endpoint's reason in the popup): "4 s", not "4000 ms".
    super(`no answer within ${formatMs(afterMs)}`);
  }
}

/** The answer was longer than `maxBytes` and the request asked to reject such answers. */
export class HttpTooLargeError extends Error {
  override readonly name = 'HttpTooLargeError';
  constructor(readonly maxBytes: number) {
    super('answer too large');
  }
}

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Aborts with HttpTimeoutError when the answer (its body included) takes longer. */
  timeoutMs?: number;
  /** The caller's own cancellation; fetch's error on abort is passed through as is. */
  signal?: AbortSignal;
  /** Reads at most this many bytes of the body. Without it the whole body is read. */
  maxBytes?: number;
  /** Beyond `maxBytes`: `reject` (HttpTooLargeError, the default) or keep the first `maxBytes`. */
  overMaxBytes?: 'reject' | 'truncate';
  /** Default `follow`; `error` when a redirect would make another server look like this one. */
  redirect?: RequestRedirect;
  /** Defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json', accept: 'application/json' };

/** Sends one request and reads its answer as text. Rejects on network errors (fetch's own error),
 *  on `timeoutMs` (HttpTimeoutError), on an over-long answer (HttpTooLargeError) and on `signal`. */
export async function httpRequest(request: HttpRequest): Promise<HttpAnswer> {
  const fetchImpl = request.fetch ?? globalThis.fetch.bind(globalThis);
  const { signal, timeoutMs } = request;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const onCallerAbort = () => controller?.abort(signal?.reason);
  if (timeoutMs !== undefined) {
    controller = new AbortController();
    if (signal?.aborted) controller.abort(signal.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    timer = setTimeout(() => {
      timedOut = true;
      controller?.abort(new HttpTimeoutError(timeoutMs));
    }, timeoutMs);
  }
  try {
    const init: RequestInit = {
      method: request.method,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      redirect: request.redirect ?? 'follow',
    };
    if (request.headers) init.headers = request.headers;
    if (request.body !== undefined) init.body = request.body;
    const effectiveSignal = controller?.signal ?? signal;
    if (effectiveSignal) init.signal = effectiveSignal;
    const response = await fetchImpl(request.url, init);
    const text = request.maxBytes === undefined ? await response.text() : await readBounded(response, request.maxBytes, request.overMaxBytes ?? 'reject');
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (timedOut && timeoutMs !== undefined) throw new HttpTimeoutError(timeoutMs);
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function readBounded(response: Response, maxBytes: number, overMaxBytes: 'reject' | 'truncate'): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      void reader.cancel().catch(() => undefined);
      if (overMaxBytes === 'reject') throw new HttpTooLargeError(maxBytes);
      chunks.push(value.subarray(0, maxBytes - total));
      total = maxBytes;
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export interface JsonRpcCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** For Retry-After in the answer's classification; the system clock by default. */
  clock?: Clock;
}

/** A JSON-RPC error the node answered with (as opposed to the request not getting through). */
export class JsonRpcAnswerError extends Error {
  override readonly name = 'JsonRpcAnswerError';
  constructor(readonly code: number, readonly rpcMessage: string) {
    super(`JSON-RPC error: ${rpcMessage}`);
  }
}

/**
 * One JSON-RPC call: resolves with its `result`. The answer is judged by the engine's own parser
 * (classifyHttpResponse), so a check and the engine never disagree on what counts as an answer.
 * Rejects with JsonRpcAnswerError for an error answer, with an Error naming the failure ("HTTP 503",
 * "HTML page instead of JSON") otherwise, and like httpRequest on network errors and timeouts.
 */
export async function callJsonRpc(url: string, method: string, params: readonly unknown[], options: JsonRpcCallOptions = {}): Promise<unknown> {
  const id = 1;
  const request: HttpRequest = { url, method: 'POST', headers: JSON_HEADERS, body: encodeRequest(id, method, params) };
  if (options.signal) request.signal = options.signal;
  if (options.timeoutMs !== undefined) request.timeoutMs = options.timeoutMs;
  if (options.fetch) request.fetch = options.fetch;
  const answer = await httpRequest(request);
  const outcome = classifyHttpResponse(answer, id, (options.clock ?? systemClock).now());
  if (outcome.kind === 'result') return outcome.result;
  if (outcome.kind === 'answer-error') throw new JsonRpcAnswerError(outcome.error.code, outcome.error.message);
  if (outcome.error) throw new JsonRpcAnswerError(outcome.error.code, outcome.error.message);
  throw new Error(outcome.detail);
}
