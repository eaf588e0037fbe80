/**
 * Reads every screenshot of tests/fixtures/screenshots with the CLI's pipeline and reports, per style, the
 * codes read exactly right, the codes invented and the wrong characters that sit in a code the preview does not
 * flag (issue 12's target: ≥ 98% right, 0 invented, 0 unflagged). Exit 1 when the corpus misses the target.
 *
 *   nice -n 15 npx tsx scripts/ocr-accuracy.ts [--no-site]
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openScreenshotReader } from '../src/cli/screenshot';
import { scoreReading, type Score } from '../tests/fixtures/screenshots/score';
import type { ShotTruth } from '../tests/fixtures/screenshots/generate';

const DIR = resolve(import.meta.dirname, '../tests/fixtures/screenshots');
const withSite = !process.argv.includes('--no-site');

const truth = JSON.parse(await readFile(join(DIR, 'truth.json'), 'utf8')) as ShotTruth[];
const reader = await openScreenshotReader();
const perStyle = new Map<string, Score & { ms: number; shots: number }>();
for (const shot of truth) {
  const started = performance.now();
  const reading = await reader.read(
    await readFile(join(DIR, shot.file)),
    withSite ? { site: shot.site } : {},
  );
  const ms = performance.now() - started;
  const score = scoreReading(shot.codes, reading);
  const sum = perStyle.get(shot.style) ?? {
    total: 0,
    right: 0,
    invented: [],
    unflagged: [],
    ms: 0,
    shots: 0,
  };
  sum.total += score.total;
  sum.right += score.right;
  sum.invented.push(...score.invented);
  sum.unflagged.push(...score.unflagged);
  sum.ms += ms;
  sum.shots++;
  perStyle.set(shot.style, sum);
  console.log(
    `${shot.file.padEnd(36)} ${score.right}/${score.total} right, ${score.invented.length} invented, ${score.unflagged.length} wrong unflagged, ${reading.flagged.length} flagged, ${Math.round(ms)} ms`,
  );
}
await reader.close();

let total = 0;
let right = 0;
let invented = 0;
let unflagged = 0;
console.log('\nstyle       right         invented  unflagged  ms/shot');
for (const [style, s] of perStyle) {
  total += s.total;
  right += s.right;
  invented += s.invented.length;
  unflagged += s.unflagged.length;
  console.log(
    `${style.padEnd(11)} ${`${s.right}/${s.total}`.padEnd(7)} ${((100 * s.right) / s.total).toFixed(1).padStart(5)}%  ${String(s.invented.length).padStart(8)}  ${String(s.unflagged.length).padStart(9)}  ${String(Math.round(s.ms / s.shots)).padStart(7)}`,
  );
}
const rate = (100 * right) / total;
console.log(
  `all         ${right}/${total} ${rate.toFixed(1)}%  invented ${invented}  wrong unflagged ${unflagged}`,
);
process.exitCode = rate >= 98 && invented === 0 && unflagged === 0 ? 0 : 1;
