/**
 * `--setup` module for ../shared/tools/perf-attr/attr.mjs, to compare its figures with the bench's own
 * attribution (docs/benchmarks.md). It gives the e2e build the state of the bench's "site with codes": a vault,
 * unlocked, with one account for the host attr.mjs serves its fixtures on. Plain JavaScript, because attr.mjs
 * imports it with Node's own loader.
 *
 *   node ../shared/tools/perf-attr/attr.mjs --ext Spare=.output/chrome-mv3-e2e --ext empty=.output/probes/empty \
 *     --setup tests/bench/support/perf-attr-setup.mjs --fixtures login-5k.html,article.html --runs 15
 */
const PASSWORD = 'bench-orchard-lantern-42';

/** @param {{ ctx: import('playwright-core').BrowserContext, extensionId: string, host: string }} options */
export default async function setup({ ctx, extensionId, host }) {
  const page = await ctx.newPage();
  try {
    // The e2e build's lab page (entrypoints/lab) sends page requests to the real background.
    await page.goto(`chrome-extension://${extensionId}/lab.html`);
    await page.waitForFunction(() => 'spareLab' in globalThis);
    const { accounts, state } = await page.evaluate(
      async ({ password, site }) => {
        const lab = globalThis.spareLab;
        await lab.request({ type: 'create-vault', password });
        await lab.request({
          type: 'add-account',
          account: { site, label: 'perf-attr', codes: [{ value: '12345678' }, { value: '23456789' }] },
        });
        const list = await lab.request({ type: 'list-accounts' });
        const status = await lab.request({ type: 'status' });
        return { accounts: list.length, state: status.state };
      },
      { password: PASSWORD, site: host },
    );
    if (accounts !== 1 || state !== 'unlocked') {
      throw new Error(`perf-attr setup: ${accounts} accounts, vault ${state}, wanted 1 and unlocked`);
    }
  } finally {
    await page.close();
  }
}
