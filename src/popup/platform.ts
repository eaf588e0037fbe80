/**
 * Everything the popup needs from outside itself, passed in by `entrypoints/popup/main.ts`. Components reach
 * the background and the browser only through this, so they can be mounted in tests with fakes.
 */
import type { PageRequest, PageResponses } from '../messaging';

export type ActiveTabText = { kind: 'text'; text: string; fromSelection: boolean } | { kind: 'forbidden' };

export type PageRequestFn = <R extends PageRequest>(request: R) => Promise<PageResponses[R['type']]>;

export interface PopupPlatform {
  request: PageRequestFn;
  /**
   * Asks the browser for host access. Must be called synchronously inside a click handler: the browser
   * only shows the prompt during a user gesture.
   */
  requestOrigins(origins: string[]): Promise<boolean>;
  hasOrigins(origins: string[]): Promise<boolean>;
  /**
   * Asks for the optional `clipboardRead` permission (src/background/clipboard.ts). Must be called
   * synchronously inside a click handler, like `requestOrigins`.
   */
  requestClipboardRead(): Promise<boolean>;
  /**
   * The URL of the tab the popup was opened on, or null when the browser does not tell (a page Spare has no
   * access to, the popup opened as a tab of its own). Optional so that a fake platform may leave it out.
   */
  activeTabUrl?(): Promise<string | null>;
  /**
   * The text the user sees in that tab, or their selection there (src/popup/lib/page-text.ts), read when they
   * click "Capture codes from this page". 'forbidden' when the browser does not let extensions read the page
   * (its own pages, add-on stores, the PDF viewer) or there is no such tab. The text holds codes: the caller
   * parses it and drops it; it is never logged, stored or sent to the background. Optional like activeTabUrl.
   */
  readActiveTabText?(): Promise<ActiveTabText>;
  /** Calls `listener` whenever the background locks the vault; returns the unsubscribe function. */
  onVaultLocked(listener: () => void): () => void;
}
