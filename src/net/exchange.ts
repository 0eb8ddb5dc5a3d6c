/**
 * One request/answer exchange with one endpoint: send, time out on the engine's clock, classify.
 * Never rejects; the caller gets an outcome it can act on.
 */
import type { Clock } from '../clock.ts';
import { type AttemptOutcome, classifyHttpResponse, classifyThrown } from '../rpc/jsonrpc.ts';
import type { Transport } from './transport.ts';
import type { Endpoint } from '../types.ts';

export type ExchangeOutcome = AttemptOutcome | { kind: 'aborted' };

export interface ExchangeResult {
  outcome: ExchangeOutcome;
  latencyMs: number;
}

/**
 * Sends `body` (a single request with id `id`) and classifies what comes back. Aborting `signal`
 * cancels the transport and yields `{kind: 'aborted'}`; `timeoutMs` without an answer yields a
 * `timeout` failure.
 */
export function exchange(
  transport: Transport,
  clock: Clock,
  endpoint: Endpoint,
  body: string,
  id: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ExchangeResult> {
  const startedAt = clock.now();
  const controller = new AbortController();
  let timedOut = false;
  let settled = false;

  return new Promise<ExchangeResult>((resolve) => {
    const finish = (outcome: ExchangeOutcome) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onParentAbort);
      resolve({ outcome, latencyMs: clock.now() - startedAt });
    };
    const onParentAbort = () => {
      controller.abort(signal?.reason);
      finish({ kind: 'aborted' });
    };
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('attempt timed out', 'TimeoutError'));
      finish(classifyThrown(undefined, true, timeoutMs));
    }, timeoutMs);
    if (signal?.aborted) {
      onParentAbort();
      return;
    }
    signal?.addEventListener('abort', onParentAbort, { once: true });

    let sent: Promise<Awaited<ReturnType<Transport>>>;
    try {
      sent = transport(endpoint, body, controller.signal);
    } catch (error) {
      finish(classifyThrown(error, false, timeoutMs));
      return;
    }
    sent.then(
      (response) => finish(classifyHttpResponse(response, id, clock.now())),
      (error: unknown) => finish(timedOut ? classifyThrown(error, true, timeoutMs) : classifyThrown(error, false, timeoutMs)),
    );
  });
}
