import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Window } from 'happy-dom';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const sharedCorpus = path.join(path.resolve(repoRoot, '../shared'), 'fixtures/detection');
export const ownCorpus = path.join(repoRoot, 'tests/fixtures/detection');

export interface TruthInput {
  selector: string;
  class: 'backup' | 'otp' | 'none';
  acceptsBackup?: boolean | 'unknown';
  note?: string;
}
export interface TruthEntry {
  file: string;
  inputs: TruthInput[];
  after_click: { selector: string; inputs: TruthInput[] } | null;
}

export function readTruth(corpus: string): TruthEntry[] {
  return JSON.parse(readFileSync(path.join(corpus, 'truth.json'), 'utf8')) as TruthEntry[];
}

/** A fresh happy-dom window holding one fixture page, its inline scripts run (they drive the dynamic pages). */
export async function openPage(html: string, url: string): Promise<Window> {
  const window = new Window({
    url,
    settings: {
      enableJavaScriptEvaluation: true,
      // Only this repository's and the shared corpus's own fixture pages run here.
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
    },
  });
  window.document.write(html);
  await window.happyDOM.waitUntilComplete();
  return window;
}

export function openHtml(html: string, url = 'http://127.0.0.1/login'): Window {
  const window = new Window({
    url,
    settings: { disableCSSFileLoading: true, disableIframePageLoading: true },
  });
  window.document.write(
    `<!DOCTYPE html><html><head><title>Sign in</title></head><body>${html}</body></html>`,
  );
  return window;
}
