import { defineBackground } from 'wxt/utils/define-background';
import { keepContentScriptsInSync } from '../src/background/content-scripts';

export default defineBackground({
  type: 'module',
  main() {
    keepContentScriptsInSync();
  },
});
