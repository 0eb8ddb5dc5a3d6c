/**
 * Helpers shared by the main job (scripts/start.ts) and the outage drill (scripts/drill.ts):
 * reads the demo dApp makes through the wallet and through its own RPC URL, as a dApp would.
 */
import type { Page } from '@playwright/test';
import type { DappWindow, HttpCallResult, Settled } from '../../e2e/fixtures/dapp-server';

export interface ReadOutcome {
  ok: boolean;
  /** The JSON-RPC result when ok. */
  result?: unknown;
  error?: string;
  /** Wall time of the whole read, retries included. */
  ms: number;
  attempts: number;
  /** For HTTP reads: the final response came through a redirect (Lifeline's DNR rule), and from where. */
  redirected?: boolean;
  servedUrl?: string | null;
}

/** A read through `window.ethereum` (the mock wallet, guarded by Lifeline). */
export function walletRead(page: Page, method: string, params: unknown[] = []): Promise<ReadOutcome> {
  return page.evaluate(
    async ([method, params]) => {
      const started = Date.now();
      const r = (await (window as unknown as DappWindow).dapp.settle('viaInjected', [method, params])) as Settled<unknown>;
      const ms = Date.now() - started;
      return r.ok ? { ok: true, result: r.value, ms, attempts: 1 } : { ok: false, error: `${r.error.code ?? ''} ${r.error.message}`.trim(), ms, attempts: 1 };
    },
    [method, params] as const,
  );
}

/**
 * A read through the dApp's own RPC URL the way viem's http transport does it: a per-attempt
 * timeout and up to `attempts` tries with exponential back-off from 150 ms.
 */
export function httpRead(page: Page, url: string, method: string, params: unknown[] = [], options: { attempts?: number; timeoutMs?: number } = {}): Promise<ReadOutcome> {
  return page.evaluate(
    async ({ url, method, params, attempts, timeoutMs }) => {
      const api = (window as unknown as DappWindow).dapp;
      const started = Date.now();
      let error = '';
      for (let i = 0; i < attempts; i++) {
        const r = (await api.settle('viaHttp', [url, method, params, { timeoutMs }])) as Settled<HttpCallResult>;
        const body = r.ok ? (r.value.body as { result?: unknown } | null) : null;
        if (r.ok && r.value.status === 200 && body && typeof body === 'object' && 'result' in body) {
          return { ok: true, result: body.result, ms: Date.now() - started, attempts: i + 1, redirected: r.value.redirected, servedUrl: r.value.url };
        }
        error = r.ok ? `HTTP ${r.value.status}` : r.error.message;
        if (i + 1 < attempts) await new Promise((resolve) => setTimeout(resolve, 150 * 2 ** i));
      }
      return { ok: false, error, ms: Date.now() - started, attempts };
    },
    { url, method, params, attempts: options.attempts ?? 4, timeoutMs: options.timeoutMs ?? 5_000 },
  );
}

/** Sets an endpoint's fault mode through the control server's HTTP API. */
export async function setModeViaControl(controlUrl: string, name: string, mode: unknown): Promise<void> {
  const r = await fetch(`${controlUrl}/endpoints/${encodeURIComponent(name)}/mode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
  if (!r.ok) throw new Error(`control server: ${r.status} ${await r.text()}`);
}
