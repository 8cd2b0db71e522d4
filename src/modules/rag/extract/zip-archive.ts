import { crc32 } from 'node:zlib'
import { Inflate } from 'fflate'
import { AppError, badRequest } from '../../../platform/errors'
import type { ExtractLimits } from './extract-limits'
import { readZipDirectory, type ZipEntry } from './zip-directory'

/**
 * Reads an untrusted ZIP with hard ceilings. Declared sizes are checked before any work,
 * then the bytes actually inflated are counted as they come out, so an archive that lies
 * about its sizes is stopped within one small input slice of crossing the ceiling.
 */
export interface ZipArchive {
  /** Entry names as the central directory lists them. */
  readonly names: readonly string[]
  /** The entry's inflated bytes, or undefined when the archive has no such entry. */
  read(name: string): Uint8Array | undefined
  /** The entry decoded as UTF-8, or undefined when absent. */
  readText(name: string): string | undefined
  /**
   * Inflates every entry not read yet (output discarded), proving the whole archive is sound
   * and within limits; entries already read were checked as they were read.
   */
  verifyAll(): void
}

const LOCAL_SIGNATURE = 0x04034b50
/** Small compressed slices bound the output of one push to a few MB even at deflate's maximum ratio. */
const INFLATE_SLICE = 4096
const METHOD_STORED = 0
const METHOD_DEFLATE = 8

const megabytes = (n: number) => Math.round(n / (1024 * 1024))

function tooBig(limit: number): AppError {
  return badRequest(
    `The archive expands to more than ${megabytes(limit)} MB; it looks like a zip bomb and was rejected.`,
  )
}

/** Locates an entry's compressed bytes through its local header, refusing anything out of range. */
function compressedData(bytes: Uint8Array, entry: ZipEntry, damaged: (why: string) => AppError): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const header = entry.localHeaderOffset
  if (header + 30 > bytes.byteLength || view.getUint32(header, true) !== LOCAL_SIGNATURE) {
    throw damaged(`the header of "${entry.name}" is missing`)
  }
  const start = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true)
  const end = start + entry.compressedSize
  if (end > bytes.byteLength) throw damaged(`"${entry.name}" is cut short`)
  return bytes.subarray(start, end)
}

/**
 * Opens an archive for bounded reading. Throws BAD_REQUEST when the directory is damaged,
 * lists more than `maxZipEntries` entries, or declares more than `maxInflatedBytes` in total.
 * Every read afterwards shares one inflation budget of `maxInflatedBytes`; reading an entry
 * again costs nothing more.
 */
export function openZipArchive(
  bytes: Uint8Array,
  limits: Pick<ExtractLimits, 'maxInflatedBytes' | 'maxZipEntries'>,
  label: string,
): ZipArchive {
  const damaged = (why: string) => badRequest(`The ${label} file is damaged: ${why}.`)
  const entries = readZipDirectory(bytes)
  if (!entries) throw damaged('its archive directory is missing or unreadable')
  if (entries.length > limits.maxZipEntries) {
    throw badRequest(
      `The archive lists ${entries.length} files; at most ${limits.maxZipEntries} are allowed.`,
    )
  }
  let declaredTotal = 0
  const byName = new Map<string, ZipEntry>()
  for (const entry of entries) {
    declaredTotal += entry.declaredSize
    byName.set(entry.name, entry)
  }
  if (declaredTotal > limits.maxInflatedBytes) throw tooBig(limits.maxInflatedBytes)

  let budget = limits.maxInflatedBytes
  // An entry read twice inflates to the same (checksummed) bytes, so it is charged once.
  const charged = new Set<ZipEntry>()

  function inflate(entry: ZipEntry, keep: boolean): Uint8Array {
    const free = charged.has(entry)
    if (entry.encrypted) throw badRequest(`The ${label} file is password-protected.`)
    const input = compressedData(bytes, entry, damaged)
    const kept: Uint8Array[] = []
    let produced = 0
    let checksum = 0

    const accept = (chunk: Uint8Array) => {
      produced += chunk.byteLength
      if (!free && produced > budget) throw tooBig(limits.maxInflatedBytes)
      if (produced > entry.declaredSize) {
        throw badRequest(
          `The ${label} file holds "${entry.name}" larger than it declares; it looks like a zip bomb and was rejected.`,
        )
      }
      checksum = crc32(chunk, checksum)
      if (keep) kept.push(chunk.slice())
    }

    if (entry.method === METHOD_STORED) {
      accept(input)
    } else if (entry.method === METHOD_DEFLATE) {
      const inflater = new Inflate((chunk) => accept(chunk))
      try {
        if (input.byteLength === 0) inflater.push(input, true)
        for (let offset = 0; offset < input.byteLength; offset += INFLATE_SLICE) {
          const end = Math.min(offset + INFLATE_SLICE, input.byteLength)
          inflater.push(input.subarray(offset, end), end === input.byteLength)
        }
      } catch (error) {
        if (error instanceof AppError) throw error
        throw damaged(`"${entry.name}" cannot be decompressed`)
      }
    } else {
      throw badRequest(`The ${label} file uses an unsupported compression method.`)
    }

    if (produced !== entry.declaredSize || (checksum >>> 0) !== entry.crc32) {
      throw damaged(`"${entry.name}" fails its integrity check`)
    }
    if (!free) budget -= produced
    charged.add(entry)
    if (!keep) return new Uint8Array(0)
    if (kept.length === 1) return kept[0]!
    const out = new Uint8Array(produced)
    let at = 0
    for (const chunk of kept) {
      out.set(chunk, at)
      at += chunk.byteLength
    }
    return out
  }

  const decoder = new TextDecoder('utf-8')

  return {
    names: entries.map((e) => e.name),
    read(name) {
      const entry = byName.get(name)
      return entry ? inflate(entry, true) : undefined
    },
    readText(name) {
      const entry = byName.get(name)
      return entry ? decoder.decode(inflate(entry, true)) : undefined
    },
    verifyAll() {
      for (const entry of entries) if (!charged.has(entry)) inflate(entry, false)
    },
  }
}
