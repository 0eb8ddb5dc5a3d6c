// MAIN-world entry, injected at document_start in every frame, before any page script.
// crxjs builds *.iife.ts as one synchronous IIFE with no web-accessible loader (DESIGN.md §1).
import { installGuard } from './guard';
import { isRelayable } from '../../src/rpc/relayable';

// Symbol-keyed and non-enumerable: the e2e timing test reads it; page enumeration never sees it.
const GUARD_MARKER = Symbol.for('lifeline.guard');

if (!(GUARD_MARKER in window)) {
  Object.defineProperty(window, GUARD_MARKER, { value: Object.freeze({ installedAt: performance.now() }) });
  installGuard(window, { isRelayable });
}
