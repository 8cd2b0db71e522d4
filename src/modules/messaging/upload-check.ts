import { AppError, tooLarge } from '../../platform/errors'
import { sniffContentType, SNIFFED_MIME, type SniffedKind } from '../rag/file-sniff'
import { sanitizeFileName } from './file-store'

const IMAGE_KINDS: ReadonlySet<SniffedKind> = new Set(['png', 'jpeg', 'gif', 'webp'])
const EXTENSION_KIND: Record<string, SniffedKind> = {
  png: 'png', jpg: 'jpeg', jpeg: 'jpeg', gif: 'gif', webp: 'webp', pdf: 'pdf', docx: 'docx', pptx: 'pptx',
}
const MIME_KIND = Object.fromEntries(Object.entries(SNIFFED_MIME).map(([k, v]) => [v, k as SniffedKind]))

/** An upload whose bytes were checked: the name to keep and the type to serve it with. */
export interface CheckedUpload {
  name: string
  contentType: string
  kind: SniffedKind
}

/**
 * Decides what an uploaded file really is from its bytes and refuses it when it is too big,
 * when an `image` message carries no image, or when its name or claimed type says one
 * format and its bytes another (a `.png` that is really a zip). What it is served as later
 * comes from the bytes, never from the client's claim.
 */
export function checkUpload(
  bytes: Uint8Array,
  input: { name?: string | null; declaredType?: string | null; messageType: string },
  maxBytes: number,
): CheckedUpload {
  if (bytes.byteLength > maxBytes) throw tooLarge(`file exceeds the ${maxBytes} byte upload limit`)
  if (bytes.byteLength === 0) throw new AppError('VALIDATION', 'file is empty')
  const name = sanitizeFileName(input.name)
  const sniffed = sniffContentType(bytes, name)
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : ''
  const claimedByName = EXTENSION_KIND[ext]
  const claimedByType = input.declaredType ? MIME_KIND[input.declaredType.split(';')[0]!.trim().toLowerCase()] : undefined
  for (const claimed of [claimedByName, claimedByType]) {
    if (claimed && claimed !== sniffed.kind)
      throw new AppError('VALIDATION', `file content does not match its declared type (${claimed})`)
  }
  if (input.messageType === 'image' && !IMAGE_KINDS.has(sniffed.kind))
    throw new AppError('VALIDATION', 'an image message needs a PNG, JPEG, GIF or WebP file')
  const contentType = sniffed.kind === 'unknown' || sniffed.kind === 'zip' ? 'application/octet-stream' : sniffed.mime
  return { name, contentType, kind: sniffed.kind }
}
