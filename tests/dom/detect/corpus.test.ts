import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type Detection } from '../../../src/detect';
import { openPage, ownCorpus, readTruth, sharedCorpus, type TruthInput } from './load';

// Every labelled page of both corpora, in happy-dom (no layout). A backup field must come back as
// `backup-code`, nothing labelled `none` and nothing unlabelled may come back at all; OTP recall is reported.
// Each page is checked twice: at the scorer's URL (the file name is in the path) and at a neutral URL, so a
// pass never rests on the fixture's file name.

interface Tally {
  otp: number;
  otpHit: number;
  otpNoBackupAsBackup: string[];
}
const tallies = new Map<string, Tally>();

function judge(doc: Document, inputs: TruthInput[], found: Detection[], tally: Tally): string[] {
  const failures: string[] = [];
  const byElement = new Map<Element, Detection>(found.map((d) => [d.element, d]));
  for (const t of inputs) {
    const el = doc.querySelector(t.selector);
    if (!el) {
      failures.push(`selector matches nothing: ${t.selector}`);
      continue;
    }
    const d = byElement.get(el);
    byElement.delete(el);
    if (d) expect(d.reasons.length, `${t.selector} carries reasons`).toBeGreaterThan(0);
    if (t.class === 'backup' && d?.kind !== 'backup-code')
      failures.push(`backup field ${t.selector} -> ${d?.kind ?? 'not detected'}`);
    if (t.class === 'none' && d)
      failures.push(`false positive ${t.selector} -> ${d.kind} (${d.reasons.join('; ')})`);
    if (t.class === 'otp') {
      tally.otp++;
      if (d) tally.otpHit++;
      if (d?.kind === 'backup-code' && t.acceptsBackup === false) tally.otpNoBackupAsBackup.push(t.selector);
    }
  }
  for (const d of byElement.values())
    failures.push(`false positive on unlabelled ${d.element.outerHTML.slice(0, 80)}`);
  return failures;
}

for (const [name, corpus] of [
  ['shared', sharedCorpus],
  ['own', ownCorpus],
] as const) {
  for (const urlKind of ['file URL', 'neutral URL'] as const) {
    const key = `${name} corpus, ${urlKind}`;
    const tally: Tally = { otp: 0, otpHit: 0, otpNoBackupAsBackup: [] };
    tallies.set(key, tally);
    describe(key, () => {
      for (const entry of readTruth(corpus)) {
        it(entry.file, async () => {
          const html = readFileSync(path.join(corpus, 'pages', entry.file), 'utf8');
          const url = urlKind === 'file URL' ? `http://127.0.0.1/${entry.file}` : 'http://127.0.0.1/session';
          const window = await openPage(html, url);
          const doc = window.document as unknown as Document;
          const failures = judge(doc, entry.inputs, scan(doc), tally);
          if (entry.after_click) {
            (doc.querySelector(entry.after_click.selector) as HTMLElement).click();
            await window.happyDOM.waitUntilComplete();
            failures.push(
              ...judge(doc, entry.after_click.inputs, scan(doc), tally).map((f) => `after click: ${f}`),
            );
          }
          await window.happyDOM.close();
          expect(failures).toEqual([]);
        });
      }
    });
  }
}

afterAll(() => {
  for (const [key, t] of tallies) {
    console.log(
      `detector (happy-dom) ${key}: OTP recall ${t.otpHit}/${t.otp}` +
        (t.otpNoBackupAsBackup.length
          ? `; OTP-only fields called backup-code: ${t.otpNoBackupAsBackup.join(', ')}`
          : ''),
    );
  }
});
