import { badRequest } from '../../../platform/errors'
import type { DocumentSection } from './document-section'

/**
 * Decodes the whole file as strict UTF-8 (the sniffer only looked at a prefix), drops a
 * byte-order mark and normalises line endings. Throws BAD_REQUEST on invalid UTF-8 or a
 * NUL byte anywhere, since either means the file is not text.
 */
export function extractTextSections(bytes: Uint8Array): DocumentSection[] {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw badRequest('The text file is not valid UTF-8; save it as UTF-8 and upload it again.')
  }
  if (text.includes('\u0000')) throw badRequest('The file contains binary data, not text.')
  return [{ text: text.replace(/\r\n?/g, '\n') }]
}
