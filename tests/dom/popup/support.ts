/** Mounting the popup with a fake platform, and driving its fields as a person would (component tests). */
import { flushSync, mount, unmount } from 'svelte';
import { vi } from 'vitest';
import App from '../../../src/popup/App.svelte';
import { PopupApp } from '../../../src/popup/state/app.svelte';
import type { Account, AccountSummary } from '../../../src/core/vault/model';
import type { PageRequest } from '../../../src/messaging';
import type { ActiveTabText, PopupPlatform } from '../../../src/popup/platform';

// The popup's screens load with import(), compiled on first use: slow on a loaded 2-core machine.
export const SCREEN_TIMEOUT = { timeout: 10_000 };

export type Answer = (request: PageRequest) => unknown;

export interface Mounted {
  root: HTMLElement;
  app: PopupApp;
  requests: PageRequest[];
}

/** A platform whose every request goes to `answer` and is recorded, for tests that mount the App themselves. */
export interface FakePlatform {
  platform: PopupPlatform;
  requests: PageRequest[];
  requestOrigins: ReturnType<typeof vi.fn>;
  readActiveTabText: ReturnType<typeof vi.fn>;
}

export function fakePlatform(
  answer: Answer,
  options: {
    url?: string | null;
    /** What asking for host access answers. */
    granted?: boolean;
    /** The active tab's text, for the Capture screen; absent: the platform cannot read tabs at all. */
    page?: ActiveTabText;
  } = {},
): FakePlatform {
  const requests: PageRequest[] = [];
  const requestOrigins = vi.fn(async () => options.granted ?? false);
  const readActiveTabText = vi.fn(async (): Promise<ActiveTabText> => options.page ?? { kind: 'forbidden' });
  const platform: PopupPlatform = {
    request: (async (request: PageRequest) => {
      requests.push(request);
      return answer(request);
    }) as PopupPlatform['request'],
    requestOrigins,
    requestClipboardRead: async () => false,
    hasOrigins: async () => false,
    activeTabUrl: async () => options.url ?? null,
    onVaultLocked: () => () => undefined,
  };
  if (options.page !== undefined) platform.readActiveTabText = readActiveTabText;
  return { platform, requests, requestOrigins, readActiveTabText };
}

let mounted: ReturnType<typeof mount> | null = null;

export function unmountPopup(): void {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
}

/** Mounts the App; `answer` answers each request (throw to fail it), after the ones every screen needs. */
export function mountPopup(
  state: 'no-vault' | 'locked' | 'unlocked',
  answer: Answer = () => undefined,
): Mounted {
  const requests: PageRequest[] = [];
  const platform: PopupPlatform = {
    request: (async (request: PageRequest) => {
      requests.push(request);
      const answered = await answer(request);
      if (answered !== undefined) return answered;
      if (request.type === 'status') return { state };
      if (request.type === 'list-accounts') return [];
      if (request.type === 'unreadable-accounts') return { count: 0 };
      if (request.type === 'get-settings') return { autoLockMinutes: 15 };
      throw new Error(`unexpected request ${request.type}`);
    }) as PopupPlatform['request'],
    requestOrigins: async () => false,
    requestClipboardRead: async () => false,
    hasOrigins: async () => false,
    onVaultLocked: () => () => undefined,
  };
  const app = new PopupApp(platform);
  const root = document.createElement('div');
  document.body.append(root);
  mounted = mount(App, { target: root, props: { platform, app } });
  return { root, app, requests };
}

export async function until<T>(find: () => T | null | undefined | false, what: string): Promise<T> {
  let found: T | null | undefined | false;
  await vi.waitFor(() => {
    flushSync();
    found = find();
    if (!found) throw new Error(`not yet: ${what}`);
  }, SCREEN_TIMEOUT);
  return found as T;
}

/** By id; typed as an input, which most of what the tests look up is. */
export const byId = (id: string) => document.getElementById(id) as HTMLInputElement | null;

export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

export function chooseFile(input: HTMLInputElement, name: string, text: string): void {
  const file = new File([text], name, { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

export function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  flushSync();
}

export function button(root: ParentNode, name: string): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
}

export function press(key: string, target: EventTarget = document.activeElement ?? document.body): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  flushSync();
}

export const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
export const alerts = (root: ParentNode) =>
  Array.from(root.querySelectorAll('[role="alert"]'), (el) => squash(el.textContent));

export const FIXTURE_TIME = '2026-01-01T00:00:00Z';

/** An account holding `values` in order, its first code already used (so "left" and "total" differ). */
export function accountFixture(id: string, site: string, values: string[], label?: string): Account {
  return {
    id,
    site,
    ...(label ? { label } : {}),
    codes: values.map((value, i) => ({
      id: `${id}-c${i}`,
      value,
      state: i === 0 ? 'used' : 'unused',
      history: [],
    })),
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
  };
}

/** What `list-accounts` answers for an account: counts, no codes. */
export const summaryOf = (a: Account): AccountSummary => ({
  id: a.id,
  site: a.site,
  ...(a.label ? { label: a.label } : {}),
  left: a.codes.filter((c) => c.state !== 'used').length,
  total: a.codes.length,
  createdAt: FIXTURE_TIME,
  updatedAt: FIXTURE_TIME,
});
