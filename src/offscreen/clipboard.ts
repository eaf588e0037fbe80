/**
 * Chrome's offscreen document: the background's hands on the clipboard (src/background/clipboard.ts). An
 * offscreen document never has focus, so `navigator.clipboard` refuses it; `execCommand` works there with
 * the extension's `clipboardWrite` (copy) and `clipboardRead` (paste) permissions.
 */
import { clearClipboard, type ClipboardIo } from '../core/clipboard';
import { answerOffscreenCommands } from '../messaging';

export function execCommandClipboard(doc: Document): ClipboardIo {
  const area = doc.getElementById('clipboard') as HTMLTextAreaElement;
  return {
    async readText() {
      area.value = '';
      area.focus();
      const pasted = doc.execCommand('paste');
      const text = area.value;
      area.value = '';
      if (!pasted) throw new Error('The browser refused to paste.');
      return text;
    },
    async writeText(text) {
      // 'copy' copies the selection, so there must be one; the listener puts `text` there instead.
      area.value = ' ';
      area.select();
      const replace = (event: ClipboardEvent) => {
        event.clipboardData?.setData('text/plain', text);
        event.preventDefault();
      };
      doc.addEventListener('copy', replace);
      try {
        if (!doc.execCommand('copy')) throw new Error('The browser refused to copy.');
      } finally {
        doc.removeEventListener('copy', replace);
        area.value = '';
      }
    },
  };
}

export function startOffscreenClipboard(doc: Document): void {
  const io = execCommandClipboard(doc);
  answerOffscreenCommands(({ onlyIf }) => clearClipboard(io, onlyIf));
}
