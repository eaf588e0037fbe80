/**
 * What counts as submitting the field that holds a filled code (design §4.6): a form submit, Enter's key-down
 * in the field, or a click on a submit control or on any button of the same form or container, `type=button`
 * buttons included (Instagram submits with one). The key-up of the Enter that filled the code is not a submit.
 */
import type { CodeField } from './fields';

const BUTTON_SELECTOR =
  'button, input[type="submit" i], input[type="button" i], input[type="image" i], [role="button"]';
/** How far up from the field a "container" may reach: far enough for a card, not the whole page. */
const CONTAINER_LEVELS = 6;

function isButton(el: unknown): el is Element {
  return el instanceof Element && el.matches(BUTTON_SELECTOR);
}

/** The nearest ancestor of the field that also holds a button: the field's card or form row. */
export function containerOf(field: CodeField): Element | null {
  let node: Element | null = field.parentElement;
  for (let level = 0; node && level < CONTAINER_LEVELS; level++, node = node.parentElement) {
    if (node === field.ownerDocument.body || node === field.ownerDocument.documentElement) return null;
    if (node.querySelector(BUTTON_SELECTOR)) return node;
  }
  return null;
}

export function isSubmitOf(event: Event, field: CodeField): boolean {
  const path = event.composedPath();
  switch (event.type) {
    case 'submit': {
      const form = path[0];
      return form instanceof HTMLFormElement && (field.form === form || form.contains(field));
    }
    case 'keydown': {
      const key = event as KeyboardEvent;
      return key.key === 'Enter' && !key.isComposing && path[0] === field;
    }
    case 'click': {
      const control = path.find(isButton);
      if (!control) return false;
      if (field.form && (control as HTMLButtonElement).form === field.form) return true;
      const container = containerOf(field);
      return container !== null && container.contains(control);
    }
    default:
      return false;
  }
}
