import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../src/background';

export default defineBackground({
  type: 'module',
  // Listeners must be registered synchronously on every service-worker (or event-page) start.
  main() {
    startBackground();
  },
});
