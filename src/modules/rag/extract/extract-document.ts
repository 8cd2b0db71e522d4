import { AppError, badRequest } from '../../../platform/errors'
import { sniffContentType, type SniffedKind } from '../file-sniff'
import type { DocumentSection } from './document-section'
import { extractDocxSections } from './docx-extractor'
import { DEFAULT_EXTRACT_LIMITS, tooMuchText, type ExtractLimits } from './extract-limits'
import { extractPdfSections } from './pdf-extractor'
import { extractPptxSections } from './pptx-extractor'
import { extractTextSections } from './text-extractor'

export type { DocumentSection } from './document-section'

/** The kinds of file that yield text. */
export type DocumentKind = 'pdf' | 'docx' | 'pptx' | 'text' | 'markdown'

/** Extracted text in reading order; never empty, every section has non-blank text. */
export interface ExtractedDocument {
  kind: DocumentKind
  sections: DocumentSection[]
}

/** The formats to name when refusing a file, matching the docs contract's list. */
const SUPPORTED = 'PDF, DOCX, PPTX, TXT or MD'

const LABEL: Readonly<Record<DocumentKind, string>> = {
  pdf: 'PDF',
  docx: 'DOCX',
  pptx: 'PPTX',
  text: 'text',
  markdown: 'Markdown',
}

/** Compound File Binary: legacy .doc/.ppt, and also what Office wraps encrypted DOCX/PPTX in. */
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

function extensionOf(filename: string | undefined): string {
  const match = filename ? /\.([a-z0-9]+)$/i.exec(filename) : null
  return match ? match[1]!.toLowerCase() : ''
}

function isCompoundFile(bytes: Uint8Array): boolean {
  return CFB_SIGNATURE.every((byte, i) => bytes[i] === byte)
}

/** The most helpful refusal for bytes that are not one of the extractable kinds. */
function refusal(kind: SniffedKind, bytes: Uint8Array, extension: string): AppError {
  if (isCompoundFile(bytes)) {
    return badRequest(
      'This is a password-protected or legacy (.doc/.ppt) Office file; save it as an unprotected DOCX or PPTX and upload it again.',
    )
  }
  if (kind === 'zip' && (extension === 'docx' || extension === 'pptx')) {
    return badRequest(`The ${extension.toUpperCase()} file is damaged and cannot be opened.`)
  }
  if (kind === 'unknown' && extension === 'pdf') {
    return badRequest('The PDF file is damaged or not a valid PDF.')
  }
  if (kind === 'unknown' && (extension === 'txt' || extension === 'md' || extension === 'markdown')) {
    return badRequest('The text file is not valid UTF-8 text.')
  }
  if (kind === 'png' || kind === 'jpeg' || kind === 'gif' || kind === 'webp') {
    return badRequest(`Images cannot be searched as documents; supported formats are ${SUPPORTED}.`)
  }
  return badRequest(`Unsupported file type; supported formats are ${SUPPORTED}.`)
}

async function sectionsOf(
  kind: DocumentKind,
  bytes: Uint8Array,
  limits: ExtractLimits,
): Promise<DocumentSection[]> {
  switch (kind) {
    case 'pdf':
      return extractPdfSections(bytes, limits)
    case 'docx':
      return extractDocxSections(bytes, limits)
    case 'pptx':
      return extractPptxSections(bytes, limits)
    case 'text':
    case 'markdown':
      return extractTextSections(bytes)
  }
}

/**
 * Extracts the text of a PDF, DOCX, PPTX, TXT or Markdown file, deciding the format from
 * its bytes (the name only tells Markdown from text). Every failure is an AppError
 * BAD_REQUEST with a message fit for the uploader: unsupported, damaged, encrypted,
 * oversized when expanded, over a page/slide/paragraph/text budget, or without any text. No library exception escapes.
 */
export async function extractDocument(
  bytes: Uint8Array,
  filename?: string,
  limits: Partial<ExtractLimits> = {},
): Promise<ExtractedDocument> {
  if (bytes.byteLength === 0) throw badRequest('The file is empty.')
  const sniffed = sniffContentType(bytes, filename)
  const kind = sniffed.kind
  if (kind !== 'pdf' && kind !== 'docx' && kind !== 'pptx' && kind !== 'text' && kind !== 'markdown') {
    throw refusal(kind, bytes, extensionOf(filename))
  }

  const bounded: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS, ...limits }
  let sections: DocumentSection[]
  try {
    sections = await sectionsOf(kind, bytes, bounded)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw badRequest(`The ${LABEL[kind]} file could not be read; it may be damaged.`, { cause: error })
  }

  const withText = sections
    // A file may carry NUL or unpaired surrogates (raw in its XML, or from a PDF's text layer)
    // that the database cannot store: dropped here, where the text enters huddle.
    .map((section) => ({ ...section, text: section.text.replaceAll('\u0000', '').toWellFormed().trim() }))
    .filter((section) => section.text.length > 0)
  if (withText.length === 0) {
    throw badRequest(
      kind === 'pdf'
        ? 'No text could be extracted from the PDF; scanned pages without a text layer are not supported.'
        : `No text could be extracted from the ${LABEL[kind]} file.`,
    )
  }
  let textBytes = 0
  for (const section of withText) textBytes += Buffer.byteLength(section.text)
  if (textBytes > bounded.maxTextBytes) throw badRequest(tooMuchText(bounded.maxTextBytes))
  return { kind, sections: withText }
}
