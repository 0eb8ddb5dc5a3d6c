// MAIN-world entry, injected at document_start in every frame, before any page script. The guard
// itself is ./guard/ (its index.ts draws the parts). crxjs builds *.iife.ts entries as one
// synchronous IIFE with no web-accessible loader, so the guard is in place before page scripts run.
import { installGuard } from './guard/index';

// Symbol-keyed and non-enumerable: the e2e timing test reads it; page enumeration never sees it.
const GUARD_MARKER = Symbol.for('lifeline.guard');

if (!(GUARD_MARKER in window)) {
  Object.defineProperty(window, GUARD_MARKER, { value: Object.freeze({ installedAt: performance.now() }) });
  installGuard(window);
}
