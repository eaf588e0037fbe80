// Builds .output/detector.js (design §4.3): the same src/detect code the content script imports, as one
// self-contained IIFE that defines globalThis.SpareDetector.
import { build } from 'esbuild';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, '.output', 'detector.js');
await mkdir(path.dirname(outfile), { recursive: true });
await build({
  entryPoints: [path.join(root, 'src', 'detect', 'global.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  // The lexicon's look-behinds need ES2018; every supported browser has it.
  target: ['chrome120', 'firefox128'],
  minify: process.argv.includes('--minify'),
  legalComments: 'none',
  logLevel: 'warning',
});
const { size } = await stat(outfile);
console.log(`detector: ${path.relative(root, outfile)} (${size} bytes)`);
