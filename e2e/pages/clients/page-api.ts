/**
 * What every client-library test page offers the specs (on `window.clientPage`), and how a page
 * reads its settings from its URL. Each page does the same things with its own library, the way a
 * dApp built on it would, so one spec drives them all.
 *
 * URL query: chain (id), contract (address), transport ('wallet' | 'fallback' | 'http'), rpc (the
 * dApp's own RPC URL, for 'fallback' and 'http'), rdns (the EIP-6963 wallet wagmi connects to).
 */
export type ClientTransport = 'wallet' | 'fallback' | 'http';

export interface PageSettings {
  chainId: number;
  contract: `0x${string}`;
  transport: ClientTransport;
  rpc: string | null;
  rdns: string | null;
}

export interface ReceiptSummary {
  hash: string;
  status: 'success' | 'reverted';
  blockNumber: string;
}

/** Every value crosses page.evaluate as a string (bigints don't). */
export interface ClientPageApi {
  library: string;
  /** Resolves once the page can talk to its provider (wagmi: the EIP-6963 wallet discovered). */
  ready(): Promise<void>;
  blockNumber(): Promise<string>;
  balance(address: string): Promise<string>;
  /** The test contract's value() through the library's contract API. */
  contractValue(): Promise<string>;
  /** The reason the library decodes from fail()'s revert; rejects if the call did not revert or
   *  the library found no reason. */
  revertReason(): Promise<string>;
  requestAccounts(): Promise<string[]>;
  personalSign(message: string, account: string): Promise<string>;
  /** Sends value through the wallet (eth_sendTransaction) and waits for the receipt. */
  sendAndWait(from: string, to: string, valueWei: string): Promise<ReceiptSummary>;
}

/** An EIP-1193 event the injected provider emitted, as the page's first script heard it. */
export interface ProviderEvent {
  event: string;
  data: unknown;
}

export interface ClientPageWindow {
  clientPage: ClientPageApi;
  /** Events of window.ethereum since the page's first (inline) script: connect, disconnect,
   *  accountsChanged, chainChanged (e2e/fixtures/client-bundles.ts writes that script). */
  providerEvents: ProviderEvent[];
}

export function pageSettings(location: Location): PageSettings {
  const query = new URLSearchParams(location.search);
  const transport = query.get('transport') ?? 'wallet';
  if (transport !== 'wallet' && transport !== 'fallback' && transport !== 'http') throw new Error(`unknown transport ${transport}`);
  const contract = query.get('contract') ?? '';
  if (!/^0x[0-9a-fA-F]{40}$/.test(contract)) throw new Error('the page needs ?contract=<address>');
  return {
    chainId: Number(query.get('chain') ?? '1337'),
    contract: contract as `0x${string}`,
    transport,
    rpc: query.get('rpc'),
    rdns: query.get('rdns'),
  };
}

export function requireRpc(settings: PageSettings): string {
  if (!settings.rpc) throw new Error(`transport ${settings.transport} needs ?rpc=<url>`);
  return settings.rpc;
}

/** The injected provider as the page finds it (what every library is handed). */
export function injectedProvider(): { request(args: { method: string; params?: unknown }): Promise<unknown> } {
  const ethereum = (window as unknown as { ethereum?: { request(args: { method: string; params?: unknown }): Promise<unknown> } }).ethereum;
  if (!ethereum) throw new Error('no window.ethereum');
  return ethereum;
}

export function expose(api: ClientPageApi): void {
  (window as unknown as ClientPageWindow).clientPage = api;
  document.title = `${api.library} test page`;
  document.body.dataset.library = api.library;
}
