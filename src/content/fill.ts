/**
 * The one fill path: every code Spare puts into a page goes through `fillCode`. It sets the value with the
 * element's native setter and fires `input` and `change`, which React, Vue and Angular controlled inputs
 * accept (a plain `el.value = …` is undone by React on its next render). It respects `maxlength` and
 * `pattern`, and fills split one-character boxes one character each.
 */
import type { CodeField } from './fields';

/** Separators a site prints inside its codes ("1234 5678", "abcde-12345"). */
const SEPARATORS = /[\s\-‐-―·]/g;

function nativeSetValue(field: CodeField, value: string): void {
  const proto =
    field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(field, value);
  else field.value = value;
}

function announce(field: CodeField): void {
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Does `value` satisfy the field's `maxlength` and `pattern` (as the browser would check them)? */
export function fits(field: CodeField, value: string): boolean {
  const max = field.maxLength;
  if (max >= 0 && value.length > max) return false;
  const pattern = field.getAttribute('pattern');
  if (pattern && field instanceof HTMLInputElement) {
    try {
      if (!new RegExp(`^(?:${pattern})$`, 'v').test(value)) return false;
    } catch {
      // An invalid pattern is ignored by the browser too.
    }
  }
  return true;
}

/**
 * The form of the code to type into this field: as the site shows it when that fits, else without its
 * separators (an 8-character box for "1234 5678"), else cut to `maxlength` as a browser would.
 */
export function valueFor(field: CodeField, code: string): string {
  if (fits(field, code)) return code;
  const bare = code.replace(SEPARATORS, '');
  if (fits(field, bare)) return bare;
  return field.maxLength >= 0 ? bare.slice(0, field.maxLength) : bare;
}

/**
 * Fills `code` into a field, or into a group of one-character boxes. Returns the text now in the field (the
 * group's characters joined), which submit tracking compares with what the page submits.
 */
export function fillCode(target: { element: CodeField; group?: HTMLInputElement[] }, code: string): string {
  const boxes = target.group;
  if (boxes && boxes.length > 1) {
    const chars = [...code.replace(SEPARATORS, '')];
    boxes.forEach((box, i) => {
      box.focus();
      nativeSetValue(box, chars[i] ?? '');
      announce(box);
    });
    return chars.slice(0, boxes.length).join('');
  }
  const field = target.element;
  const value = valueFor(field, code);
  field.focus();
  nativeSetValue(field, value);
  announce(field);
  return value;
}

/** What the page will see of a code, compared without separators and case. */
export function sameCode(a: string, b: string): boolean {
  const bare = (s: string) => s.replace(SEPARATORS, '').toLowerCase();
  return bare(a) !== '' && bare(a) === bare(b);
}
