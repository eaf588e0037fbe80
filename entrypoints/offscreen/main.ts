import { startOffscreenClipboard } from '../../src/offscreen/clipboard';

// Opened by the background (chrome.offscreen, reason CLIPBOARD) for one clipboard clear, then closed.
startOffscreenClipboard(document);
