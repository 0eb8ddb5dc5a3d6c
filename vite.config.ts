import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import manifest from './manifest.json' with { type: 'json' };
import packageJson from './package.json' with { type: 'json' };
import { firefoxManifest } from './scripts/firefox-manifest';

// manifest.json is the single source of the extension manifest; crxjs rewrites its .ts/.html
// paths to the built files. Content scripts are named *.iife.ts so crxjs emits one synchronous
// IIFE each, with no async loader and no web_accessible_resources: the MAIN-world guard must be in
// place before any page script runs, and exposes nothing a page could fetch.
// `vite build --mode firefox` (npm run build:firefox) builds the same code into dist-firefox/
// with the Firefox manifest (scripts/firefox-manifest.ts). The version is package.json's in both.
export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox';
  const base = { ...manifest, version: packageJson.version, background: { ...manifest.background, type: 'module' as const } };
  return {
    plugins: [preact(), crx({ manifest: firefox ? firefoxManifest(base) : base, browser: firefox ? 'firefox' : 'chrome' })],
    build: {
      outDir: firefox ? 'dist-firefox' : 'dist',
      emptyOutDir: true,
      target: firefox ? 'firefox128' : 'chrome111',
      sourcemap: false,
      // Pages the manifest does not name (the first-run page, opened by the worker) are built too.
      rollupOptions: { input: { welcome: 'extension/welcome/index.html' } },
    },
  };
});
