import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSiteServer, type SiteServer } from '../e2e/support/site-server';

describe('the e2e and demo site server', () => {
  let site: SiteServer;

  beforeAll(async () => {
    site = await startSiteServer('localhost');
  });
  afterAll(async () => {
    await site?.close();
  });

  test('serves the React page with its bundle, built at start into memory', async () => {
    const html = await (await fetch(site.url('/instagram-two-factor.html'))).text();
    expect(html).toContain('<script src="/instagram-two-factor.js"></script>');

    const response = await fetch(site.url('/instagram-two-factor.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    const bundle = await response.text();
    // Self-contained: React is inside, in production mode, and nothing is left to import.
    expect(bundle).toContain('Use a backup code');
    expect(bundle).toContain('react.transitional.element');
    expect(bundle).not.toContain('process.env');
    expect(bundle).not.toMatch(/\bimport\s*[{("']|\brequire\(/);
  });

  test('serves every page, and answers a form POST with the page', async () => {
    for (const page of [
      '/login-backup-code.html',
      '/github-recovery.html',
      '/done.html',
      '/frame-same-site.html',
      '/frame-cross-origin.html',
      '/record-messages.js',
    ]) {
      expect((await fetch(site.url(page))).status, page).toBe(200);
    }
    const posted = await fetch(site.url('/done.html'), { method: 'POST', body: 'recovery_code=abcde-12345' });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("You're signed in");
  });

  test('the other origin is the same server under the other loopback name', async () => {
    const { port } = new URL(site.origin);
    expect(site.origin).toBe(`http://localhost:${port}`);
    expect(site.otherOrigin).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`${site.otherOrigin}/login-backup-code.html`)).status).toBe(200);
  });

  test('serves nothing outside the site folder', async () => {
    expect((await fetch(site.url('/missing.html'))).status).toBe(404);
    for (const escape of ['/%2e%2e/support/site-server.ts', '/..%2fsupport%2fsite-server.ts']) {
      expect([403, 404], escape).toContain((await fetch(site.origin + escape)).status);
    }
  });
});
