/**
 * Issue 9, the vault forms and settings: errors go when their cause does (and aria-invalid with them), helper
 * texts are tied to their fields, the first-run screen restores a backup, settings open one section at a time
 * with Escape going back one level, auto-lock offers presets, and errors are Spare's translated words.
 */
import { flushSync } from 'svelte';
import { afterEach, describe, expect, test } from 'vitest';
import { SpareError } from '../../../src/core/errors';
import { errorMessage } from '../../../src/popup/lib/errors';
import type { PageRequest } from '../../../src/messaging';
import {
  alerts,
  button,
  byId,
  chooseFile,
  mountPopup,
  press,
  submit,
  type,
  unmountPopup,
  until,
} from './support';

afterEach(unmountPopup);

const BACKUP_TEXT = '{"format":"spare-backup","version":1}';

describe('the first-run screen', () => {
  test('focuses the master password and ties the strength meter to it', async () => {
    const { root } = mountPopup('no-vault');
    const field = await until(() => byId('create-password'), 'create screen');
    expect(document.activeElement).toBe(field);
    expect(field.getAttribute('aria-describedby')).toBe('create-strength');
    expect(button(root, 'Create vault')).toBeDefined();
  });

  test('"too weak" goes once the password changes, and aria-invalid with it', async () => {
    const { root } = mountPopup('no-vault');
    const field = await until(() => byId('create-password'), 'create screen');
    type(field, 'password123');
    type(byId('create-confirm')!, 'password123');
    submit(root.querySelector('form')!);
    await until(() => alerts(root).find((a) => a.includes('too weak')), 'the refusal');
    expect(alerts(root)).toEqual(['This master password is too weak. This is a very common password.']);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe('create-password-error create-strength');

    type(field, 'lantern-quiet-orbit-mango');
    expect(alerts(root)).toEqual([]);
    expect(field.hasAttribute('aria-invalid')).toBe(false);
    expect(field.getAttribute('aria-describedby')).toBe('create-strength');
    await until(() => root.textContent?.includes('Strength: strong'), 'the new rating');
  });

  test('"do not match" goes when either password changes', async () => {
    const { root } = mountPopup('no-vault');
    const field = await until(() => byId('create-password'), 'create screen');
    const confirm = byId('create-confirm')!;
    type(field, 'lantern-quiet-orbit-mango');
    type(confirm, 'lantern-quiet-orbit-mangO');
    submit(root.querySelector('form')!);
    await until(() => alerts(root).includes('The two passwords do not match.'), 'the mismatch');
    expect(confirm.getAttribute('aria-invalid')).toBe('true');
    type(confirm, 'lantern-quiet-orbit-mango');
    expect(alerts(root)).toEqual([]);
    expect(confirm.hasAttribute('aria-invalid')).toBe(false);
  });

  test('says why a password is weak next to the meter', async () => {
    mountPopup('no-vault');
    const field = await until(() => byId('create-password'), 'create screen');
    type(field, 'abcdefghijkl');
    const meter = await until(
      () => (byId('create-strength')?.textContent?.includes('Strength') ? byId('create-strength') : null),
      'a rating',
    );
    expect(meter!.textContent).toContain('Strength: weak');
    expect(meter!.textContent).toContain('Sequences like “abc” or “123” are easy to guess.');
  });

  test('offers "Restore from a backup"; the restore creates the vault with the backup’s password', async () => {
    let answerRestore: (request: PageRequest) => unknown = () => {
      throw new SpareError('wrong-password', 'Wrong password for this backup file.');
    };
    const { root, requests } = mountPopup('no-vault', (request) =>
      request.type === 'create-vault-from-backup' ? answerRestore(request) : undefined,
    );
    await until(() => byId('create-password'), 'create screen');
    button(root, 'Restore from a backup')!.click();
    flushSync();
    const file = await until(() => byId('first-restore-file'), 'the restore form');
    expect(document.activeElement).toBe(file);
    expect(root.querySelector('h1')!.textContent).toBe('Restore from a backup');
    // No master password to invent here.
    expect(byId('create-password')).toBeNull();

    const password = byId('first-restore-password')!;
    expect(password.getAttribute('aria-describedby')).toBe('first-restore-password-hint');
    chooseFile(file, 'spare-backup-2026-11-20.spare', BACKUP_TEXT);
    type(password, 'not the password');
    submit(root.querySelector('form')!);
    await until(() => alerts(root).includes('Wrong password for this backup file.'), 'the refusal');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(requests).toContainEqual({
      type: 'create-vault-from-backup',
      text: BACKUP_TEXT,
      password: 'not the password',
    });
    type(password, 'pebble harbour violet cedar');
    expect(alerts(root)).toEqual([]);
    expect(password.hasAttribute('aria-invalid')).toBe(false);

    answerRestore = () => {
      throw new SpareError('backup-unknown-format', 'This file is not a Spare backup. (background English)');
    };
    submit(root.querySelector('form')!);
    await until(() => alerts(root).length > 0, 'the file refusal');
    expect(alerts(root)).toEqual([
      'This file is not a Spare backup Spare can read. Pick a file you exported from Spare ' +
        '(spare-backup-….spare); a backup from a newer Spare needs Spare to be updated first.',
    ]);
    expect(file.getAttribute('aria-invalid')).toBe('true');
    chooseFile(file, 'spare-backup-2026-11-21.spare', BACKUP_TEXT);
    expect(alerts(root)).toEqual([]);
    expect(file.hasAttribute('aria-invalid')).toBe(false);

    answerRestore = () => ({
      state: 'unlocked',
      result: { accountsAdded: 2, accountsUpdated: 0, codesAdded: 20 },
    });
    submit(root.querySelector('form')!);
    await until(() => root.textContent?.includes('Restored 2 accounts.'), 'the list with a notice');
  });

  test('Escape (or the back button) leaves the restore form for the create form', async () => {
    const { root } = mountPopup('no-vault');
    await until(() => byId('create-password'), 'create screen');
    button(root, 'Restore from a backup')!.click();
    flushSync();
    await until(() => byId('first-restore-file'), 'the restore form');
    press('Escape');
    await until(() => byId('create-password'), 'the create form again');
    await until(() => document.activeElement === button(root, 'Restore from a backup'), 'focus back');
  });
});

describe('the unlock screen', () => {
  test('an error goes when the password is changed', async () => {
    const { root } = mountPopup('locked', (request) => {
      if (request.type === 'unlock') throw new SpareError('wrong-password', 'Wrong password.');
      return undefined;
    });
    const field = await until(() => byId('unlock-password'), 'unlock screen');
    expect(document.activeElement).toBe(field);
    submit(root.querySelector('form')!);
    expect(alerts(root)).toEqual(['Enter your master password.']);
    type(field, 'x');
    expect(alerts(root)).toEqual([]);
    submit(root.querySelector('form')!);
    await until(() => alerts(root).includes('Wrong password. Try again.'), 'the refusal');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    type(field, 'xy');
    expect(alerts(root)).toEqual([]);
    expect(field.hasAttribute('aria-invalid')).toBe(false);
  });
});

async function openSettings(answer?: (request: PageRequest) => unknown) {
  const mounted = mountPopup('unlocked', answer);
  await until(() => mounted.app.screen.name === 'main', 'the list');
  mounted.app.go({ name: 'settings' });
  await until(() => byId('settings-title'), 'settings');
  return mounted;
}

const summary = (id: string) => byId(`${id}-title`)!;

describe('settings', () => {
  test('sections open one at a time, each focusing its first field', async () => {
    const { root } = await openSettings();
    const titles = Array.from(root.querySelectorAll('summary'), (s) => s.textContent?.trim());
    expect(titles).toEqual([
      'Auto-lock',
      'Export backup',
      'Restore backup',
      'Print or save codes',
      'Import plain JSON',
      'Import from a password manager',
      'Sync with this browser’s account',
      'Change master password',
    ]);
    expect(root.querySelectorAll('details[open]')).toHaveLength(0);
    expect(button(root, 'Export backup')).toBeUndefined();

    summary('export').click();
    await until(() => document.activeElement === byId('export-password'), 'export focused');
    expect(button(root, 'Export backup')).toBeDefined();
    expect(byId('export-password')!.getAttribute('aria-describedby')).toBe('export-hint');

    summary('restore').click();
    await until(() => document.activeElement === byId('restore-file'), 'restore focused');
    expect(root.querySelectorAll('details[open]')).toHaveLength(1);
    expect(button(root, 'Export backup')).toBeUndefined();
    expect(button(root, 'Restore backup')).toBeDefined();

    summary('change').click();
    await until(() => document.activeElement === byId('change-old'), 'change focused');
  });

  test('Escape closes the open section (focus on its title), then leaves settings', async () => {
    const { app } = await openSettings();
    summary('print').click();
    await until(() => document.activeElement === byId('print-password'), 'print focused');
    press('Escape');
    expect(document.querySelectorAll('details[open]')).toHaveLength(0);
    await until(() => document.activeElement === summary('print'), 'focus on the title');
    expect(app.screen.name).toBe('settings');
    press('Escape');
    expect(app.screen.name).toBe('main');
  });

  test('auto-lock offers 1, 5, 15, 60 minutes and "when the browser restarts", saved on choice', async () => {
    const { root, requests } = await openSettings((request) =>
      request.type === 'update-settings' ? { autoLockMinutes: request.settings.autoLockMinutes } : undefined,
    );
    summary('autolock').click();
    const radios = await until(() => {
      const found = Array.from(root.querySelectorAll<HTMLInputElement>('input[name="autolock"]'));
      return found.length && !found[0]!.disabled ? found : null;
    }, 'the presets');
    const labels = radios.map((r) => r.closest('label')!.textContent!.trim());
    expect(labels).toEqual([
      'After 1 minute without use',
      'After 5 minutes without use',
      'After 15 minutes without use',
      'After 60 minutes without use',
      'When the browser restarts',
    ]);
    expect(radios.filter((r) => r.checked).map((r) => r.value)).toEqual(['15']);
    expect(root.querySelector('input[type="number"]')).toBeNull();
    expect(root.querySelector('fieldset')!.getAttribute('aria-describedby')).toBe('autolock-hint');

    radios[4]!.click();
    await until(() => root.textContent?.includes('until the browser restarts'), 'saved');
    expect(requests).toContainEqual({ type: 'update-settings', settings: { autoLockMinutes: 0 } });
    radios[0]!.click();
    await until(() => root.textContent?.includes('Spare now locks after 1 minute without use.'), 'saved');
  });

  test('restore: a file error goes when another file is picked, a password error when it is retyped', async () => {
    let failure = new SpareError('backup-truncated', 'background English');
    const { root } = await openSettings((request) => {
      if (request.type === 'restore-backup') throw failure;
      return undefined;
    });
    summary('restore').click();
    const file = await until(() => byId('restore-file'), 'restore form');
    const form = file.closest('form')!;
    submit(form);
    expect(alerts(root)).toEqual(['Choose the backup file first.']);
    chooseFile(file, 'spare-backup.spare', BACKUP_TEXT);
    expect(alerts(root)).toEqual([]);
    type(byId('restore-password')!, 'some password');
    submit(form);
    await until(() => alerts(root).length > 0, 'the refusal');
    expect(alerts(root)[0]).toMatch(/^This backup file is incomplete/);
    expect(file.getAttribute('aria-invalid')).toBe('true');
    chooseFile(file, 'spare-backup-other.spare', BACKUP_TEXT);
    expect(alerts(root)).toEqual([]);
    expect(file.hasAttribute('aria-invalid')).toBe(false);

    failure = new SpareError('wrong-password', 'Wrong password for this backup file.');
    submit(form);
    await until(() => alerts(root).includes('Wrong password for this backup file.'), 'the refusal');
    const password = byId('restore-password')!;
    expect(password.getAttribute('aria-invalid')).toBe('true');
    type(password, 'another password');
    expect(alerts(root)).toEqual([]);
    expect(password.hasAttribute('aria-invalid')).toBe(false);
  });

  test('import plain JSON: the error goes when another file is picked', async () => {
    const { root } = await openSettings((request) => {
      if (request.type === 'import-plain') throw new SpareError('plain-invalid', 'background English');
      return undefined;
    });
    summary('plain').click();
    const file = await until(() => byId('plain-file'), 'import form');
    chooseFile(file, 'codes.json', '{"not":"plain"}');
    submit(file.closest('form')!);
    await until(() => alerts(root).length > 0, 'the refusal');
    expect(alerts(root)[0]).toMatch(/^This file is not a plain export of Spare accounts/);
    chooseFile(file, 'spare-plain.json', '{}');
    expect(alerts(root)).toEqual([]);
  });

  test('change password: "the same as the current one" goes when the new one changes', async () => {
    const { root } = await openSettings();
    summary('change').click();
    const current = await until(() => byId('change-old'), 'change form');
    type(current, 'lantern-quiet-orbit-mango');
    type(byId('change-password')!, 'lantern-quiet-orbit-mango');
    type(byId('change-confirm')!, 'lantern-quiet-orbit-mango');
    submit(current.closest('form')!);
    await until(() => alerts(root).includes('The new password is the same as the current one.'), 'refusal');
    const field = byId('change-password')!;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    type(field, 'pebble-harbour-violet-cedar');
    expect(alerts(root)).toEqual([]);
    expect(field.hasAttribute('aria-invalid')).toBe(false);
  });

  test('export: the password error goes when it is retyped', async () => {
    const { root } = await openSettings((request) => {
      if (request.type === 'export-backup') throw new SpareError('wrong-password', 'Wrong password.');
      return undefined;
    });
    summary('export').click();
    const field = await until(() => byId('export-password'), 'export form');
    type(field, 'nope');
    submit(field.closest('form')!);
    await until(() => alerts(root).includes('Wrong master password.'), 'refusal');
    type(field, 'nope again');
    expect(alerts(root)).toEqual([]);
  });
});

describe('error texts', () => {
  test('come from the error code in Spare’s words, not from the background’s message', () => {
    const foreign = new SpareError('backup-unknown-format', 'no "format" field');
    expect(errorMessage(foreign)).toMatch(/^This file is not a Spare backup Spare can read\. Pick a file/);
    expect(errorMessage(foreign)).not.toContain('format"');
    expect(errorMessage(new SpareError('plain-invalid', 'format is missing'))).not.toContain('missing');
    expect(errorMessage(new SpareError('forbidden-sender', 'internal'))).toBe(
      'Something unexpected went wrong. Try again.',
    );
    expect(errorMessage(new Error('boom'))).toBe('Something unexpected went wrong. Try again.');
  });
});
