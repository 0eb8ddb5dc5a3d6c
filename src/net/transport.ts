/**
 * How the engine talks to an endpoint: one POST of a JSON-RPC body, cancellable. The router owns
 * timeouts (via the AbortSignal) so a transport never needs its own timer.
 */
import type { Endpoint } from '../types.ts';
import { httpRequest, JSON_HEADERS } from './http.ts';

export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** Raw body; the engine parses it strictly (a transport must not). */
  text: string;
}

/** Sends `body` to `endpoint`; rejects on network errors and when `signal` aborts. */
export type Transport = (endpoint: Endpoint, body: string, signal: AbortSignal) => Promise<TransportResponse>;

export interface FetchTransportOptions {
  /** Defaults to the global fetch (the extension worker's). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request (e.g. an API key header for a user endpoint). */
  headers?: Readonly<Record<string, string>>;
}

/** The real transport: Lifeline's HTTP request (no cookies, cache or referrer: endpoints learn
 *  nothing extra), whole answer read, redirects followed as fetch does. */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { ...JSON_HEADERS, ...options.headers };
  return (endpoint, body, signal) => httpRequest({ url: endpoint.url, method: 'POST', headers, body, signal, fetch: fetchImpl });
}
