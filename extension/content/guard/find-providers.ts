/**
 * Finds every wallet provider, however and whenever it arrives, and hands it to `guard`:
 * window.ethereum assigned or defined (before or after us, by a setter or Object.defineProperty),
 * window.rabby, Rabby's router, and EIP-6963 announcements. Nested `providers[]` are the guard's
 * concern (it recurses); this module only watches the page.
 */
import type { WalletIdentity } from '../../protocol/page-channel';
import { isObject } from './provider';

export type GuardProvider = (value: unknown, identity?: WalletIdentity) => void;

const KEY = 'ethereum';

export function findProviders(win: Window & typeof globalThis, guard: GuardProvider): void {
  // --- window.ethereum, however and whenever the wallet sets it -------------------------------
  const installSlotTrap = (): void => {
    const descriptor = Object.getOwnPropertyDescriptor(win, KEY);
    if (descriptor && !descriptor.configurable) {
      // Locked slot (e.g. Rabby first): guard what it holds now; the object is patched in place.
      guard(descriptor.get ? descriptor.get.call(win) : descriptor.value);
      return;
    }
    let current: unknown = descriptor ? (descriptor.get ? descriptor.get.call(win) : descriptor.value) : undefined;
    const ownGet = descriptor?.get;
    const ownSet = descriptor?.set;
    guard(current);
    Object.defineProperty(win, KEY, {
      configurable: true,
      enumerable: descriptor?.enumerable ?? true,
      get() {
        // A wallet's own getter may hand out a different provider later: guard on every read.
        const value = ownGet ? ownGet.call(win) : current;
        guard(value);
        return value;
      },
      set(value: unknown) {
        if (ownSet) ownSet.call(win, value);
        else if (ownGet) return;
        current = value;
        guard(value);
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
        if (descriptor) guard(descriptor.get ? descriptor.get.call(win) : descriptor.value);
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
  guard((win as unknown as { rabby?: unknown }).rabby);

  // --- EIP-6963: catch announcements in the capture phase, before any dApp listener ----------
  win.addEventListener(
    'eip6963:announceProvider',
    (event) => {
      const detail = (event as CustomEvent<unknown>).detail as { info?: { name?: unknown; rdns?: unknown }; provider?: unknown } | null;
      if (!detail || !isObject(detail.provider)) return;
      const name = typeof detail.info?.name === 'string' ? detail.info.name : undefined;
      const rdns = typeof detail.info?.rdns === 'string' ? detail.info.rdns : undefined;
      guard(detail.provider, name ? { name, ...(rdns ? { rdns } : {}) } : undefined);
    },
    true,
  );
  // Wallets that announced before us announce again on request.
  win.dispatchEvent(new Event('eip6963:requestProvider'));

  // A locked getter (Rabby's router) can switch providers later; look again when the page settles.
  const rescan = (): void => {
    guard((win as unknown as Record<string, unknown>)[KEY]);
    const router = (win as unknown as { rabbyWalletRouter?: { providers?: unknown } }).rabbyWalletRouter;
    if (router && Array.isArray(router.providers)) for (const provider of router.providers) guard(provider);
  };
  win.addEventListener('DOMContentLoaded', rescan, { once: true });
  win.addEventListener('load', rescan, { once: true });
}
