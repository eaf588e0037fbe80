/**
 * Issue 10 §3: the function "Capture codes from this page" injects into the page. It is run here from its source
 * alone, as `scripting.executeScript` runs it (nothing from its module travels with it), on pages built like
 * "your new recovery codes" pages.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { readPageText, type PageText } from '../../../src/popup/lib/page-text';
import { parseBackupCodes } from '../../../src/core/codes';

/** The function as the browser injects it: from its source text, in the page's global scope. */
const injected = new Function(`return (${readPageText.toString()})`)() as typeof readPageText;
const read = (max = 1 << 20, ms = 2000): PageText => injected(max, ms);
const codesOf = (text: string) => parseBackupCodes(text, { site: 'example.com' }).codes.map((c) => c.code);

afterEach(() => {
  document.body.innerHTML = '';
  getSelection()?.removeAllRanges();
});

describe('readPageText (injected into the page)', () => {
  test('a grid of codes, each with a Copy button, reads as one code per line without the label', () => {
    // No whitespace between the code and its button: innerText would read "K7M2P9X4QDCopy".
    document.body.innerHTML = `<h1>Recovery codes</h1><div style="display:grid">${['K7M2P9X4QD', 'R3T8W6Z1JB']
      .map((code) => `<div><span>${code}</span><button>Copy</button></div>`)
      .join('')}</div>`;
    const { text, fromSelection } = read();
    expect(fromSelection).toBe(false);
    expect(text.split('\n').map((line) => line.trim())).toEqual(
      expect.arrayContaining(['K7M2P9X4QD', 'Copy', 'R3T8W6Z1JB']),
    );
    expect(text).not.toMatch(/QDCopy|QD ?Copy/);
    expect(codesOf(text)).toEqual(['K7M2P9X4QD', 'R3T8W6Z1JB']);
  });

  // The `hidden` attribute is the browser's style sheet, which happy-dom lacks: the e2e page checks it.
  test('leaves out hidden elements, scripts and styles; keeps a <pre> block’s lines', () => {
    document.body.innerHTML = `
      <p>Your codes</p>
      <div style="display:none">55556666</div>
      <span style="visibility:hidden">77778888</span>
      <script>var code = "99990000";</script>
      <style>.x::after { content: "12121212" }</style>
      <pre>8604 1927
4471 0358</pre>`;
    const { text } = read();
    expect(text).not.toMatch(/1111|5555|7777|9999|1212/);
    expect(text).toContain('8604 1927\n4471 0358');
    expect(codesOf(text)).toEqual(['8604 1927', '4471 0358']);
  });

  test('reads a list, a table row by row, and a read-only field, but never a password field', () => {
    document.body.innerHTML = `
      <ul><li>a1b2c-3d4e5</li><li>f6a7b-8c9d0</li></ul>
      <table><tr><td>0e1f2-a3b4c</td><td>unused</td></tr></table>
      <input type="text" readonly value="5d6e7-f8091">
      <input type="password" value="hunter2-secret">`;
    const { text } = read();
    expect(text).toMatch(/a1b2c-3d4e5\s*\n\s*f6a7b-8c9d0/);
    expect(codesOf(text)).toEqual(['a1b2c-3d4e5', 'f6a7b-8c9d0', '0e1f2-a3b4c', '5d6e7-f8091']);
    expect(text).toContain('5d6e7-f8091');
    expect(text).not.toContain('hunter2');
  });

  test('reads the children of a display: contents wrapper, and text as CSS capitalises it', () => {
    document.body.innerHTML = `
      <div style="display:contents"><p>k7m2p9x4qd</p></div>
      <p style="text-transform:uppercase">r3t8w6z1jb</p>`;
    expect(codesOf(read().text)).toEqual(['k7m2p9x4qd', 'R3T8W6Z1JB']);
  });

  test('reads an open shadow root as rendered: its own text, and light children where its slot puts them', () => {
    document.body.innerHTML = `<codes-card><p>0e1f2-a3b4c</p></codes-card>`;
    const host = document.querySelector('codes-card')!;
    host.attachShadow({ mode: 'open' }).innerHTML = `<p>a1b2c-3d4e5</p><slot></slot><p>f6a7b-8c9d0</p>`;
    expect(codesOf(read().text)).toEqual(['a1b2c-3d4e5', '0e1f2-a3b4c', 'f6a7b-8c9d0']);
  });

  test('with a selection, reads only what is selected', () => {
    document.body.innerHTML = `<ul id="old"><li>a1b2c-3d4e5</li><li>f6a7b-8c9d0</li></ul>
      <ul id="new"><li>0e1f2-a3b4c</li><li>5d6e7-f8091</li></ul>`;
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('new')!);
    getSelection()!.addRange(range);
    const { text, fromSelection } = read();
    expect(fromSelection).toBe(true);
    expect(codesOf(text)).toEqual(['0e1f2-a3b4c', '5d6e7-f8091']);
  });

  test('stops at the length and the time it is given', () => {
    document.body.innerHTML = `<pre>${'12345678\n'.repeat(1000)}</pre>`;
    expect(read(100).text.length).toBe(100);
    // A page built to stall the walk: many hidden nodes, then the text. Out of time, it stops short.
    document.body.innerHTML = `${'<i style="display:none"></i>'.repeat(5000)}<p>12345678</p>`;
    expect(read(1 << 20, 2000).text).toContain('12345678');
    expect(read(1 << 20, -1).text).toBe('');
  });
});
