/** The eager content script's two files, as the build writes them (scripts/eager-script.ts). */

/** Registered for every granted site (src/background/content-scripts.ts). */
export const EAGER_SCRIPT_FILE = 'content-script.js';
/** Injected into a tab already open when its site is enabled: it also looks once for a field with focus. */
export const OPEN_TAB_SCRIPT_FILE = 'content-script-open-tab.js';
