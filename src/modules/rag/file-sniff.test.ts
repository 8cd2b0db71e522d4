import { describe, expect, test } from 'bun:test'
import { strToU8, zipSync } from 'fflate'
import {
  makeDocx,
  makePdf,
  makePptx,
  makeTruncatedDocx,
  makeZipBomb,
} from '../../../test/fixtures/documents'
import { sniffContentType, SNIFFED_MIME } from './file-sniff'

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (s: string) => new TextEncoder().encode(s)
const withTail = (head: Uint8Array, tailLength = 32) => {
  const out = new Uint8Array(head.byteLength + tailLength)
  out.set(head)
  for (let i = head.byteLength; i < out.byteLength; i++) out[i] = (i * 7) & 0xff
  return out
}

describe('sniffContentType', () => {
  test('recognises real office and PDF files by content, whatever their name says', async () => {
    expect(sniffContentType(await makePdf([['Hello.']]), 'notes.txt').kind).toBe('pdf')
    expect(sniffContentType(await makeDocx(['안녕하세요.']), 'slides.pptx').kind).toBe('docx')
    expect(sniffContentType(makePptx([{ title: 'T', lines: ['x'] }]), 'paper.pdf').kind).toBe('pptx')
  })

  test('reports the canonical MIME type with the kind', async () => {
    const result = sniffContentType(await makeDocx(['x']))
    expect(result).toEqual({ kind: 'docx', mime: SNIFFED_MIME.docx })
    expect(result.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(sniffContentType(text('plain')).mime).toBe('text/plain')
  })

  test('recognises images from their signatures', () => {
    expect(sniffContentType(withTail(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)))).toEqual({
      kind: 'png',
      mime: 'image/png',
    })
    expect(sniffContentType(withTail(bytes(0xff, 0xd8, 0xff, 0xe0))).kind).toBe('jpeg')
    expect(sniffContentType(withTail(text('GIF89a'))).kind).toBe('gif')
    expect(sniffContentType(withTail(text('GIF87a'))).kind).toBe('gif')
    const webp = withTail(text('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))
    expect(sniffContentType(webp)).toEqual({ kind: 'webp', mime: 'image/webp' })
    expect(sniffContentType(withTail(text('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).kind).toBe('unknown')
  })

  test('a ZIP that is not an Office document, or is ambiguous or damaged, is a plain zip', async () => {
    expect(sniffContentType(zipSync({ 'a.txt': strToU8('hello') })).kind).toBe('zip')
    const both = zipSync({ 'word/document.xml': strToU8('<x/>'), 'ppt/presentation.xml': strToU8('<y/>') })
    expect(sniffContentType(both).kind).toBe('zip')
    expect(sniffContentType(await makeTruncatedDocx(), 'report.docx').kind).toBe('zip')
    expect(sniffContentType(bytes(0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0))).kind).toBe('zip')
  })

  test('sniffs a zip bomb from its directory without inflating it', () => {
    expect(sniffContentType(makeZipBomb({ inflatedBytes: 4 * 1024 * 1024 })).kind).toBe('docx')
  })

  test('UTF-8 text is text, and markdown when the name says so', () => {
    expect(sniffContentType(text('Hello, 세계! 😀'))).toEqual({ kind: 'text', mime: 'text/plain' })
    expect(sniffContentType(text('# Title\n\nBody'), 'README.md')).toEqual({
      kind: 'markdown',
      mime: 'text/markdown',
    })
    expect(sniffContentType(text('# Title'), 'notes.MARKDOWN').kind).toBe('markdown')
    expect(sniffContentType(text('# Title'), 'notes.txt').kind).toBe('text')
    expect(sniffContentType(text('\uFEFFwith a byte-order mark')).kind).toBe('text')
  })

  test('text containing a NUL byte is unknown', () => {
    expect(sniffContentType(text('looks like text\u0000but is not'), 'a.txt')).toEqual({
      kind: 'unknown',
      mime: 'application/octet-stream',
    })
  })

  test('invalid UTF-8, UTF-16 and empty input are unknown', () => {
    expect(sniffContentType(bytes(0x68, 0x69, 0xc3, 0x28)).kind).toBe('unknown')
    expect(sniffContentType(bytes(0xff, 0xfe, 0x68, 0x00, 0x69, 0x00)).kind).toBe('unknown')
    expect(sniffContentType(new Uint8Array(0)).kind).toBe('unknown')
    expect(sniffContentType(text('ends mid-character')).kind).toBe('text')
    expect(sniffContentType(new Uint8Array([...text('ends mid-character'), 0xea, 0xb0])).kind).toBe('unknown')
  })

  test('a long text whose sniffed prefix ends inside a character is still text', () => {
    // 3-byte Hangul syllables put a character across the 64 KB boundary (65536 % 3 = 1).
    const long = text('가'.repeat(30000))
    expect(long.byteLength).toBeGreaterThan(64 * 1024)
    expect(sniffContentType(long).kind).toBe('text')
  })

  test('binary data without a known signature is unknown', () => {
    const noise = withTail(bytes(0x00, 0x01, 0x02, 0x03), 256)
    expect(sniffContentType(noise).kind).toBe('unknown')
  })
})
