import { badRequest } from '../../../platform/errors'
import type { DocumentSection } from './document-section'
import { tooManyParagraphs, type ExtractLimits } from './extract-limits'
import { openZipArchive, type ZipArchive } from './zip-archive'

/** A WordprocessingML paragraph start (`<w:p>`, `<w:p w:rsidR=…>`, `<w:p/>`), not `<w:pPr>` or `<w:proofErr>`. */
const PARAGRAPH = /<w:p[\s>/]/g
/** The parts mammoth reads text from: the body, notes, comments, headers and footers. */
const TEXT_PART = /^word\/[^/]+\.xml$/

/**
 * Refuses a document holding more than `limit` paragraphs, counted on the raw markup: mammoth
 * builds a tree of objects per paragraph (several KB each), so the count must come first.
 */
function assertParagraphCount(zip: ZipArchive, limit: number): void {
  let count = 0
  for (const name of zip.names) {
    if (!TEXT_PART.test(name)) continue
    const xml = zip.readText(name) ?? ''
    PARAGRAPH.lastIndex = 0
    while (PARAGRAPH.exec(xml)) {
      if (++count > limit) throw badRequest(tooManyParagraphs('DOCX', limit))
    }
  }
}

/**
 * The document's raw text with paragraphs separated by blank lines. The archive is fully
 * inflated under our limits first: mammoth would otherwise inflate whatever the ZIP holds,
 * and a file that passed our count inflates to exactly the same bytes inside it.
 */
export async function extractDocxSections(
  bytes: Uint8Array,
  limits: ExtractLimits,
): Promise<DocumentSection[]> {
  const zip = openZipArchive(bytes, limits, 'DOCX')
  if (!zip.names.includes('word/document.xml')) {
    throw badRequest('The DOCX file has no document body.')
  }
  assertParagraphCount(zip, limits.maxParagraphs)
  zip.verifyAll()
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const { default: mammoth } = await import('mammoth')
  const result = await mammoth.extractRawText({ buffer })
  const text = result.value
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return [{ text }]
}
