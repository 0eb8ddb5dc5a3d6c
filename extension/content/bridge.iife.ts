// Isolated-world bridge between the page's MAIN-world guard and the service worker.
// It is the trust boundary: every message a page can post is treated as hostile and validated
// here before anything reaches the worker. The relay itself arrives with the wallet-guard issue;
// until then the bridge forwards nothing.
export {};
