/**
 * The preview and the screenshot picker, imported together by every screen that takes codes: the bundler then
 * keeps them in one chunk, so the picker (issue 12) adds no chunk to the list the popup's entry carries for its
 * lazy screens.
 */
export { default as CodesPreview } from './CodesPreview.svelte';
export { default as ScreenshotPicker } from './ScreenshotPicker.svelte';

/** What a screenshot gave: the codes as text for the codes field, and what the preview shows beside them. */
export interface ScreenshotResult {
  /** One code a line, as the site shows them. */
  text: string;
  site: string | null;
  screenshot: { url: string; flagged: string[]; fileName: string };
}
