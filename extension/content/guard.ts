/**
 * The wallet guard, run in the page's MAIN world at document_start (guard.iife.ts).
 *
 * It patches every wallet provider object it can reach IN PLACE (window.ethereum however it is
 * set, window.rabby, window.ethereum.providers, EIP-6963 announcements), replacing only `request`.
 * Patching in place keeps the provider's identity, flags, events and legacy methods exactly as the
 * wallet made them, survives Rabby's Proxy + non-configurable getter, and is idempotent (WeakSet).
 *
 * Reads go to the wallet first. If the wallet fails with an infrastructure error, or has not
 * answered after the hedge delay, the same read is relayed through the isolated bridge to
 * Lifeline's worker, and the first good answer wins. Everything else (accounts, signing,
 * wallet_*, sendTransaction) goes to the wallet untouched, exactly once.
 */
import { classifyWalletError } from '../../src/wallet/failure';
import { WALLET_HEDGE, adaptiveDelayMs } from '../../src/policy/index';
import {
  PAGE_CHANNEL,
  type AddChainOutcome,
  type BridgeToGuardMessage,
  type GuardToBridgeMessage,
  type RpcErrorShape,
  type WalletIdentity,
  type WalletObservation,
} from '../protocol/page-channel';

type RequestFn = (this: unknown, args: unknown) => unknown;
interface RequestArgs {
  method: string;
  params?: unknown;
}
interface ProviderLike {
  request?: unknown;
  chainId?: unknown;
  on?: unknown;
  providers?: unknown;
  [flag: string]: unknown;
}

export interface GuardOptions {
  /** Methods the worker may send through its endpoints when the wallet cannot: reads and the
   *  broadcast of an already signed transaction (src/rpc/methods.ts isRelayable). */
  isRelayable(method: string): boolean;
}

/** Flags wallets set on their provider, most specific first (many also set isMetaMask). */
const WALLET_FLAGS: ReadonlyArray<readonly [string, string, string]> = [
  ['isRabby', 'Rabby Wallet', 'io.rabby'],
  ['isCoinbaseWallet', 'Coinbase Wallet', 'com.coinbase.wallet'],
  ['isBraveWallet', 'Brave Wallet', 'com.brave.wallet'],
  ['isOkxWallet', 'OKX Wallet', 'com.okex.wallet'],
  ['isTrust', 'Trust Wallet', 'com.trustwallet.app'],
  ['isPhantom', 'Phantom', 'app.phantom'],
  ['isZerion', 'Zerion', 'io.zerion.wallet'],
  ['isFrame', 'Frame', 'sh.frame'],
  ['isMetaMask', 'MetaMask', 'io.metamask'],
];

interface RelayFailure {
  error: RpcErrorShape;
  answered: boolean;
}
const isRelayFailure = (value: unknown): value is RelayFailure => typeof value === 'object' && value !== null && 'answered' in value && 'error' in value;

/** dApp libraries read `code` and `data` off provider errors; an Error instance also gives a stack. */
const toProviderError = (error: RpcErrorShape): Error & RpcErrorShape =>
  Object.assign(new Error(typeof error.message === 'string' ? error.message : 'RPC error'), { code: error.code, data: error.data });

const isObject = (value: unknown): value is ProviderLike =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

const parseChainId = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number.parseInt(value, value.startsWith('0x') ? 16 : 10) : typeof value === 'number' ? value : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

export function installGuard(win: Window & typeof globalThis, options: GuardOptions): void {
  const guarded = new WeakSet<object>();
  /** Guarded providers in order, for the one worker-initiated command (add-chain). */
  const known: ProviderLike[] = [];
  const identities = new WeakMap<object, WalletIdentity>();
  const chainIds = new WeakMap<object, number>();
  /** Recent successful wallet read latencies per provider, for the adaptive hedge delay. */
  const latencies = new WeakMap<object, number[]>();
  const pendingRelays = new Map<string, { resolve(value: unknown): void; reject(failure: RelayFailure): void }>();
  const relayPrefix = `${Math.random().toString(36).slice(2)}:`;
  let relaySeq = 0;
  let enabled = true;

  const post = (message: GuardToBridgeMessage): void => {
    win.postMessage(message, '*');
  };

  const identityOf = (provider: object): WalletIdentity => {
    const known = identities.get(provider);
    if (known) return known;
    const p = provider as ProviderLike;
    for (const [flag, name, rdns] of WALLET_FLAGS) if (p[flag] === true) return { name, rdns };
    return { name: 'Injected wallet' };
  };

  const report = (provider: object, observation: WalletObservation): void => {
    post({ channel: PAGE_CHANNEL, kind: 'wallet-report', wallet: identityOf(provider), chainId: chainIds.get(provider) ?? null, observation });
  };

  /** Reads in a row this wallet failed or left unanswered by the hedge; reset by any answer of
   *  its own (a result or a non-infrastructure error such as a revert). */
  const unanswered = new WeakMap<object, number>();

  const hedgeDelay = (provider: object): number => {
    if ((unanswered.get(provider) ?? 0) >= WALLET_HEDGE.failingAfterReads) return WALLET_HEDGE.failingMs;
    const samples = latencies.get(provider);
    if (!samples || samples.length < WALLET_HEDGE.minSamples) return WALLET_HEDGE.coldMs;
    const sorted = [...samples].sort((a, b) => a - b);
    return adaptiveDelayMs(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))], WALLET_HEDGE);
  };

  const recordLatency = (provider: object, ms: number): void => {
    let samples = latencies.get(provider);
    if (!samples) latencies.set(provider, (samples = []));
    samples.push(ms);
    if (samples.length > WALLET_HEDGE.window) samples.shift();
  };

  const relay = (chainId: number, method: string, params: unknown[], wallet: WalletIdentity): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = relayPrefix + ++relaySeq;
      // If the bridge never answers (no bridge in this frame, extension reloading), give up so the
      // wallet's own outcome reaches the dApp instead of a promise that never settles.
      const timer = setTimeout(() => {
        pendingRelays.delete(id);
        reject({ error: { code: -32603, message: 'Lifeline: relay timed out' }, answered: false });
      }, WALLET_HEDGE.relayTimeoutMs);
      pendingRelays.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (failure) => (clearTimeout(timer), reject(failure)),
      });
      try {
        post({ channel: PAGE_CHANNEL, kind: 'relay', id, chainId, method, params, wallet });
      } catch {
        // Params that can't be structured-cloned can't be relayed either.
        pendingRelays.get(id)?.reject({ error: { code: -32602, message: 'Lifeline: parameters cannot be relayed' }, answered: false });
        pendingRelays.delete(id);
      }
    });

  /** The wallet's current chain, without ever sending a network read through it. */
  const chainIdOf = async (provider: object, original: RequestFn, self: unknown): Promise<number> => {
    const tracked = chainIds.get(provider) ?? parseChainId((provider as ProviderLike).chainId);
    if (tracked) return tracked;
    // eth_chainId is answered locally by wallets, even when their RPC is down; bounded all the same.
    const answer = parseChainId(
      await Promise.race([
        original.call(self, { method: 'eth_chainId' }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('eth_chainId timed out')), WALLET_HEDGE.relayTimeoutMs)),
      ]),
    );
    if (!answer) throw new Error('unknown chain');
    chainIds.set(provider, answer);
    return answer;
  };

  const guardedRead = (provider: object, original: RequestFn, self: unknown, args: RequestArgs): Promise<unknown> => {
    const started = performance.now();
    let walletAnswer: Promise<unknown>;
    try {
      walletAnswer = Promise.resolve(original.call(self, args));
    } catch (error) {
      walletAnswer = Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      let relayState: 'idle' | 'running' | 'failed' = 'idle';
      let walletFailure: { error: unknown } | null = null;
      const settle = (ok: boolean, value: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(hedgeTimer);
        if (ok) resolve(value);
        else reject(value);
      };
      const startRelay = (failure: string): void => {
        if (relayState !== 'idle' || settled) return;
        relayState = 'running';
        unanswered.set(provider, (unanswered.get(provider) ?? 0) + 1);
        const params = Array.isArray(args.params) ? (args.params as unknown[]) : [];
        chainIdOf(provider, original, self)
          .then((chainId) => relay(chainId, args.method, params, identityOf(provider)))
          .then(
            (result) => {
              if (settled) return;
              report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: true });
              settle(true, result);
            },
            (relayFailure: unknown) => {
              if (settled) return;
              if (isRelayFailure(relayFailure) && relayFailure.answered) {
                // The chain answered (e.g. execution reverted): that is the dApp's answer.
                report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: true });
                return settle(false, toProviderError(relayFailure.error));
              }
              relayState = 'failed';
              // Never worse than no Lifeline: the wallet's own outcome is what the dApp gets.
              if (walletFailure) {
                report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: false });
                settle(false, walletFailure.error);
              }
            },
          );
      };
      const hedgeTimer = setTimeout(() => startRelay('no-answer'), hedgeDelay(provider));
      walletAnswer.then(
        (result) => {
          // The wallet answers again, even if a relay already did: wait for it first from now on.
          unanswered.delete(provider);
          if (settled) return;
          const latencyMs = performance.now() - started;
          recordLatency(provider, latencyMs);
          if (args.method === 'eth_chainId') {
            const chainId = parseChainId(result);
            if (chainId) chainIds.set(provider, chainId);
          }
          report(provider, { type: 'answered', method: args.method, latencyMs });
          settle(true, result);
        },
        (error: unknown) => {
          const failure = classifyWalletError(error);
          if (!failure) unanswered.delete(provider);
          if (settled) return;
          if (!failure) return settle(false, error);
          walletFailure = { error };
          if (relayState === 'idle') startRelay(failure);
          else if (relayState === 'failed') {
            report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: false });
            settle(false, error);
          }
        },
      );
    });
  };

  /** Our wrappers, so one assigned back (or read and re-assigned) is never wrapped twice. */
  const wrappers = new WeakSet<object>();
  /** True while a legacy wrapper (sendAsync/send) runs the wallet's own method: a wallet whose
   *  legacy methods call its request() (or each other) must not be guarded twice for one read. */
  let insideLegacy = false;
  const relayable = (method: unknown): method is string =>
    !insideLegacy && enabled && typeof method === 'string' && method !== 'eth_chainId' && options.isRelayable(method);
  const wrapRequest = (provider: ProviderLike, original: RequestFn): RequestFn => {
    const guardedRequest = function request(this: unknown, args: unknown): unknown {
      const self = this ?? provider;
      if (!isObject(args) || !relayable(args.method)) {
        return original.call(self, args);
      }
      return guardedRead(provider, original, self, args as unknown as RequestArgs);
    };
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
  type LegacyCallback = (error: unknown, response?: unknown) => void;
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
      guardedRead(provider, wallet, self, { method: payload.method as string, params: payload.params ?? [] }).then(
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
        return guardedRead(provider, wallet, self, { method: first, params: second ?? [] }).then((result) => ({ id: undefined, jsonrpc: '2.0', result }));
      }
      return original.call(self, first, second);
    } as (...args: unknown[]) => unknown);
  };

  const guardProvider = (value: unknown, identity?: WalletIdentity): void => {
    if (!isObject(value)) return;
    if (identity) identities.set(value, identity);
    if (guarded.has(value)) return;
    guarded.add(value);
    known.push(value);
    const problem = patchRequest(value);
    if (problem) report(value, { type: 'unguardable', reason: problem });
    patchLegacy(value);
    const initialChain = parseChainId(value.chainId);
    if (initialChain) chainIds.set(value, initialChain);
    if (typeof value.on === 'function') {
      try {
        (value.on as (event: string, listener: (chainId: unknown) => void) => unknown).call(value, 'chainChanged', (chainId) => {
          const parsed = parseChainId(chainId);
          if (parsed) chainIds.set(value, parsed);
        });
      } catch {
        // A provider whose on() throws still works; the chain is asked when needed.
      }
    }
    const nested = value.providers;
    if (Array.isArray(nested)) for (const provider of nested) guardProvider(provider);
  };

  // --- window.ethereum, however and whenever the wallet sets it -------------------------------
  const KEY = 'ethereum';
  const installSlotTrap = (): void => {
    const descriptor = Object.getOwnPropertyDescriptor(win, KEY);
    if (descriptor && !descriptor.configurable) {
      // Locked slot (e.g. Rabby first): guard what it holds now; the object is patched in place.
      guardProvider(descriptor.get ? descriptor.get.call(win) : descriptor.value);
      return;
    }
    let current: unknown = descriptor ? (descriptor.get ? descriptor.get.call(win) : descriptor.value) : undefined;
    const ownGet = descriptor?.get;
    const ownSet = descriptor?.set;
    guardProvider(current);
    Object.defineProperty(win, KEY, {
      configurable: true,
      enumerable: descriptor?.enumerable ?? true,
      get() {
        // A wallet's own getter may hand out a different provider later: guard on every read.
        const value = ownGet ? ownGet.call(win) : current;
        guardProvider(value);
        return value;
      },
      set(value: unknown) {
        if (ownSet) ownSet.call(win, value);
        else if (ownGet) return;
        current = value;
        guardProvider(value);
      },
    });
  };

  // A wallet that calls Object.defineProperty(window, 'ethereum', …) after us silently replaces
  // our accessor; wrap the three define functions so its provider is guarded all the same.
  const afterDefine = (target: unknown, keys: Iterable<PropertyKey>): void => {
    if (target !== win) return;
    for (const key of keys) {
      if (key === KEY || key === 'rabby') {
        const descriptor = Object.getOwnPropertyDescriptor(win, key);
        if (descriptor) guardProvider(descriptor.get ? descriptor.get.call(win) : descriptor.value);
      }
    }
  };
  const nativeDefineProperty = Object.defineProperty;
  const nativeDefineProperties = Object.defineProperties;
  const nativeReflectDefine = Reflect.defineProperty;
  Object.defineProperty = function defineProperty<T>(target: T, key: PropertyKey, attributes: PropertyDescriptor & ThisType<unknown>): T {
    const result = nativeDefineProperty(target, key, attributes);
    afterDefine(target, [key]);
    return result;
  };
  Object.defineProperties = function defineProperties<T>(target: T, map: PropertyDescriptorMap & ThisType<unknown>): T {
    const result = nativeDefineProperties(target, map);
    afterDefine(target, Reflect.ownKeys(Object(map)));
    return result;
  };
  Reflect.defineProperty = function defineProperty(target: object, key: PropertyKey, attributes: PropertyDescriptor): boolean {
    const result = nativeReflectDefine(target, key, attributes);
    afterDefine(target, [key]);
    return result;
  };

  installSlotTrap();
  guardProvider((win as unknown as { rabby?: unknown }).rabby);

  // --- EIP-6963: catch announcements in the capture phase, before any dApp listener ----------
  win.addEventListener(
    'eip6963:announceProvider',
    (event) => {
      const detail = (event as CustomEvent<unknown>).detail as { info?: { name?: unknown; rdns?: unknown }; provider?: unknown } | null;
      if (!detail || !isObject(detail.provider)) return;
      const name = typeof detail.info?.name === 'string' ? detail.info.name : undefined;
      const rdns = typeof detail.info?.rdns === 'string' ? detail.info.rdns : undefined;
      guardProvider(detail.provider, name ? { name, ...(rdns ? { rdns } : {}) } : undefined);
    },
    true,
  );
  // Wallets that announced before us announce again on request.
  win.dispatchEvent(new Event('eip6963:requestProvider'));

  // A locked getter (Rabby's router) can switch providers later; look again when the page settles.
  const rescan = (): void => {
    guardProvider((win as unknown as Record<string, unknown>)[KEY]);
    const router = (win as unknown as { rabbyWalletRouter?: { providers?: unknown } }).rabbyWalletRouter;
    if (router && Array.isArray(router.providers)) for (const provider of router.providers) guardProvider(provider);
  };
  win.addEventListener('DOMContentLoaded', rescan, { once: true });
  win.addEventListener('load', rescan, { once: true });

  // Guided repair: the wallet's own wallet_addEthereumChain, called untouched; the wallet asks the user.
  const addChain = async (id: string, wallet: unknown, params: unknown): Promise<void> => {
    const answer = (outcome: AddChainOutcome, code?: number) => post({ channel: PAGE_CHANNEL, kind: 'add-chain-result', id, outcome, ...(code === undefined ? {} : { code }) });
    const p = params as { chainId?: unknown; rpcUrls?: unknown } | null;
    if (!p || typeof p.chainId !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(p.chainId) || !Array.isArray(p.rpcUrls) || typeof p.rpcUrls[0] !== 'string') return answer('invalid');
    const provider = known.find((k) => identityOf(k).name === wallet) ?? known[0];
    if (!provider || typeof provider.request !== 'function') return answer('no-wallet');
    try {
      await (provider.request as RequestFn).call(provider, { method: 'wallet_addEthereumChain', params: [params] });
      answer('accepted');
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 4001) answer('declined');
      else answer('refused', Number.isSafeInteger(code) ? (code as number) : undefined);
    }
  };

  // --- answers and settings from the bridge ---------------------------------------------------
  win.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.source !== win) return;
    const data = event.data as Partial<BridgeToGuardMessage> | null;
    if (!data || typeof data !== 'object' || data.channel !== PAGE_CHANNEL) return;
    if (data.kind === 'site-config') {
      enabled = data.enabled === true;
    } else if (data.kind === 'add-chain' && typeof data.id === 'string') {
      void addChain(data.id, data.wallet, data.params);
    } else if (data.kind === 'relay-result' && typeof data.id === 'string') {
      const pending = pendingRelays.get(data.id);
      if (!pending) return;
      pendingRelays.delete(data.id);
      if (data.ok === true) pending.resolve(data.result);
      else if (data.ok === false && data.error) pending.reject({ error: data.error, answered: data.answered === true });
      else pending.reject({ error: { code: -32603, message: 'Lifeline relay failed' }, answered: false });
    }
  });
}
