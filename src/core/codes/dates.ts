/**
 * Dates and times, in the renderings a paste or a saved page carries them: ISO 8601 (`2026-03-04T10:15:00Z`,
 * compact `20260304T101500Z`), numeric day/month/year with any separator (`04.03.2026`, `3/4/2026`), month names
 * (`4 March 2026`, `March 4, 2026`, `4. März 2026`, `4 de marzo de 2026`), JavaScript's `Date.toString()`
 * (`Tue Mar 04 2026 10:15:00 GMT+0100 (Central European Standard Time)`, which Bitwarden prints under its
 * recovery code), RFC 2822 (`Tue, 04 Mar 2026 10:15:00 +0100`) and clock times (`10:15`, `10:15:00 AM`,
 * `10:15 UTC+01:00`). The line reader blanks each, so no part of one is ever read as a code.
 *
 * Each has a cheap test of whether a line can hold it at all: most lines of a long paste hold none.
 */

// Month names and their abbreviations in en, de, fr, es, it, pt and nl, each optionally followed by a dot. Only
// these words: a code's group ("dece", "febe") is no month.
const MONTH = `(?:${[
  'january|february|march|april|may|june|july|august|september|october|november|december',
  'jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec',
  'januar|jänner|februar|märz|mär|juni|juli|oktober|okt|dezember|dez',
  'janvier|janv|février|fevrier|févr|fevr|mars|avril|avr|mai|juin|juillet|juil|août|aout|septembre|octobre|novembre|décembre|decembre|déc',
  'enero|ene|febrero|marzo|abril|abr|mayo|junio|julio|agosto|ago|septiembre|setiembre|octubre|noviembre|diciembre|dic',
  'gennaio|gen|febbraio|aprile|maggio|mag|giugno|giu|luglio|lug|settembre|set|ottobre|ott|dicembre',
  'janeiro|fevereiro|fev|março|maio|junho|julho|setembro|outubro|out|novembro|dezembro',
  'januari|februari|maart|mrt|mei|augustus',
].join('|')})\\.?`;

/** A pattern with `%M` where a month name goes: the one place a date regex is built at run time. */
const withMonths = (template: string) => new RegExp(template.replaceAll('%M', MONTH), 'gi');

export interface DatePattern {
  mayMatch: (line: string) => boolean;
  pattern: RegExp;
}

/** A digit and a word of three letters: what a month-name date needs (a line of codes alone has no such word). */
const mayHoldMonth = (line: string) => /[A-Za-z\u00c0-\u00ff]{3}/.test(line) && /\d/.test(line);

export const DATE_PATTERNS: DatePattern[] = [
  // ISO dates with optional time and zone.
  {
    mayMatch: (l) => l.includes('-'),
    pattern: /\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
  },
  // Compact ISO date-times.
  { mayMatch: (l) => /\dT\d/.test(l), pattern: /\b\d{8}T\d{4,6}(?:Z|[+-]\d{4})?\b/g },
  // Day, month, year with any separator (and year first).
  { mayMatch: (l) => /[./-]/.test(l), pattern: /\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b/g },
  // "4 March 2026", "04 Mar 2026", "4. März 2026", "4 de marzo de 2026": spaced, so a code ('18hazaaa6719') never
  // reads as one.
  {
    mayMatch: mayHoldMonth,
    pattern: withMonths('\\b\\d{1,2}(?:\\. ?| )(?:de )?%M(?:,? | de )(?:19|20)\\d\\d\\b'),
  },
  // "March 4, 2026", "Mar 04 2026" (Date.toString), "March 4th 2026".
  {
    mayMatch: mayHoldMonth,
    pattern: withMonths('\\b%M \\d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\\d\\d\\b'),
  },
  // Clock times, with seconds, AM/PM and a zone ("10:15:00 GMT+0100", "10:15 PM", "10:15:00 +0100").
  {
    mayMatch: (l) => l.includes(':'),
    pattern:
      /\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?: ?[ap]\.?m\.?)?(?: ?(?:gmt|utc|z)?[+-]\d{1,2}(?::?\d{2})?)?/gi,
  },
  // A zone written on its own ("GMT+0100", "UTC-5").
  { mayMatch: (l) => /gmt|utc/i.test(l), pattern: /\b(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?\b/gi },
];
