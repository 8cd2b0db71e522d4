import { describe, expect, test } from 'bun:test'
import { strToU8, zipSync } from 'fflate'
import { AppError } from '../../../platform/errors'
import {
  makeBlankPdf,
  makeCorruptDocx,
  makeCorruptPdf,
  makeCrowdedZip,
  makeDocx,
  makeDocxPackage,
  makeDocxWithBrokenXml,
  makeEncryptedPdf,
  makePdf,
  makePptx,
  makeTruncatedDocx,
  makeZipBomb,
} from '../../../../test/fixtures/documents'
import { extractDocument } from './extract-document'

const utf8 = (s: string) => new TextEncoder().encode(s)

/** Asserts the promise rejects with an AppError BAD_REQUEST whose message matches. */
async function expectBadRequest(promise: Promise<unknown>, message: RegExp): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  const appError = error as AppError
  expect(appError.code).toBe('BAD_REQUEST')
  expect(appError.status).toBe(400)
  expect(appError.message).toMatch(message)
  return appError
}

describe('extractDocument: formats', () => {
  test('PDF: one section per page with its page number, wrapped lines rejoined into paragraphs', async () => {
    const long =
      'The Orbis K7 water filter removes ninety percent of chlorine within the first month of use, ' +
      'after which the cartridge must be replaced to keep the flow rate above two litres per minute.'
    const pdf = await makePdf([[long, 'Second paragraph on page one.'], [], ['Page three says goodbye.']])
    const doc = await extractDocument(pdf, 'manual.pdf')
    expect(doc.kind).toBe('pdf')
    expect(doc.sections).toEqual([
      { text: `${long}\n\nSecond paragraph on page one.`, page: 1 },
      { text: 'Page three says goodbye.', page: 3 },
    ])
  })

  test('DOCX: raw text with paragraphs kept apart, Korean intact', async () => {
    const docx = await makeDocx([{ heading: '출장 규정' }, '항공권은 출발 14일 전에 예약해야 합니다.', 'Hotels: up to 180,000 KRW per night.'])
    const doc = await extractDocument(docx, '규정.docx')
    expect(doc).toEqual({
      kind: 'docx',
      sections: [{ text: '출장 규정\n\n항공권은 출발 14일 전에 예약해야 합니다.\n\nHotels: up to 180,000 KRW per night.' }],
    })
  })

  test('PPTX: slides in numeric order (slide10 after slide2), paragraphs as lines, entities decoded', async () => {
    const slides = Array.from({ length: 12 }, (_, i) => ({
      title: `Slide ${i + 1}`,
      lines: [`Fact ${i + 1}: R&D <budget> is "fixed"`, `둘째 줄 ${i + 1}`],
    }))
    const doc = await extractDocument(makePptx(slides), 'deck.pptx')
    expect(doc.kind).toBe('pptx')
    expect(doc.sections.map((s) => s.slide)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(doc.sections.map((s) => s.text.split('\n')[0])).toEqual(slides.map((s) => s.title))
    expect(doc.sections[9]).toEqual({
      text: 'Slide 10\n\nFact 10: R&D <budget> is "fixed"\n둘째 줄 10',
      slide: 10,
    })
  })

  test('plain text and markdown keep their text; CRLF and a byte-order mark are normalised', async () => {
    expect(await extractDocument(utf8('\uFEFFline one\r\nline two'), 'a.txt')).toEqual({
      kind: 'text',
      sections: [{ text: 'line one\nline two' }],
    })
    expect(await extractDocument(utf8('# 제목\n\n- **항목** 하나'), 'notes.md')).toEqual({
      kind: 'markdown',
      sections: [{ text: '# 제목\n\n- **항목** 하나' }],
    })
  })

  test('NUL inside a file never reaches the stored text', async () => {
    const xml = (text: string) =>
      `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`
    const doc = await extractDocument(makeDocxPackage(xml('nul\u0000here\u0000')), 'a.docx')
    expect(doc.sections.map((s) => s.text)).toEqual(['nulhere'])
  })

  test('the format comes from the bytes, not the name', async () => {
    const doc = await extractDocument(await makeDocx(['Real Word content.']), 'misnamed.pdf')
    expect(doc.kind).toBe('docx')
  })
})

describe('extractDocument: refusals are BAD_REQUEST', () => {
  test('an encrypted PDF', async () => {
    await expectBadRequest(extractDocument(makeEncryptedPdf(), 'secret.pdf'), /password-protected/)
  })

  test('a corrupt PDF, and a .pdf that is not a PDF at all', async () => {
    await expectBadRequest(extractDocument(makeCorruptPdf(), 'broken.pdf'), /PDF file is damaged/)
    await expectBadRequest(extractDocument(new Uint8Array([1, 0, 2, 0, 3]), 'fake.pdf'), /PDF file is damaged/)
  })

  test('a PDF declaring more pages than the cap, before any page is read', async () => {
    const pdf = await makePdf([['one'], ['two'], ['three']])
    await expectBadRequest(extractDocument(pdf, 'long.pdf', { maxPdfPages: 2 }), /3 pages; at most 2/)
    expect((await extractDocument(pdf, 'long.pdf', { maxPdfPages: 3 })).sections).toHaveLength(3)
  })

  test('a PDF with no text layer', async () => {
    await expectBadRequest(extractDocument(await makeBlankPdf(2), 'scan.pdf'), /No text could be extracted/)
  })

  test('a DOCX whose body does not decompress', async () => {
    await expectBadRequest(extractDocument(makeCorruptDocx(), 'broken.docx'), /DOCX file is damaged/)
  })

  test('a DOCX cut short', async () => {
    await expectBadRequest(extractDocument(await makeTruncatedDocx(), 'cut.docx'), /DOCX file is damaged/)
  })

  test('a DOCX with malformed XML: the library error is wrapped, not passed through', async () => {
    const error = await expectBadRequest(extractDocument(makeDocxWithBrokenXml(), 'x.docx'), /could not be read/)
    expect(error.cause).toBeDefined()
  })

  test('a DOCX without any text', async () => {
    const empty = makeDocxPackage(
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>',
    )
    await expectBadRequest(extractDocument(empty, 'empty.docx'), /No text could be extracted from the DOCX/)
  })

  test('a zip bomb whose directory admits its size', async () => {
    await expectBadRequest(extractDocument(makeZipBomb(), 'bomb.docx'), /more than 50 MB.*zip bomb/)
  })

  test('a zip bomb that lies about its size is stopped while inflating', async () => {
    const bomb = makeZipBomb({ inflatedBytes: 8 * 1024 * 1024, lie: true })
    await expectBadRequest(extractDocument(bomb, 'bomb.docx'), /larger than it declares/)
  })

  test('an archive that expands past a configured cap', async () => {
    const bomb = makeZipBomb({ inflatedBytes: 2 * 1024 * 1024 })
    await expectBadRequest(
      extractDocument(bomb, 'big.docx', { maxInflatedBytes: 1024 * 1024 }),
      /more than 1 MB/,
    )
  })

  test('an archive with too many entries', async () => {
    await expectBadRequest(extractDocument(makeCrowdedZip(5001), 'many.docx'), /5001 files; at most 5000/)
  })

  test('unsupported types: images, plain zips, binary data', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
    await expectBadRequest(extractDocument(png, 'photo.png'), /Images cannot be searched/)
    await expectBadRequest(extractDocument(zipSync({ 'a.txt': strToU8('x') }), 'a.zip'), /Unsupported file type/)
    await expectBadRequest(extractDocument(new Uint8Array([0, 1, 2, 3, 0]), 'blob.bin'), /Unsupported file type/)
  })

  test('a password-protected or legacy Office file', async () => {
    const cfb = new Uint8Array(512)
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
    await expectBadRequest(extractDocument(cfb, 'locked.docx'), /password-protected or legacy/)
  })

  test('text that is not UTF-8, or carries a NUL past the sniffed prefix', async () => {
    await expectBadRequest(extractDocument(new Uint8Array([0x68, 0xc3, 0x28]), 'a.txt'), /not valid UTF-8/)
    const late = new Uint8Array(70 * 1024).fill(0x61)
    late[late.length - 1] = 0
    await expectBadRequest(extractDocument(late, 'a.txt'), /binary data/)
  })

  test('empty files and whitespace-only text', async () => {
    await expectBadRequest(extractDocument(new Uint8Array(0), 'a.txt'), /empty/)
    await expectBadRequest(extractDocument(utf8(' \n\t\n '), 'a.md'), /No text could be extracted/)
  })
})
