/**
 * Replaces a provider's `request` (and the legacy `sendAsync`/`send`) IN PLACE with versions that
 * send relayable reads through the hedged read; every other call goes to the wallet's own method
 * untouched. In place keeps the provider's identity, flags and events exactly as the wallet made
 * them, and survives Rabby's Proxy with its non-configurable getter.
 */
import { isRelayable } from '../../../src/rpc/relayable';
import type { HedgedRead } from './hedged-read';
import { type ProviderLike, type RequestArgs, type RequestFn, isObject } from './provider';

export interface MethodPatcher {
  /** Null when guarded, else why request() could not be replaced (reported to the worker). */
  patchRequest(provider: ProviderLike): string | null;
  patchLegacy(provider: ProviderLike): void;
}

type LegacyCallback = (error: unknown, response?: unknown) => void;

const ASYNC_FUNCTION = Object.getPrototypeOf(async () => {}) as object;

/** A wrapper of the same kind as the wallet's own method: libraries tell providers apart by it
 *  (web3.js takes an `async` request() for EIP-1193 and MetaMask, a plain one for a legacy
 *  provider with callbacks, and handles their errors differently). */
function likeOriginal(original: RequestFn, wrapper: RequestFn): RequestFn {
  if (Object.getPrototypeOf(original) !== ASYNC_FUNCTION) return wrapper;
  return {
    async request(this: unknown, args: unknown): Promise<unknown> {
      return wrapper.call(this, args);
    },
  }.request as RequestFn;
}

/** `isEnabled`: false while the user has switched Lifeline off for this site. */
export function createMethodPatcher(hedgedRead: HedgedRead, isEnabled: () => boolean): MethodPatcher {
  /** Our wrappers, so one assigned back (or read and re-assigned) is never wrapped twice. */
  const wrappers = new WeakSet<object>();
  /** True while a legacy wrapper (sendAsync/send) runs the wallet's own method: a wallet whose
   *  legacy methods call its request() (or each other) must not be guarded twice for one read. */
  let insideLegacy = false;
  const relayable = (method: unknown): method is string => !insideLegacy && isEnabled() && typeof method === 'string' && isRelayable(method);

  const wrapRequest = (provider: ProviderLike, original: RequestFn): RequestFn => {
    const guardedRequest = likeOriginal(original, function request(this: unknown, args: unknown): unknown {
      const self = this ?? provider;
      if (!isObject(args) || !relayable(args.method)) {
        return original.call(self, args);
      }
      return hedgedRead(provider, original, self, args as unknown as RequestArgs);
    } as RequestFn);
    wrappers.add(guardedRequest);
    return guardedRequest;
  };

  const patchRequest = (provider: ProviderLike): string | null => {
    const original = provider.request;
    if (typeof original !== 'function') return 'provider has no request()';
    let current: unknown = wrapRequest(provider, original as RequestFn);
    // Keep the property's enumerability: a class provider's request lives on its prototype, and an
    // own enumerable copy would change what Object.keys(provider) shows the dApp.
    const enumerable = Object.getOwnPropertyDescriptor(provider, 'request')?.enumerable ?? false;
    try {
      // An accessor, so a wallet (or another wallet: Rabby patches others' request) assigning a
      // new request() later is guarded too instead of silently dropping the guard.
      Object.defineProperty(provider, 'request', {
        configurable: true,
        enumerable,
        get: () => current,
        set: (next: unknown) => {
          current = typeof next !== 'function' || wrappers.has(next) ? next : wrapRequest(provider, next as RequestFn);
        },
      });
    } catch (error) {
      return `request() cannot be replaced (${error instanceof Error ? error.message : 'locked'})`;
    }
    // A Proxy's get trap could keep answering with the old function.
    return provider.request === current ? null : 'provider hides a replaced request()';
  };

  /**
   * Legacy MetaMask API: sendAsync(payload, callback) and send(method, params) / send(payload,
   * callback). MetaMask's and Coinbase's go to their engine without passing through request(),
   * so older dApps' reads would be unguarded. Single relayable reads get the same treatment as
   * request(); batches, the synchronous send(payload) and everything else stay untouched.
   */
  const patchLegacy = (provider: ProviderLike): void => {
    /** The wallet's own legacy method as a request(): a JSON-RPC response's error rejects. */
    const asRequest = (call: (args: RequestArgs, done: LegacyCallback) => unknown): RequestFn =>
      (args) =>
        new Promise((resolve, reject) => {
          const done: LegacyCallback = (error, response) => {
            const r = response as { error?: unknown; result?: unknown } | null | undefined;
            const isResponse = typeof r === 'object' && r !== null && ('result' in r || 'error' in r);
            if (error) reject(error);
            else if (isResponse && r.error) reject(r.error);
            else resolve(isResponse ? r.result : response);
          };
          insideLegacy = true;
          try {
            const returned = call(args as RequestArgs, done);
            // send(method, params) answers with a promise of the response instead.
            if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<unknown>).then((response) => done(null, response), (error: unknown) => done(error));
          } catch (error) {
            reject(error);
          } finally {
            insideLegacy = false;
          }
        });
    const replace = (key: 'sendAsync' | 'send', make: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): void => {
      const original = provider[key];
      if (typeof original !== 'function') return;
      const enumerable = Object.getOwnPropertyDescriptor(provider, key)?.enumerable ?? false;
      try {
        Object.defineProperty(provider, key, { value: make(original as (...args: unknown[]) => unknown), configurable: true, writable: true, enumerable });
      } catch {
        // A locked legacy method stays the wallet's own; request() is what modern dApps use.
      }
    };
    const viaCallback = (self: unknown, original: (...args: unknown[]) => unknown, payload: Record<string, unknown>, callback: LegacyCallback): void => {
      const { id, jsonrpc = '2.0' } = payload;
      const wallet = asRequest((args, done) => original.call(self, { id, jsonrpc, method: args.method, params: args.params ?? [] }, done));
      hedgedRead(provider, wallet, self, { method: payload.method as string, params: payload.params ?? [] }).then(
        (result) => callback(null, { id, jsonrpc, result }),
        (error: unknown) => callback(error, { id, jsonrpc, error }),
      );
    };
    const isSingle = (payload: unknown): payload is Record<string, unknown> => isObject(payload) && !Array.isArray(payload) && relayable(payload.method);
    replace('sendAsync', (original) => function sendAsync(this: unknown, payload: unknown, callback: unknown) {
      if (!isSingle(payload) || typeof callback !== 'function') return original.call(this ?? provider, payload, callback);
      viaCallback(this ?? provider, original, payload, callback as LegacyCallback);
    } as (...args: unknown[]) => unknown);
    replace('send', (original) => function send(this: unknown, first: unknown, second: unknown) {
      const self = this ?? provider;
      if (isSingle(first) && typeof second === 'function') return viaCallback(self, original, first, second as LegacyCallback);
      if (typeof first === 'string' && relayable(first) && (second === undefined || Array.isArray(second))) {
        const wallet = asRequest((args) => original.call(self, args.method, args.params));
        return hedgedRead(provider, wallet, self, { method: first, params: second ?? [] }).then((result) => ({ id: undefined, jsonrpc: '2.0', result }));
      }
      return original.call(self, first, second);
    } as (...args: unknown[]) => unknown);
  };

  return { patchRequest, patchLegacy };
}
