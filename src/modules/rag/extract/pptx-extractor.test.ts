import { describe, expect, test } from 'bun:test'
import { makePptx } from '../../../../test/fixtures/documents'
import { DEFAULT_EXTRACT_LIMITS } from './extract-limits'
import { extractPptxSections, slideText } from './pptx-extractor'
import { decodeXmlEntities } from './xml-entities'

const slides = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ title: `Title ${i + 1}`, lines: [`Body of part ${i + 1}.`] }))

describe('extractPptxSections', () => {
  test('follows the presentation slide list, numbering slides as shown', () => {
    const deck = makePptx(slides(3), { presentationOrder: [3, 1, 2] })
    const sections = extractPptxSections(deck, DEFAULT_EXTRACT_LIMITS)
    expect(sections.map((s) => [s.slide, s.text.split('\n')[0]])).toEqual([
      [1, 'Title 3'],
      [2, 'Title 1'],
      [3, 'Title 2'],
    ])
  })

  test('without a usable slide list, orders slide parts numerically, not lexically', () => {
    const deck = makePptx(slides(12), { presentationOrder: [] })
    const titles = extractPptxSections(deck, DEFAULT_EXTRACT_LIMITS).map((s) => s.text.split('\n')[0])
    expect(titles).toEqual(slides(12).map((s) => s.title))
    expect(titles.indexOf('Title 10')).toBe(titles.indexOf('Title 2') + 8)
  })

  test('slides without text are skipped but keep their numbers', () => {
    const deck = makePptx([{ title: 'First', lines: [] }, { lines: [] }, { title: 'Third', lines: ['x'] }])
    expect(extractPptxSections(deck, DEFAULT_EXTRACT_LIMITS)).toEqual([
      { text: 'First', slide: 1 },
      { text: 'Third\n\nx', slide: 3 },
    ])
  })
})

describe('slideText', () => {
  test('paragraphs are lines, runs join, breaks split, shapes are paragraphs', () => {
    const xml =
      '<p:sp><p:txBody><a:bodyPr/><a:p><a:pPr algn="ctr"/><a:r><a:t>Quarterly </a:t></a:r><a:r><a:t>results</a:t></a:r></a:p></p:txBody></p:sp>' +
      '<p:sp><p:txBody><a:p><a:r><a:t>line one</a:t></a:r><a:br/><a:r><a:t xml:space="preserve">line two</a:t></a:r></a:p>' +
      '<a:p/><a:p><a:r><a:t>after &amp; &#xAC00;&#44;</a:t></a:r><a:tab/></a:p></p:txBody></p:sp>'
    expect(slideText(xml)).toBe('Quarterly results\n\nline one\nline two\n\nafter & 가,')
  })
})

describe('decodeXmlEntities', () => {
  test('decodes predefined and numeric references, leaves anything else as written', () => {
    expect(decodeXmlEntities('&lt;a&gt; &quot;b&quot; &apos;c&apos; &amp;amp;')).toBe('<a> "b" \'c\' &amp;')
    expect(decodeXmlEntities('&#54620;&#xAE00; &#x1F600;')).toBe('한글 😀')
    expect(decodeXmlEntities('&nbsp; &#xD800; &#0; &#x110000; & alone')).toBe('&nbsp; &#xD800; &#0; &#x110000; & alone')
  })
})
