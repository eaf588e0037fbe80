/** What a screenshot gave (issue 12): the codes as text for the codes field, and what the preview shows beside them. */
export interface ScreenshotResult {
  /** One code a line, as the site shows them. */
  text: string;
  site: string | null;
  screenshot: { url: string; flagged: string[]; fileName: string };
}
