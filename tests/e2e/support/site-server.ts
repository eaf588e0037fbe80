import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';

const SITE_DIR = resolve(import.meta.dirname, '../site');

/** Serves tests/e2e/site/ on loopback: the stand-in for a website in end-to-end tests. */
export interface SiteServer {
  /** e.g. http://localhost:43123 */
  readonly origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startSiteServer(host: 'localhost' | '127.0.0.1' = 'localhost'): Promise<SiteServer> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(SITE_DIR, path);
    if (!file.startsWith(SITE_DIR)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': contentType(file) }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('site server has no port');
  const origin = `http://${host}:${address.port}`;
  return {
    origin,
    url: (path) => new URL(path, origin).href,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function contentType(file: string): string {
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.endsWith('.js')) return 'text/javascript';
  return 'application/octet-stream';
}
