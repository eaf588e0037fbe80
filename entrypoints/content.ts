import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentScript } from '../src/content';

// Registered at run time only for the sites the user has granted (src/background/content-scripts.ts),
// so it has no `matches`: WXT would copy them into host_permissions.
export default defineContentScript({
  registration: 'runtime',
  // WXT's default start-up postMessage would tell every page the extension's id.
  noScriptStartedPostMessage: true,
  allFrames: true,
  main(ctx) {
    startContentScript(ctx);
  },
});
