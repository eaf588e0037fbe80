import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { registerOfferRuntime } from '../src/content/offer-runtime';

// The lazy part of the content script. Never web-accessible: the background runs it with
// scripting.executeScript in the one frame whose text field got focus (src/background/page-access.ts).
export default defineUnlistedScript(() => {
  registerOfferRuntime();
});
