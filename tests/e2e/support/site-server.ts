import { createServer, type Server } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';

const SITE_DIR = resolve(import.meta.dirname, '../site');

/** Serves tests/e2e/site/ on loopback: the stand-in for a website in end-to-end tests and the demo. */
export interface SiteServer {
  /** e.g. http://localhost:43123 */
  readonly origin: string;
  /**
   * The same server under the other loopback name (localhost ↔ 127.0.0.1), e.g. http://127.0.0.1:43123: another
   * origin and another site, for cross-origin frames.
   */
  readonly otherOrigin: string;
  url(path: string): string;
  close(): Promise<void>;
}

/**
 * Every `<name>.tsx` at the top of the site folder, bundled once into memory and served as `/<name>.js`: one
 * self-contained script with React in production mode, so the pages behave like a real React site.
 */
export async function bundleSitePages(dir = SITE_DIR): Promise<Map<string, string>> {
  const entries = (await readdir(dir)).filter((name) => name.endsWith('.tsx'));
  const bundles = new Map<string, string>();
  if (entries.length === 0) return bundles;
  const result = await build({
    entryPoints: entries.map((name) => join(dir, name)),
    outdir: dir,
    write: false,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox128'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) {
    bundles.set('/' + file.path.slice(dir.length + 1).replaceAll('\\', '/'), file.text);
  }
  return bundles;
}

export async function startSiteServer(host: 'localhost' | '127.0.0.1' = 'localhost'): Promise<SiteServer> {
  const bundles = await bundleSitePages();
  const server: Server = createServer((req, res) => {
    // A form may POST to a page: the body is not needed, the page is served as for a GET.
    req.resume();
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const headers = (file: string) => ({ 'content-type': contentType(file), 'cache-control': 'no-store' });
    const bundle = bundles.get(path);
    if (bundle !== undefined) {
      res.writeHead(200, headers(path)).end(bundle);
      return;
    }
    const file = join(SITE_DIR, path);
    if (!file.startsWith(SITE_DIR)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, headers(file)).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('site server has no port');
  const origin = `http://${host}:${address.port}`;
  const otherHost = host === 'localhost' ? '127.0.0.1' : 'localhost';
  return {
    origin,
    otherOrigin: `http://${otherHost}:${address.port}`,
    url: (path) => new URL(path, origin).href,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        // A browser may hold keep-alive connections open; they would keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

function contentType(file: string): string {
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (file.endsWith('.css')) return 'text/css; charset=utf-8';
  return 'application/octet-stream';
}
