/**
 * Issue 9 / design §5: zxcvbn (hundreds of KB with its dictionaries) is fetched only when a screen that sets a
 * master password shows, never with the locked popup's first paint.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { byId, mountPopup, unmountPopup, until } from './support';

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/popup/lib/password-rater', async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

afterEach(unmountPopup);

test('the locked popup does not load the rater; the create screen does', async () => {
  mountPopup('locked');
  await until(() => byId('unlock-password'), 'unlock screen');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(loads.count).toBe(0);
  unmountPopup();

  mountPopup('no-vault');
  await until(() => byId('create-password'), 'create screen');
  await until(() => loads.count === 1, 'the rater loaded');
});
