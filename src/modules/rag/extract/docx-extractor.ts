import mammoth from 'mammoth'
import { badRequest } from '../../../platform/errors'
import type { DocumentSection } from './document-section'
import type { ExtractLimits } from './extract-limits'
import { openZipArchive } from './zip-archive'

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
  zip.verifyAll()
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const result = await mammoth.extractRawText({ buffer })
  const text = result.value
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return [{ text }]
}
