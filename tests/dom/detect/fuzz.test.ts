/**
 * The detector under generated pages (issue 8): `scan` and `classify`, the entry points the offer runtime and
 * the standalone detector use, never throw and always answer in the contract's shape (design §4.3), whatever
 * the page: random nesting, inputs with random attributes, labels and ARIA references, open and closed shadow
 * roots, ids with newlines and quotes, huge text. The slowest pages are printed for the report.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classify, scan, type Detection } from '../../../src/detect';

const RUNS = Number(process.env.SPARE_FUZZ_RUNS ?? 10_000);
const SEED = process.env.SPARE_FUZZ_SEED === undefined ? undefined : Number(process.env.SPARE_FUZZ_SEED);

// Built once: fast-check would spend the run making them otherwise.
const HUGE = [
  'Backup code '.repeat(10_000),
  'x'.repeat(100_000),
  '验证码'.repeat(30_000),
  ' \n\t'.repeat(30_000),
];

const WORDS = [
  'Backup code',
  'Recovery code',
  'Enter the 6-digit code',
  'Verification code',
  'One-time password',
  'Code de secours',
  'Wiederherstellungscode',
  'Резервный код',
  '백업 코드',
  '验证码',
  'Password',
  'Email',
  'Coupon code',
  'Search',
  'otp',
  'user[otp_attempt]',
  'recoveryCode',
  'backup_code',
  'one-time-code',
  'cc-number',
  '',
];
/** Ids a page may use: with newlines, quotes, backslashes, selectors' special characters, and the words. */
const IDS = ['f', 'a\nb', 'a"b', "a'b", 'a\\b', 'a]b', '#f', 'f f', '', ' ', '\u0000', '-1', '1', 'a\r\fb'];

const text = fc.oneof(
  { weight: 25, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 15, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
);
const id = fc.oneof(fc.constantFrom(...IDS), text);

const ATTRIBUTES: Record<string, fc.Arbitrary<string>> = {
  id,
  name: text,
  class: text,
  type: fc.constantFrom(
    'text',
    'tel',
    'number',
    'password',
    'email',
    'hidden',
    'search',
    'TEXT',
    'bogus',
    '',
  ),
  autocomplete: fc.oneof(
    fc.constantFrom('one-time-code', 'off', 'cc-number', 'username', 'section-x one-time-code'),
    text,
  ),
  inputmode: fc.constantFrom('numeric', 'text', 'decimal', ''),
  maxlength: fc.oneof(fc.constantFrom('6', '8', '10', '-1', '1e9', 'abc', ''), fc.integer().map(String)),
  minlength: fc.integer().map(String),
  pattern: fc.oneof(
    fc.constantFrom(
      '[0-9]*',
      '\\d{6}',
      '[0-9]{4,8}',
      '[a-zA-Z0-9]{10,16}',
      '(',
      '{99999999999999999999}',
      '\\w+',
    ),
    text,
  ),
  placeholder: text,
  title: text,
  'aria-label': text,
  'aria-labelledby': fc.array(id, { maxLength: 4 }).map((ids) => ids.join(' ')),
  'aria-describedby': fc.array(id, { maxLength: 4 }).map((ids) => ids.join(' ')),
  'aria-hidden': fc.constantFrom('true', 'false'),
  for: id,
  style: fc.constantFrom(
    'display:none',
    'visibility:hidden',
    'opacity:0',
    'position:absolute;left:-9999px',
    'width:0',
    '',
  ),
  hidden: fc.constant(''),
  disabled: fc.constant(''),
  readonly: fc.constant(''),
  value: text,
  'data-testid': text,
};

type Tree =
  | { kind: 'text'; text: string }
  | {
      kind: 'element';
      tag: string;
      attributes: [string, string][];
      shadow: 'open' | 'closed' | null;
      children: Tree[];
    };

const TAGS = [
  'div',
  'span',
  'form',
  'label',
  'p',
  'fieldset',
  'section',
  'input',
  'input',
  'input',
  'textarea',
  'button',
  'h2',
  'legend',
  'td',
];
const SHADOW_HOSTS = new Set(['div', 'span', 'section', 'p']);

const attributes = fc
  .uniqueArray(fc.constantFrom(...Object.keys(ATTRIBUTES)), { maxLength: 8 })
  .chain((names) =>
    fc.tuple(...names.map((name) => ATTRIBUTES[name]!.map((value): [string, string] => [name, value]))),
  );

const { tree } = fc.letrec<{ tree: Tree; node: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('text' as const), text }),
    tie('node'),
  ),
  node: fc.record({
    kind: fc.constant('element' as const),
    tag: fc.constantFrom(...TAGS),
    attributes,
    shadow: fc.constantFrom<'open' | 'closed' | null>(null, null, null, 'open', 'closed'),
    children: fc.array(tie('tree'), { maxLength: 4 }),
  }),
}));

/** Builds the tree under `parent`; attributes the DOM refuses are left out, as a browser's parser would. */
function build(parent: Node, node: Tree): void {
  const doc = parent.ownerDocument ?? (parent as Document);
  if (node.kind === 'text') {
    parent.appendChild(doc.createTextNode(node.text));
    return;
  }
  const el = doc.createElement(node.tag);
  for (const [name, value] of node.attributes) {
    // happy-dom lists a form's elements with an unescaped `[form="…"]` selector and throws on a quote or a
    // backslash in the form's id; browsers do not. Other elements keep such ids.
    if (node.tag === 'form' && name === 'id' && /["\\]/.test(value)) continue;
    el.setAttribute(name, value);
  }
  parent.appendChild(el);
  const host = node.shadow && SHADOW_HOSTS.has(node.tag) ? el.attachShadow({ mode: node.shadow }) : null;
  // Children go into the shadow root when there is one, and half of them also into the light DOM.
  node.children.forEach((child, i) => build(host && i % 2 === 0 ? host : el, child));
}

function checkShape(detections: Detection[], roots: Node[]): void {
  for (const d of detections) {
    expect(['backup-code', 'one-time-code']).toContain(d.kind);
    expect(d.confidence).toBeGreaterThanOrEqual(0);
    expect(d.confidence).toBeLessThanOrEqual(1);
    expect(d.reasons.every((reason) => typeof reason === 'string')).toBe(true);
    expect(['INPUT', 'TEXTAREA']).toContain(d.element.tagName);
    expect(roots.some((root) => root.contains(d.element) || d.element.getRootNode() !== document)).toBe(true);
  }
}

const slowest: { ms: number; html: string }[] = [];

beforeAll(() => {
  // happy-dom has no popover API; the detector does not use it, but keep the page like the others.
  document.title = 'Two-factor authentication';
});

afterAll(() => {
  slowest.sort((a, b) => b.ms - a.ms);
  console.info(
    'slowest generated pages (scan + classify of every element):\n' +
      slowest
        .slice(0, 5)
        .map(({ ms, html }) => `${ms.toFixed(1)} ms  ${html}`)
        .join('\n'),
  );
});

describe('the detector never throws on generated pages', () => {
  test(`${RUNS} pages through scan and classify`, () => {
    const root = document.body;
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), (trees) => {
        root.replaceChildren();
        for (const t of trees) build(root, t);
        const started = performance.now();
        const found = scan(document);
        checkShape(found, [root]);
        for (const el of Array.from(root.querySelectorAll('*'))) {
          const detection = classify(el);
          if (detection) checkShape([detection], [root]);
          if (el.shadowRoot) checkShape(scan(el.shadowRoot), [el.shadowRoot]);
        }
        const ms = performance.now() - started;
        if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
          const html = root.innerHTML.replace(
            /(.)\1{20,}/gs,
            (run, c: string) => `${c.repeat(3)}…(×${run.length})`,
          );
          slowest.push({ ms, html: html.length > 300 ? `${html.slice(0, 300)}…` : html });
          slowest.sort((a, b) => b.ms - a.ms).splice(5);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});
