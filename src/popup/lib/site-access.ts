/**
 * Asking for sites' host access when accounts are saved for them (Add account, Capture, import from a password
 * manager), and the one-line notice that offers to ask again when the user declined or the prompt never showed.
 */
import { t } from '../../i18n';
import type { PopupPlatform } from '../platform';
import type { Notice, PopupApp } from '../state/app.svelte';

/** Asks for the sites' host access; must run synchronously inside the click (the user gesture). */
export function requestSiteAccess(platform: PopupPlatform, origins: string[]): Promise<boolean> {
  if (origins.length === 0) return Promise.resolve(true);
  try {
    return platform.requestOrigins(origins).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

/** The words of an access notice: what is missing, the button's accessible name, and the thanks once granted. */
export interface AccessNoticeWords {
  text: string;
  ariaLabel: string;
  granted: string;
}

/** One line: what is missing, and a button that asks for it (inside its click, the user gesture). */
export function accessNotice(app: PopupApp, origins: string[], words: AccessNoticeWords): Notice {
  return {
    kind: 'warning',
    text: words.text,
    action: {
      label: t('add.grant'),
      ariaLabel: words.ariaLabel,
      run: () => {
        void requestSiteAccess(app.platform, origins).then((granted) => {
          if (granted) app.notice = { kind: 'info', text: words.granted };
        });
      },
    },
  };
}

/** The notice for one site (Add account, Capture). */
export function siteAccessNotice(app: PopupApp, site: string, origins: string[]): Notice {
  return accessNotice(app, origins, {
    text: t('add.noAccess', { site }),
    ariaLabel: t('add.grantLabel', { site }),
    granted: t('add.granted', { site }),
  });
}
