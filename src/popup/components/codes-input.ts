/**
 * The preview and the screenshot picker, imported together by every screen that takes codes: the bundler then
 * keeps them in one chunk, so the picker (issue 12) adds no chunk to the list the popup's entry carries for its
 * lazy screens.
 */
export { default as CodesPreview } from './CodesPreview.svelte';
export { default as ScreenshotPicker } from './ScreenshotPicker.svelte';

export type { ScreenshotResult } from '../lib/screenshot-result';
