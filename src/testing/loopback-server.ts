/**
 * A real HTTP server on 127.0.0.1 for tests of Lifeline's own requests: each request's body is
 * read whole, then handed to the test's `answer`. No network needed. Test-only (Node).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

export async function startLoopbackServer(answer: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<LoopbackServer> {
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => answer(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: async () => {
      // Hanging test requests keep connections open; close them so the server can stop.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
