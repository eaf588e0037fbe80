/**
 * Asking for a site's host access when an account is saved for it (Add account, Capture), and the one-line
 * notice that offers to ask again when the user declined or the prompt never showed.
 */
import { t } from '../../i18n';
import type { PopupPlatform } from '../platform';
import type { Notice, PopupApp } from '../state/app.svelte';

/** Asks for the site's host access; must run synchronously inside the click (the user gesture). */
export function requestSiteAccess(platform: PopupPlatform, origins: string[]): Promise<boolean> {
  try {
    return platform.requestOrigins(origins).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

/** One line: what is missing, and a button that asks for it (inside its click, the user gesture). */
export function siteAccessNotice(app: PopupApp, site: string, origins: string[]): Notice {
  return {
    kind: 'warning',
    text: t('add.noAccess', { site }),
    action: {
      label: t('add.grant'),
      ariaLabel: t('add.grantLabel', { site }),
      run: () => {
        void requestSiteAccess(app.platform, origins).then((granted) => {
          if (granted) app.notice = { kind: 'info', text: t('add.granted', { site }) };
        });
      },
    },
  };
}
