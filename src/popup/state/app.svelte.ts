/**
 * The popup's navigation and the one place that talks to the background. Every request goes through
 * `call`, which sends the user to the locked screen whenever the background answers 'vault-locked' (the
 * idle timer or the OS may lock the vault while the popup is open).
 */
import { getContext, setContext } from 'svelte';
import { isSpareError } from '../../core/errors';
import { t } from '../../i18n';
import { errorMessage } from '../lib/errors';
import type { Account } from '../../core/vault/model';
import type { PageRequest, PageResponses, VaultState } from '../../messaging';
import type { PopupPlatform } from '../platform';

export type Screen =
  | { name: 'loading' }
  | { name: 'create' }
  | { name: 'locked' }
  | { name: 'main' }
  | { name: 'add' }
  | { name: 'capture' }
  | { name: 'detail'; accountId: string }
  | { name: 'settings' }
  | { name: 'sheet'; accounts: Account[]; json: string };

export type LazyScreenName = 'main' | 'add' | 'capture' | 'detail' | 'settings' | 'sheet';

/** A message that outlives the screen that caused it, e.g. "Account saved" shown on the list. */
export interface Notice {
  kind: 'info' | 'warning';
  text: string;
  /** Shown as a button next to the text. */
  action?: {
    label: string;
    run: () => void;
    /** When the short label needs more words for a screen reader. */ ariaLabel?: string;
  };
}

export class PopupApp {
  screen = $state<Screen>({ name: 'loading' });
  notice = $state<Notice | null>(null);
  /** The screen before this one (not reactive): the list puts focus back where the user came from. */
  previous: Screen | null = null;
  /** Set when the background could not be reached at start. */
  startError = $state<string | null>(null);

  constructor(readonly platform: PopupPlatform) {}

  async start(): Promise<void> {
    // The idle timer or the OS may lock the vault while codes are on screen: leave them at once.
    this.platform.onVaultLocked(() => {
      if (this.unlocked) {
        this.go({ name: 'locked' }, { kind: 'info', text: t('errors.vaultLocked') });
      }
    });
    try {
      const { state } = await this.platform.request({ type: 'status' });
      this.showState(state);
    } catch (error) {
      this.startError = isSpareError(error) ? errorMessage(error) : t('errors.noBackground');
    }
  }

  showState(state: VaultState): void {
    this.go(
      state === 'no-vault' ? { name: 'create' } : state === 'locked' ? { name: 'locked' } : { name: 'main' },
    );
  }

  go(screen: Screen, notice: Notice | null = null): void {
    this.notice = notice;
    this.previous = this.screen;
    this.screen = screen;
  }

  get unlocked(): boolean {
    const name = this.screen.name;
    return name !== 'loading' && name !== 'create' && name !== 'locked';
  }

  async call<R extends PageRequest>(request: R): Promise<PageResponses[R['type']]> {
    try {
      return await this.platform.request(request);
    } catch (error) {
      if (isSpareError(error, 'vault-locked') && this.unlocked) {
        this.go({ name: 'locked' }, { kind: 'info', text: t('errors.vaultLocked') });
      }
      throw error;
    }
  }

  async lock(): Promise<void> {
    try {
      await this.platform.request({ type: 'lock' });
    } finally {
      // Even if the background failed to answer, the popup forgets what it showed.
      this.go({ name: 'locked' });
    }
  }
}

const KEY = Symbol('spare-popup');

export function providePopupApp(app: PopupApp): void {
  setContext(KEY, app);
}

export function usePopupApp(): PopupApp {
  const app = getContext<PopupApp | undefined>(KEY);
  if (!app) throw new Error('usePopupApp() outside <App>.');
  return app;
}
