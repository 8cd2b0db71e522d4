import { describe, expect, test } from 'bun:test'
import { crc32 } from 'node:zlib'
import { deflateSync } from 'fflate'
import { AppError } from '../../../platform/errors'
import { makeCrowdedZip, makeZipBomb, writeZip } from '../../../../test/fixtures/documents'
import { DEFAULT_EXTRACT_LIMITS } from './extract-limits'
import { openZipArchive } from './zip-archive'
import { readZipDirectory } from './zip-directory'

const MB = 1024 * 1024
const limits = DEFAULT_EXTRACT_LIMITS

function badRequestMessage(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('BAD_REQUEST')
    return (error as AppError).message
  }
  throw new Error('expected a BAD_REQUEST')
}

describe('readZipDirectory', () => {
  test('lists names, methods and declared sizes from the central directory', () => {
    const zip = writeZip([
      { name: 'a.txt', data: 'hello', store: true },
      { name: '폴더/b.xml', data: 'x'.repeat(1000) },
    ])
    const entries = readZipDirectory(zip)!
    expect(entries.map((e) => [e.name, e.method, e.declaredSize])).toEqual([
      ['a.txt', 0, 5],
      ['폴더/b.xml', 8, 1000],
    ])
  })

  test('returns null for truncated or non-zip bytes instead of throwing', () => {
    const zip = writeZip([{ name: 'a.txt', data: 'hello' }])
    expect(readZipDirectory(zip.slice(0, zip.byteLength - 5))).toBeNull()
    expect(readZipDirectory(new TextEncoder().encode('not a zip at all, just text'))).toBeNull()
    expect(readZipDirectory(new Uint8Array(3))).toBeNull()
  })
})

describe('openZipArchive', () => {
  test('reads stored and deflated entries back exactly', () => {
    const big = 'Lorem ipsum 한국어 '.repeat(5000)
    const zip = openZipArchive(
      writeZip([
        { name: 'stored.txt', data: 'as is', store: true },
        { name: 'deflated.txt', data: big },
      ]),
      limits,
      'test',
    )
    expect(zip.names).toEqual(['stored.txt', 'deflated.txt'])
    expect(zip.readText('stored.txt')).toBe('as is')
    expect(zip.readText('deflated.txt')).toBe(big)
    expect(zip.read('missing.txt')).toBeUndefined()
    expect(() => zip.verifyAll()).not.toThrow()
  })

  test('refuses an archive declaring more than the cap before inflating anything', () => {
    const bomb = makeZipBomb({ inflatedBytes: 3 * MB })
    expect(badRequestMessage(() => openZipArchive(bomb, { ...limits, maxInflatedBytes: 2 * MB }, 'DOCX'))).toMatch(
      /more than 2 MB/,
    )
  })

  test('an entry inflating past its declared size is stopped long before it finishes', () => {
    const bomb = makeZipBomb({ inflatedBytes: 8 * MB, lie: true })
    const zip = openZipArchive(bomb, limits, 'DOCX')
    expect(badRequestMessage(() => zip.read('word/document.xml'))).toMatch(/larger than it declares/)
  })

  test('reading an entry again draws nothing more from the inflation budget', () => {
    const a = new Uint8Array(600 * 1024).fill(0x41)
    const b = new Uint8Array(450 * 1024).fill(0x42)
    const archive = writeZip([
      { name: 'a.bin', data: a },
      { name: 'b.bin', data: b },
    ])
    const zip = openZipArchive(archive, { ...limits, maxInflatedBytes: 1.1 * MB, maxZipEntries: 10 }, 'test')
    expect(zip.read('a.bin')!.byteLength).toBe(a.byteLength)
    expect(zip.read('a.bin')!.byteLength).toBe(a.byteLength)
    expect(zip.read('b.bin')!.byteLength).toBe(b.byteLength)
  })

  test('an entry failing its checksum is damage', () => {
    const raw = new TextEncoder().encode('checksummed content')
    const zip = writeZip([
      { name: 'c.txt', deflated: { bytes: deflateSync(raw), crc32: (crc32(raw) ^ 1) >>> 0, size: raw.byteLength } },
    ])
    expect(badRequestMessage(() => openZipArchive(zip, limits, 'PPTX').read('c.txt'))).toMatch(
      /PPTX file is damaged: "c.txt" fails its integrity check/,
    )
  })

  test('an encrypted entry is refused as password-protected', () => {
    const zip = openZipArchive(writeZip([{ name: 'e.xml', data: 'x', encryptedFlag: true }]), limits, 'DOCX')
    expect(badRequestMessage(() => zip.read('e.xml'))).toMatch(/password-protected/)
  })

  test('the entry-count cap is checked from the directory', () => {
    expect(badRequestMessage(() => openZipArchive(makeCrowdedZip(30), { ...limits, maxZipEntries: 20 }, 'DOCX'))).toMatch(
      /30 files; at most 20/,
    )
    expect(() => openZipArchive(makeCrowdedZip(20), { ...limits, maxZipEntries: 20 }, 'DOCX')).not.toThrow()
  })

  test('a damaged directory is refused', () => {
    const zip = writeZip([{ name: 'a.txt', data: 'hello' }])
    expect(badRequestMessage(() => openZipArchive(zip.slice(0, 20), limits, 'DOCX'))).toMatch(/DOCX file is damaged/)
  })
})
