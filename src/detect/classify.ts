import {
  BACKUP_IDENT,
  BACKUP_TEXT,
  GENERIC_CODE_TEXT,
  GENERIC_IDENT,
  IDENTITY_IDENT,
  NEGATIVE_IDENT,
  NEGATIVE_TEXT,
  OTP_IDENT,
  OTP_TEXT,
  PASSWORD_RESET_TEXT,
} from './lexicon';
import { collectText, excerpt, newCollected, normaliseIdent, normaliseText, type TextBudget } from './text';
import type { Detection, DetectionKind, DetectorHints } from './types';
import { isUsable, isVisible } from './visibility';

type Field = HTMLInputElement | HTMLTextAreaElement;

/**
 * Weights. A field is returned when its evidence reaches RETURN_THRESHOLD; one strong own signal (a label
 * saying "Backup code") is enough, surrounding text alone is not (see docs/detection.md).
 */
const W = {
  ownTextBackup: 4,
  ownTextOtp: 3,
  identBackup: 3,
  identOtp: 2.5,
  classBackup: 1.5,
  classOtp: 1,
  autocompleteOtc: 2.5,
  generic: 1,
  describedBy: 2,
  heading: 2,
  near: [2, 1.5, 1] as const,
  actionsMentionCodes: 0.75,
  altMethodTilt: 1.5,
  title: 1,
  path: 0.5,
  pathHint: 1.5,
  shape: 0.75,
  splitBoxes: 2,
  soleField: 1,
  contextCap: 5,
  hint: 5,
  // against
  nearNegative: [1.5, 1, 0.5] as const,
  passwordReset: 3,
  passwordResetPage: 2,
  titleNegative: 1,
  newPasswordForm: 3,
  paymentForm: 4,
  loginForm: 1.5,
} as const;

const RETURN_THRESHOLD = 3;

const EXCLUDED_TYPES = new Set([
  'hidden',
  'checkbox',
  'radio',
  'submit',
  'button',
  'reset',
  'image',
  'file',
  'color',
  'date',
  'datetime-local',
  'month',
  'week',
  'time',
  'range',
  'email',
  'url',
  'search',
]);

/** Autocomplete tokens that name something else than a code; any of them rules the field out. */
const FOREIGN_AUTOCOMPLETE =
  /(?:^|\s)(?:cc-\S+|postal-code|address-\S+|street-address|country(?:-name)?|tel(?:-\S+)?|email|username|current-password|new-password|name|given-name|family-name|additional-name|nickname|honorific-\S+|bday(?:-\S+)?|organization(?:-title)?|sex|url|photo|language|transaction-\S+)(?:\s|$)/;

interface Band {
  text: string;
  backup: boolean;
  otp: boolean;
  negative: boolean;
  reset: boolean;
}

function band(raw: string): Band {
  const text = normaliseText(raw);
  if (!text) return { text, backup: false, otp: false, negative: false, reset: false };
  return {
    text,
    backup: BACKUP_TEXT.test(text),
    otp: OTP_TEXT.test(text),
    negative: NEGATIVE_TEXT.test(text),
    reset: PASSWORD_RESET_TEXT.test(text),
  };
}

function quoteMatch(text: string, re: RegExp): string {
  const m = re.exec(text);
  return `"${excerpt(text, m ? m.index : 0)}"`;
}

function textOf(el: Element | null, budget = 40): string {
  if (!el) return '';
  const out = newCollected();
  collectText(el, out, { nodes: budget, chars: 200 });
  return out.prose.concat(out.actions).join(' ');
}

function byIds(el: Element, attr: string): string {
  const ids = el.getAttribute(attr);
  if (!ids) return '';
  const root = el.getRootNode() as Document | ShadowRoot;
  if (typeof root.getElementById !== 'function') return '';
  return ids
    .split(/\s+/)
    .slice(0, 4)
    .map((id) => textOf(root.getElementById(id)))
    .join(' ');
}

interface OwnSignals {
  label: string;
  ariaLabel: string;
  placeholder: string;
  title: string;
  text: Band;
  ident: string;
  classes: string;
  autocomplete: string;
}

const LABEL_SEARCH_LEVELS = 4;

/**
 * The field's labels, looked for near the field only. `el.labels` would be simpler, but Chromium answers it by
 * walking the whole document (about 0.1 ms on a 5,000-node page) and a label sits next to its field in practice.
 */
function labelsOf(el: Field): Element[] {
  const found: Element[] = [];
  const wrapping = el.closest('label');
  if (wrapping) found.push(wrapping);
  if (!el.id) return found;
  // Every character a CSS string cannot hold as is (quote, backslash, line breaks) as a hex escape: a newline
  // left raw makes the selector invalid, and querySelector would throw for the whole scan.
  const selector = `label[for="${el.id.replace(/["\\\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"]`;
  let container: Element | null = el.parentElement;
  for (let level = 0; container && level < LABEL_SEARCH_LEVELS; level++) {
    const label = container.querySelector(selector);
    if (label) {
      if (label !== wrapping) found.push(label);
      break;
    }
    if (container.tagName === 'FORM') break;
    container = container.parentElement;
  }
  if (!container) {
    // Field at the top of a shadow root or a fragment: its root holds the label, if any.
    const root = el.getRootNode() as Document | ShadowRoot;
    const label = typeof root.querySelector === 'function' ? root.querySelector(selector) : null;
    if (label && label !== wrapping) found.push(label);
  }
  return found;
}

function ownSignals(el: Field, ownLabels: Element[]): OwnSignals {
  const labels: string[] = [];
  for (let i = 0; i < ownLabels.length && i < 3; i++) labels.push(textOf(ownLabels[i]!));
  const labelledBy = byIds(el, 'aria-labelledby');
  if (labelledBy) labels.push(labelledBy);
  const label = labels.join(' ').trim();
  const ariaLabel = el.getAttribute('aria-label') ?? '';
  const placeholder = el.getAttribute('placeholder') ?? '';
  const title = el.getAttribute('title') ?? '';
  const identParts = [
    el.getAttribute('name'),
    el.id,
    el.getAttribute('formcontrolname'),
    el.getAttribute('data-testid'),
    el.getAttribute('ng-model'),
    el.getAttribute('v-model'),
  ];
  return {
    label,
    ariaLabel,
    placeholder,
    title,
    text: band([label, ariaLabel, placeholder, title].filter(Boolean).join(' · ')),
    ident: normaliseIdent([...new Set(identParts.filter(Boolean))].join(' ')),
    classes: normaliseIdent((el.getAttribute('class') ?? '').slice(0, 200)),
    autocomplete: (el.getAttribute('autocomplete') ?? '').toLowerCase().trim(),
  };
}

function describeOwn(own: OwnSignals, re: RegExp): string {
  for (const [name, value] of [
    ['label', own.label],
    ['aria-label', own.ariaLabel],
    ['placeholder', own.placeholder],
    ['title', own.title],
  ] as const) {
    const norm = normaliseText(value);
    if (norm && re.test(norm)) return `${name}: "${excerpt(value)}"`;
  }
  return `label: "${excerpt(own.text.text)}"`;
}

function hintMatch(el: Field, hints: DetectorHints | undefined): string | null {
  if (!hints) return null;
  const name = el.getAttribute('name');
  if (name && hints.names?.includes(name)) return `site hint: name "${name}"`;
  if (el.id && hints.ids?.includes(el.id)) return `site hint: id "${el.id}"`;
  const placeholder = el.getAttribute('placeholder');
  if (placeholder && hints.placeholders?.some((p) => p.toLowerCase() === placeholder.toLowerCase()))
    return `site hint: placeholder "${placeholder}"`;
  return null;
}

function isTextLike(input: Element): boolean {
  if (input.tagName === 'TEXTAREA') return true;
  if (input.tagName !== 'INPUT') return false;
  const type = (input.getAttribute('type') ?? 'text').toLowerCase();
  return type === 'text' || type === 'tel' || type === 'number' || type === '' || type === 'password';
}

/** Split OTP: 4–12 one-character inputs sharing a nearby container. */
function splitGroup(el: Field): HTMLInputElement[] | null {
  if (el.tagName !== 'INPUT' || el.getAttribute('maxlength') !== '1') return null;
  let container = el.parentElement;
  for (let level = 0; level < 3 && container; level++) {
    const inputs = container.querySelectorAll('input');
    if (inputs.length > 24) return null;
    const boxes: HTMLInputElement[] = [];
    for (const input of inputs)
      if (input.getAttribute('maxlength') === '1' && isTextLike(input)) boxes.push(input);
    if (boxes.length >= 4) return boxes.length <= 12 ? boxes : null;
    container = container.parentElement;
  }
  return null;
}

interface Context {
  bands: Band[]; // near bands by distance: close, mid, far
  headings: Band;
  actions: Band;
  describedBy: Band;
  captchaNearby: boolean;
}

const MAX_LEVELS = 7;
const SIBLINGS_BEFORE = 6;
const SIBLINGS_AFTER = 4;

function parentOf(node: Node): Node | null {
  const parent = node.parentNode;
  if (parent && parent.nodeType === 11) return (parent as ShadowRoot).host ?? null;
  return parent;
}

/**
 * Text around the field, nearest first, with a fixed budget: siblings of the field and of its ancestors up to
 * the form (plus two levels, where prompts like "Enter one of your backup codes" often sit) or MAX_LEVELS.
 */
function gatherContext(el: Field, ownLabels: Element[]): Context {
  const budget: TextBudget = { nodes: 350, chars: 1600 };
  const near = [newCollected(), newCollected(), newCollected()];
  const headings: string[] = [];
  const actions: string[] = [];
  let captchaNearby = false;
  let node: Node = el;
  let levelsAfterForm = -1;
  for (let depth = 0; depth < MAX_LEVELS && budget.nodes > 0; depth++) {
    const parent = parentOf(node);
    if (!parent || parent.nodeType !== 1) break;
    const bucket = near[depth < 2 ? 0 : depth < 4 ? 1 : 2]!;
    const visit = (sib: Node) => {
      if (sib.nodeType === 1) {
        // The field's own labels were read already; counting them again as context would double their weight.
        if (ownLabels.includes(sib as Element)) return;
        if (!captchaNearby) captchaNearby = looksLikeCaptcha(sib as Element);
      }
      collectText(sib, bucket, budget);
    };
    let sib = node.previousSibling;
    for (let i = 0; sib && i < SIBLINGS_BEFORE; sib = sib.previousSibling, i++) visit(sib);
    sib = node.nextSibling;
    for (let i = 0; sib && i < SIBLINGS_AFTER; sib = sib.nextSibling, i++) visit(sib);
    const tag = (parent as Element).tagName;
    if (tag === 'BODY' || tag === 'HTML') break;
    if (levelsAfterForm < 0 && (tag === 'FORM' || (parent as Element).getAttribute('role') === 'dialog'))
      levelsAfterForm = 0;
    if (levelsAfterForm >= 0 && levelsAfterForm++ >= 2) break;
    node = parent;
  }
  for (const c of near) {
    headings.push(...c.headings);
    actions.push(...c.actions);
  }
  return {
    bands: near.map((c) => band(c.prose.join(' '))),
    headings: band(headings.filter(Boolean).join(' · ')),
    actions: band(actions.filter((a) => a.trim()).join(' · ')),
    describedBy: band(byIds(el, 'aria-describedby')),
    captchaNearby,
  };
}

function looksLikeCaptcha(el: Element): boolean {
  if (el.tagName === 'IMG')
    return /captcha/i.test((el.getAttribute('src') ?? '') + ' ' + (el.getAttribute('alt') ?? ''));
  return /captcha/i.test(el.getAttribute('class') ?? '') || /captcha/i.test(el.id);
}

interface FormFacts {
  soleField: boolean;
  newPassword: boolean;
  payment: boolean;
  login: boolean;
}

function formFacts(el: Field): FormFacts | null {
  const form = el.form;
  if (!form) return null;
  const elements = form.elements;
  let textLike = 0;
  let passwords = 0;
  let newPassword = false;
  let payment = false;
  let identity = false;
  for (let i = 0; i < elements.length && i < 60; i++) {
    const other = elements[i] as Element;
    if (other.tagName !== 'INPUT' && other.tagName !== 'TEXTAREA') continue;
    const type = (other.getAttribute('type') ?? 'text').toLowerCase();
    const autocomplete = (other.getAttribute('autocomplete') ?? '').toLowerCase();
    if (autocomplete.includes('new-password')) newPassword = true;
    if (autocomplete.includes('cc-')) payment = true;
    if (type === 'password') passwords++;
    if (type === 'email' || /username|email/.test(autocomplete)) identity = true;
    if (isTextLike(other) && type !== 'password' && other !== el) {
      if (IDENTITY_IDENT.test(normaliseIdent(`${other.getAttribute('name') ?? ''} ${other.id}`)))
        identity = true;
      textLike++;
    }
  }
  return {
    soleField: textLike === 0,
    newPassword: newPassword || passwords >= 2,
    payment,
    login: passwords >= 1 && identity,
  };
}

interface PageFacts {
  title: Band;
  path: Band;
  rawTitle: string;
  rawPath: string;
}

let lastPage: { key: string; facts: PageFacts } | null = null;

function pageFacts(doc: Document): PageFacts {
  const rawTitle = doc.title ?? '';
  let rawPath: string;
  try {
    rawPath = doc.location?.pathname ?? '';
  } catch {
    rawPath = '';
  }
  const key = rawTitle + '\n' + rawPath;
  if (lastPage?.key === key) return lastPage.facts;
  const facts = { title: band(rawTitle), path: band(rawPath.replace(/[/_.\-\d]+/g, ' ')), rawTitle, rawPath };
  lastPage = { key, facts };
  return facts;
}

function shapeHints(el: Field): { numericShort: boolean; longAlnum: boolean; describe: string } {
  const maxLength = el.getAttribute('maxlength') ? Number(el.getAttribute('maxlength')) : -1;
  const type = (el.getAttribute('type') ?? '').toLowerCase();
  const inputMode = (el.getAttribute('inputmode') ?? '').toLowerCase();
  const pattern = el.getAttribute('pattern') ?? '';
  const numeric =
    type === 'number' || type === 'tel' || inputMode === 'numeric' || /^\[?(?:0-9|\\d)\]?[*+{]/.test(pattern);
  const patternLength = /\{(\d+)(?:,(\d+))?\}/.exec(pattern);
  const longest = patternLength ? Number(patternLength[2] ?? patternLength[1]) : maxLength;
  const numericShort = numeric && longest >= 4 && longest <= 8;
  const longAlnum = !numeric && (longest >= 10 || /a-z|A-Z|\\w/.test(pattern)) && longest <= 64;
  const describe = numericShort
    ? `shape: numeric, ${longest} characters`
    : longAlnum
      ? `shape: letters and digits, up to ${longest} characters`
      : '';
  return { numericShort, longAlnum, describe };
}

/**
 * Classifies one input or textarea: a backup-code field, a one-time-code field, or null (anything else,
 * including hidden, disabled and read-only fields). Bounded work: the field, its labels, and the text of
 * its neighbourhood up to the enclosing form.
 */
export function classify(element: Element, hints?: DetectorHints): Detection | null {
  const tag = element.tagName;
  if (tag !== 'INPUT' && tag !== 'TEXTAREA') return null;
  const el = element as Field;
  const type = tag === 'INPUT' ? (el.getAttribute('type') ?? 'text').toLowerCase() : 'textarea';
  if (EXCLUDED_TYPES.has(type)) return null;
  if (!isUsable(el)) return null;

  const hint = hintMatch(el, hints);
  const ownLabels = labelsOf(el);
  const own = ownSignals(el, ownLabels);
  const identBackup = BACKUP_IDENT.test(own.ident);
  const identOtp = OTP_IDENT.test(own.ident);
  const identGeneric = GENERIC_IDENT.test(own.ident);
  const autocompleteOtc = /(?:^|\s)one-time-code(?:\s|$)/.test(own.autocomplete);
  const textGeneric = GENERIC_CODE_TEXT.test(own.text.text);
  const specificOwn = own.text.backup || own.text.otp || identBackup || identOtp;

  if (!hint) {
    if (FOREIGN_AUTOCOMPLETE.test(own.autocomplete) && !autocompleteOtc) return null;
    if (own.text.negative || own.text.reset) return null;
    if (NEGATIVE_IDENT.test(own.ident) && !specificOwn) return null;
    if (IDENTITY_IDENT.test(own.ident) && !specificOwn && !identGeneric && !textGeneric && !autocompleteOtc)
      return null;
    if (type === 'password' && !specificOwn) return null;
  }

  const group = splitGroup(el);
  const form = formFacts(el);
  const ownGate =
    Boolean(hint) || specificOwn || identGeneric || textGeneric || autocompleteOtc || group !== null;
  if (!ownGate && !form?.soleField) return null;
  if (!isVisible(el)) return null;

  const ctx = gatherContext(el, ownLabels);
  if (!hint && (ctx.describedBy.negative || ctx.captchaNearby)) return null;
  const page = pageFacts(el.ownerDocument);
  const shape = shapeHints(el);

  const reasons: Array<[number, string]> = [];
  let score = 0;
  let against = 0;
  let contextBackup = 0;
  let contextOtp = 0;
  const add = (weight: number, reason: string) => {
    score += weight;
    reasons.push([weight, reason]);
  };

  if (hint) add(W.hint, hint);
  if (own.text.backup) add(W.ownTextBackup, describeOwn(own, BACKUP_TEXT));
  if (own.text.otp) add(W.ownTextOtp, describeOwn(own, OTP_TEXT));
  if (identBackup || identOtp) {
    const weight = identBackup ? W.identBackup : W.identOtp;
    add(weight, `name/id: "${excerpt(own.ident)}"`);
  }
  if (!identBackup && BACKUP_IDENT.test(own.classes)) add(W.classBackup, `class: "${excerpt(own.classes)}"`);
  else if (!identOtp && OTP_IDENT.test(own.classes)) add(W.classOtp, `class: "${excerpt(own.classes)}"`);
  if (autocompleteOtc) add(W.autocompleteOtc, 'autocomplete="one-time-code"');
  if (!specificOwn && (identGeneric || textGeneric))
    add(W.generic, textGeneric ? `label: "${excerpt(own.text.text)}"` : `name/id: "${excerpt(own.ident)}"`);
  if (group) add(W.splitBoxes, `split into ${group.length} one-character boxes`);

  const contextAdd = (b: Band, weight: number, what: string) => {
    if (!b.text) return;
    if (b.backup) {
      contextBackup += weight;
      reasons.push([weight, `${what}: ${quoteMatch(b.text, BACKUP_TEXT)}`]);
    }
    if (b.otp) {
      contextOtp += weight;
      if (!b.backup) reasons.push([weight, `${what}: ${quoteMatch(b.text, OTP_TEXT)}`]);
    }
  };
  contextAdd(ctx.describedBy, W.describedBy, 'description');
  contextAdd(ctx.headings, W.heading, 'heading');
  ctx.bands.forEach((b, i) => contextAdd(b, W.near[i]!, 'nearby text'));
  contextAdd(page.title, W.title, 'page title');
  contextAdd(page.path, W.path, 'page path');
  if (hints?.pathPatterns?.some((re) => re.test(page.rawPath)))
    add(W.pathHint, `site hint: path "${page.rawPath}"`);
  score += Math.min(
    W.contextCap,
    Math.max(contextBackup, contextOtp) + Math.min(contextBackup, contextOtp) / 2,
  );

  // Links such as "Use a recovery code" offer the other method: they confirm a two-factor page and say
  // which kind this field is not.
  const altBackup = ctx.actions.backup;
  const altOtp = ctx.actions.otp && !ctx.actions.backup;
  if (altBackup || altOtp) {
    score += W.actionsMentionCodes;
    reasons.push([
      W.actionsMentionCodes,
      `other method offered: ${quoteMatch(ctx.actions.text, altBackup ? BACKUP_TEXT : OTP_TEXT)}`,
    ]);
  }
  if ((shape.numericShort || shape.longAlnum) && score > 0) add(W.shape, shape.describe);
  if (form?.soleField && score > 0) add(W.soleField, 'only text field in its form');

  // Evidence against.
  const negate = (weight: number, reason: string) => {
    against += weight;
    reasons.push([-weight, reason]);
  };
  ctx.bands.forEach((b, i) => {
    if (b.negative) negate(W.nearNegative[i]!, `against: nearby text ${quoteMatch(b.text, NEGATIVE_TEXT)}`);
    if (b.reset) negate(W.passwordReset, `against: nearby text ${quoteMatch(b.text, PASSWORD_RESET_TEXT)}`);
  });
  if (ctx.headings.reset)
    negate(W.passwordReset, `against: heading ${quoteMatch(ctx.headings.text, PASSWORD_RESET_TEXT)}`);
  if (ctx.headings.negative)
    negate(W.nearNegative[0], `against: heading ${quoteMatch(ctx.headings.text, NEGATIVE_TEXT)}`);
  if (page.title.negative) negate(W.titleNegative, `against: page title "${excerpt(page.rawTitle)}"`);
  if (page.title.reset) negate(W.passwordResetPage, `against: page title "${excerpt(page.rawTitle)}"`);
  if (form?.newPassword) negate(W.newPasswordForm, 'against: the form sets a new password');
  if (form?.payment) negate(W.paymentForm, 'against: payment form');
  if (form?.login && !specificOwn) negate(W.loginForm, 'against: username and password form');

  const total = score - against;
  if (!hint && total < RETURN_THRESHOLD) return null;
  // A field with no code wording of its own is returned only when a prompt right next to it asks for a
  // code and nothing around it talks of something else.
  if (!hint && !ownGate) {
    const close = ctx.bands[0]!;
    const prompted = close.backup || close.otp || ctx.describedBy.backup || ctx.describedBy.otp;
    if (!prompted || close.negative || ctx.headings.negative || page.title.negative) return null;
  }

  const kind = decideKind({
    hintKind: hint ? hints?.kind : undefined,
    ownBackup: own.text.backup,
    ownOtp: own.text.otp,
    identBackup,
    identOtp,
    contextBackup: contextBackup + (altOtp ? W.altMethodTilt : 0) + (shape.longAlnum ? 0.5 : 0),
    contextOtp: contextOtp + (altBackup ? W.altMethodTilt : 0) + (shape.numericShort || group ? 0.5 : 0),
  });

  reasons.sort((a, b) => b[0] - a[0]);
  return {
    element: el,
    kind,
    confidence: Math.min(0.99, Math.round((1 - Math.exp(-Math.max(total, 0.5) / 5)) * 100) / 100),
    reasons: reasons.map((r) => r[1]),
    ...(group ? { group } : {}),
  };
}

function decideKind(e: {
  hintKind: DetectionKind | undefined;
  ownBackup: boolean;
  ownOtp: boolean;
  identBackup: boolean;
  identOtp: boolean;
  contextBackup: number;
  contextOtp: number;
}): DetectionKind {
  if (e.hintKind) return e.hintKind;
  // A field labelled for both ("Authenticator or recovery code") is an OTP field that takes backup codes.
  if (e.ownBackup) return e.ownOtp ? 'one-time-code' : 'backup-code';
  if (e.ownOtp) return 'one-time-code';
  if (e.identBackup) return 'backup-code';
  return e.contextBackup > e.contextOtp + (e.identOtp ? 1 : 0) ? 'backup-code' : 'one-time-code';
}
