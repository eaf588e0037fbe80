import { beforeEach, describe, expect, test } from 'vitest';
import { fillCode, sameCode, valueFor } from '../../../src/content/fill';
import { containerOf, isSubmitOf } from '../../../src/content/submit';

beforeEach(() => {
  document.body.innerHTML = '';
});

function input(attrs: string): HTMLInputElement {
  document.body.innerHTML = `<form><input id="f" ${attrs}><button type="submit">Go</button></form>`;
  return document.getElementById('f') as HTMLInputElement;
}

describe('valueFor: the form of a code that the field takes', () => {
  test('as the site shows it when that fits', () => {
    expect(valueFor(input('type="text"'), '1234 5678')).toBe('1234 5678');
  });
  test('without separators when maxlength would cut it', () => {
    expect(valueFor(input('maxlength="8"'), '1234 5678')).toBe('12345678');
    expect(valueFor(input('maxlength="10"'), 'abcde-12345')).toBe('abcde12345');
  });
  test('without separators when the pattern refuses them', () => {
    expect(valueFor(input('pattern="[0-9]*"'), '1234 5678')).toBe('12345678');
  });
  test('an invalid pattern is ignored, as the browser ignores it', () => {
    expect(valueFor(input('pattern="[0-9"'), '1234 5678')).toBe('1234 5678');
  });
  test('cut to maxlength when even the bare code is too long', () => {
    expect(valueFor(input('maxlength="6"'), '1234 5678')).toBe('123456');
  });
});

describe('fillCode: the one fill path', () => {
  test('sets the value and fires input then change, bubbling, so frameworks see it', () => {
    const field = input('type="text"');
    const seen: string[] = [];
    document.addEventListener('input', (e) => seen.push(`${e.type}:${(e.target as HTMLInputElement).value}`));
    document.addEventListener('change', (e) =>
      seen.push(`${e.type}:${(e.target as HTMLInputElement).value}`),
    );
    expect(fillCode({ element: field }, '1234 5678')).toBe('1234 5678');
    expect(seen).toEqual(['input:1234 5678', 'change:1234 5678']);
  });

  test('goes through the prototype setter, past an own `value` property a framework installed', () => {
    const field = input('type="text"');
    // React's value tracker shadows `value` on the instance; a plain assignment would only update the tracker.
    let tracked = '';
    Object.defineProperty(field, 'value', {
      configurable: true,
      get: () => tracked,
      set: (v: string) => (tracked = v),
    });
    fillCode({ element: field }, '1234 5678');
    const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.get!.call(field);
    expect(native).toBe('1234 5678');
    expect(tracked).toBe('');
  });

  test('split one-character boxes get one character each', () => {
    document.body.innerHTML = Array.from({ length: 6 }, (_, i) => `<input id="b${i}" maxlength="1">`).join(
      '',
    );
    const boxes = [...document.querySelectorAll('input')];
    expect(fillCode({ element: boxes[0]!, group: boxes }, '123 456')).toBe('123456');
    expect(boxes.map((b) => b.value)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  test('sameCode ignores separators and case, never matches an empty field', () => {
    expect(sameCode('1234 5678', '12345678')).toBe(true);
    expect(sameCode('ABCDE-12345', 'abcde12345')).toBe(true);
    expect(sameCode('', '')).toBe(false);
    expect(sameCode('1234 5679', '12345678')).toBe(false);
  });
});

describe('isSubmitOf: what crosses a filled code off', () => {
  const click = (el: Element) => {
    const event = new MouseEvent('click', { bubbles: true, composed: true });
    let result = false;
    const field = document.getElementById('f') as HTMLInputElement;
    document.addEventListener('click', (e) => (result = isSubmitOf(e, field)), { once: true, capture: true });
    el.dispatchEvent(event);
    return result;
  };

  test('a form submit, and Enter in the field', () => {
    const field = input('type="text"');
    const submit = new Event('submit', { bubbles: true, composed: true });
    let seen = false;
    document.addEventListener('submit', (e) => (seen = isSubmitOf(e, field)), { once: true, capture: true });
    field.form!.dispatchEvent(submit);
    expect(seen).toBe(true);
    let enter = false;
    document.addEventListener('keydown', (e) => (enter = isSubmitOf(e, field)), {
      once: true,
      capture: true,
    });
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(enter).toBe(true);
    let other = true;
    document.addEventListener('keydown', (e) => (other = isSubmitOf(e, field)), {
      once: true,
      capture: true,
    });
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true, composed: true }));
    expect(other).toBe(false);
  });

  test('a type=button button in the same container (Instagram), but not a button elsewhere', () => {
    document.body.innerHTML = `
      <div id="card"><label>Security code <input id="f"></label>
        <div><button type="button" id="confirm">Confirm</button></div></div>
      <nav><button type="button" id="menu">Menu</button></nav>`;
    const field = document.getElementById('f') as HTMLInputElement;
    expect(containerOf(field)?.id).toBe('card');
    expect(click(document.getElementById('confirm')!)).toBe(true);
    expect(click(document.getElementById('menu')!)).toBe(false);
  });

  test('a click on a text inside the submit button counts; a click on plain text does not', () => {
    document.body.innerHTML = `<form><input id="f"><p id="text">Help</p><button><span id="inner">Verify</span></button></form>`;
    expect(click(document.getElementById('inner')!)).toBe(true);
    expect(click(document.getElementById('text')!)).toBe(false);
  });
});
