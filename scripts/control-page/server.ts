/**
 * Serves the demo's endpoint control page (scripts/control-page/index.html) on its own loopback
 * port. The page talks to the control server from e2e/fixtures/rpc-endpoint.ts (CORS *), whose URL
 * it gets in its query string along with each endpoint's role and a few handy links.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ControlPage {
  /** The page URL, with the control server and roles in its query. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startControlPage(options: { controlUrl: string; roles?: Record<string, string>; links?: Record<string, string> }): Promise<ControlPage> {
  const file = join(import.meta.dirname, 'index.html');
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://control-page').pathname;
    if (req.method !== 'GET' || (path !== '/' && path !== '/index.html')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(await readFile(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const q = new URLSearchParams({ control: options.controlUrl, roles: JSON.stringify(options.roles ?? {}), links: JSON.stringify(options.links ?? {}) });
  return {
    url: `http://127.0.0.1:${port}/?${q}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
