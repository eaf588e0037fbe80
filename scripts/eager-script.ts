/**
 * Bundles the eager content script (src/content/index.ts) into its two files, outside WXT's entrypoints: WXT
 * wraps an unlisted script in a start-up wrapper (a logger, a try/catch around `main`, a `defineUnlistedScript`
 * call, a global `var` unless told otherwise) that runs on every page load of every enabled site, and measured
 * ~0.5 ms of the ~2 ms the whole script cost an article page (docs/benchmarks.md). Here each file is one
 * anonymous IIFE whose load runs nothing but `addEventListener`. wxt.config.ts adds both files to every build
 * as generated public files.
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { EAGER_SCRIPT_FILE, OPEN_TAB_SCRIPT_FILE } from '../src/content/script-files';

export function bundleEagerScripts(
  root: string,
  minify: boolean,
): { relativeDest: string; contents: string }[] {
  const bundle = (checkFocusNow: boolean) => {
    const result = buildSync({
      stdin: {
        contents: `import { bootContentScript } from './index';\nbootContentScript(${checkFocusNow});\n`,
        resolveDir: join(root, 'src/content'),
        sourcefile: checkFocusNow ? OPEN_TAB_SCRIPT_FILE : EAGER_SCRIPT_FILE,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['chrome120', 'firefox128'],
      minify,
      legalComments: 'none',
      write: false,
      logLevel: 'warning',
    });
    return result.outputFiles[0]!.text;
  };
  return [
    { relativeDest: EAGER_SCRIPT_FILE, contents: bundle(false) },
    { relativeDest: OPEN_TAB_SCRIPT_FILE, contents: bundle(true) },
  ];
}
