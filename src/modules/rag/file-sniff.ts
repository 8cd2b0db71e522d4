import { readZipDirectory } from './extract/zip-directory'

/** What a file's bytes say it is, independent of any name or claimed MIME type. */
export type SniffedKind =
  | 'pdf'
  | 'docx'
  | 'pptx'
  | 'text'
  | 'markdown'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'zip'
  | 'unknown'

/** A sniffing verdict; `mime` is the canonical MIME type for `kind`. */
export interface SniffResult {
  kind: SniffedKind
  mime: string
}

/** Canonical MIME type of every kind, so callers can compare against a client's claim. */
export const SNIFFED_MIME: Readonly<Record<SniffedKind, string>> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  text: 'text/plain',
  markdown: 'text/markdown',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  zip: 'application/zip',
  unknown: 'application/octet-stream',
}

/**
 * How much of a file is checked for being text. Large enough that binary formats show a
 * NUL or an invalid sequence long before it, small enough that a 10 MB upload costs
 * nothing; the extractor still validates the whole file before using it as text.
 */
const TEXT_SNIFF_BYTES = 64 * 1024

const MARKDOWN_NAME = /\.(md|markdown|mdown|mkd)$/i

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.byteLength < at + signature.length) return false
  for (let i = 0; i < signature.length; i++) {
    if (bytes[at + i] !== signature[i]) return false
  }
  return true
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0))

const PDF = ascii('%PDF-')
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]
const GIF87 = ascii('GIF87a')
const GIF89 = ascii('GIF89a')
const RIFF = ascii('RIFF')
const WEBP = ascii('WEBP')
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06]

const verdict = (kind: SniffedKind): SniffResult => ({ kind, mime: SNIFFED_MIME[kind] })

/** Tells an Office Open XML package from any other ZIP by the parts its directory names. */
function sniffZip(bytes: Uint8Array): SniffResult {
  const entries = readZipDirectory(bytes)
  if (!entries) return verdict('zip')
  let word = false
  let powerpoint = false
  for (const entry of entries) {
    if (entry.name === 'word/document.xml') word = true
    else if (entry.name === 'ppt/presentation.xml') powerpoint = true
  }
  if (word && !powerpoint) return verdict('docx')
  if (powerpoint && !word) return verdict('pptx')
  return verdict('zip')
}

/**
 * True when the prefix is UTF-8 without NUL bytes. A multi-byte sequence cut off by the
 * prefix boundary is forgiven; one cut off by the end of the file is not.
 */
function looksLikeUtf8Text(bytes: Uint8Array): boolean {
  const truncated = bytes.byteLength > TEXT_SNIFF_BYTES
  let end = Math.min(bytes.byteLength, TEXT_SNIFF_BYTES)
  if (truncated) {
    // Step back over continuation bytes to the last sequence start so a split character
    // does not make a valid file look binary.
    let back = end - 1
    while (back > end - 4 && back > 0 && (bytes[back]! & 0xc0) === 0x80) back--
    end = back
  }
  const window = bytes.subarray(0, end)
  if (window.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(window)
    return true
  } catch {
    return false
  }
}

/**
 * Decides a file's kind from its leading bytes (and, for ZIPs, the central directory);
 * the filename only separates markdown from plain text. Never throws, never reads more
 * than the first 64 KB plus a ZIP's directory, so it is safe on any upload.
 */
export function sniffContentType(bytes: Uint8Array, filename?: string): SniffResult {
  if (startsWith(bytes, PDF)) return verdict('pdf')
  if (startsWith(bytes, PNG)) return verdict('png')
  if (startsWith(bytes, JPEG)) return verdict('jpeg')
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return verdict('gif')
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return verdict('webp')
  if (startsWith(bytes, ZIP_LOCAL)) return sniffZip(bytes)
  if (startsWith(bytes, ZIP_EMPTY)) return verdict('zip')
  if (bytes.byteLength > 0 && looksLikeUtf8Text(bytes)) {
    return verdict(filename && MARKDOWN_NAME.test(filename) ? 'markdown' : 'text')
  }
  return verdict('unknown')
}
