/**
 * Reads the central directory of a ZIP archive without inflating anything. The central
 * directory (not the local headers) is what both our extractor and the libraries we hand
 * archives to (mammoth's JSZip) trust, so every size and offset checked here is the one
 * that will actually be used later.
 */

/** One file as the central directory declares it; sizes are claims, not facts. */
export interface ZipEntry {
  name: string
  /** 0 = stored, 8 = deflate; anything else is unsupported. */
  method: number
  encrypted: boolean
  crc32: number
  compressedSize: number
  declaredSize: number
  localHeaderOffset: number
}

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const EOCD_MIN_LENGTH = 22
const MAX_COMMENT_LENGTH = 0xffff
const ZIP64_MARKER_32 = 0xffffffff
const ZIP64_MARKER_16 = 0xffff

const nameDecoder = new TextDecoder('utf-8')

/** Offset of the end-of-central-directory record, or -1; scans only the archive's tail. */
function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - EOCD_MIN_LENGTH
  const first = Math.max(0, last - MAX_COMMENT_LENGTH)
  for (let offset = last; offset >= first; offset--) {
    if (view.getUint32(offset, true) !== EOCD_SIGNATURE) continue
    const commentLength = view.getUint16(offset + 20, true)
    if (offset + EOCD_MIN_LENGTH + commentLength <= view.byteLength) return offset
  }
  return -1
}

/**
 * Lists the archive's entries from its central directory. Returns null when the bytes are
 * not a well-formed single-disk, non-ZIP64 archive (truncated, damaged, spanned); never
 * throws and never reads past the directory, so it is cheap enough for content sniffing.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] | null {
  if (bytes.byteLength < EOCD_MIN_LENGTH) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const eocd = findEndOfCentralDirectory(view)
  if (eocd < 0) return null

  const diskNumber = view.getUint16(eocd + 4, true)
  const directoryDisk = view.getUint16(eocd + 6, true)
  const entriesOnDisk = view.getUint16(eocd + 8, true)
  const totalEntries = view.getUint16(eocd + 10, true)
  const directorySize = view.getUint32(eocd + 12, true)
  const directoryOffset = view.getUint32(eocd + 16, true)

  if (diskNumber !== 0 || directoryDisk !== 0 || entriesOnDisk !== totalEntries) return null
  if (
    totalEntries === ZIP64_MARKER_16 ||
    directorySize === ZIP64_MARKER_32 ||
    directoryOffset === ZIP64_MARKER_32
  ) {
    return null
  }
  if (directoryOffset + directorySize > eocd) return null

  const entries: ZipEntry[] = []
  let cursor = directoryOffset
  const end = directoryOffset + directorySize
  for (let i = 0; i < totalEntries; i++) {
    if (cursor + 46 > end || view.getUint32(cursor, true) !== CENTRAL_SIGNATURE) return null
    const flags = view.getUint16(cursor + 8, true)
    const nameLength = view.getUint16(cursor + 28, true)
    const extraLength = view.getUint16(cursor + 30, true)
    const commentLength = view.getUint16(cursor + 32, true)
    const next = cursor + 46 + nameLength + extraLength + commentLength
    if (next > end) return null

    const entry: ZipEntry = {
      name: nameDecoder.decode(bytes.subarray(cursor + 46, cursor + 46 + nameLength)),
      method: view.getUint16(cursor + 10, true),
      encrypted: (flags & 0x1) !== 0,
      crc32: view.getUint32(cursor + 16, true),
      compressedSize: view.getUint32(cursor + 20, true),
      declaredSize: view.getUint32(cursor + 24, true),
      localHeaderOffset: view.getUint32(cursor + 42, true),
    }
    if (
      entry.compressedSize === ZIP64_MARKER_32 ||
      entry.declaredSize === ZIP64_MARKER_32 ||
      entry.localHeaderOffset === ZIP64_MARKER_32
    ) {
      return null
    }
    entries.push(entry)
    cursor = next
  }
  return entries
}
