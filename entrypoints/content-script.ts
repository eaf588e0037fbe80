import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { bootContentScript } from '../src/content';

// The content script, registered at run time only for the sites the user has granted
// (src/background/content-scripts.ts). An unlisted script, not a WXT content script: WXT's wrapper creates the
// content-script context, and with it the first touch of the extension API, on every page load; Spare creates
// it at the first focus of a text field instead (src/content/index.ts).
export default defineUnlistedScript(() => {
  bootContentScript();
});
