/**
 * Ceilings that keep one hostile upload from exhausting memory or CPU. They bound work,
 * not legitimate documents: a 10 MB office file rarely inflates past a few MB, and a
 * thousand-page book holds a few tens of thousands of paragraphs.
 */
export interface ExtractLimits {
  /** Total bytes we (or a library we call) may inflate from one archive. */
  maxInflatedBytes: number
  /** Entries an archive's directory may list. */
  maxZipEntries: number
  /** Pages a PDF may declare before we refuse to walk them. */
  maxPdfPages: number
  /** Slides a presentation may list. */
  maxSlides: number
  /**
   * Paragraphs a DOCX body or all of a deck's slides may hold, and printed lines a PDF may
   * yield: counted on the raw markup before any parser builds objects per paragraph.
   */
  maxParagraphs: number
  /** UTF-8 bytes of extracted text. */
  maxTextBytes: number
}

/** Defaults applied wherever a caller passes no limits of its own. */
export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = {
  maxInflatedBytes: 50 * 1024 * 1024,
  maxZipEntries: 5000,
  maxPdfPages: 2000,
  maxSlides: 2000,
  maxParagraphs: 50_000,
  maxTextBytes: 16 * 1024 * 1024,
}

/** The refusal for a document with more paragraphs (or printed lines) than allowed. */
export function tooManyParagraphs(label: string, limit: number): string {
  return `The ${label} file has more than ${limit} paragraphs; at most ${limit} are accepted.`
}

/** The refusal for a document whose text exceeds the budget. */
export function tooMuchText(limit: number): string {
  return `The document's text exceeds ${Math.floor(limit / (1024 * 1024))} MB; split it and upload the parts.`
}
