import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { FIXTURE_DIR } from '../fixtures/generate';

/**
 * Serves tests/bench/fixtures/ on loopback. One port answers every host name that resolves to 127.0.0.1,
 * so the same page can be a "site with codes" (`localhost`) or not (`127.0.0.1`, or a mapped name).
 */
export interface FixtureServer {
  readonly port: number;
  url(host: string, path: string): string;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(FIXTURE_DIR, path);
    if (!file.startsWith(FIXTURE_DIR) || !file.endsWith('.html')) {
      res.writeHead(404).end('not found');
      return;
    }
    readFile(file).then(
      // No caching headers: every load parses the page afresh, with and without the extension alike.
      (body) =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fixture server has no port');
  const port = address.port;
  return {
    port,
    url: (host, path) => `http://${host}:${port}/${path.replace(/^\//, '')}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
