// MAIN-world script, injected at document_start in every frame. It must stay tiny and
// synchronous: it runs before any page script so it can guard the wallet provider the page
// will later see. The marker below is read by the e2e test that proves the timing; it is a
// symbol-keyed, non-enumerable property, so it never shows up in the page's own enumeration.
const GUARD_MARKER = Symbol.for('lifeline.guard');

if (!(GUARD_MARKER in window)) {
  Object.defineProperty(window, GUARD_MARKER, {
    value: Object.freeze({ installedAt: performance.now() }),
    enumerable: false,
    configurable: false,
    writable: false,
  });
}
