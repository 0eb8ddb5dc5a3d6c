import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import manifest from './manifest.json' with { type: 'json' };

// manifest.json is the single source of the extension manifest; crxjs rewrites its .ts/.html
// paths to the built files. Content scripts are named *.iife.ts so crxjs emits one synchronous
// IIFE each, with no async loader and no web_accessible_resources: the MAIN-world guard must be in
// place before any page script runs, and exposes nothing a page could fetch.
export default defineConfig({
  plugins: [preact(), crx({ manifest })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome111',
    sourcemap: false,
    // Pages the manifest does not name (the first-run page, opened by the worker) are built too.
    rollupOptions: { input: { welcome: 'extension/welcome/index.html' } },
  },
});
