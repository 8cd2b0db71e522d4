/**
 * Ceilings that keep one hostile upload from exhausting memory or CPU. They bound work,
 * not legitimate documents: a 10 MB office file rarely inflates past a few MB.
 */
export interface ExtractLimits {
  /** Total bytes we (or a library we call) may inflate from one archive. */
  maxInflatedBytes: number
  /** Entries an archive's directory may list. */
  maxZipEntries: number
  /** Pages a PDF may declare before we refuse to walk them. */
  maxPdfPages: number
}

/** Defaults applied wherever a caller passes no limits of its own. */
export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = {
  maxInflatedBytes: 50 * 1024 * 1024,
  maxZipEntries: 5000,
  maxPdfPages: 2000,
}
