import { badRequest } from '../../../platform/errors'
import type { DocumentSection } from './document-section'
import { tooManyParagraphs, type ExtractLimits } from './extract-limits'
import { decodeXmlEntities } from './xml-entities'
import { openZipArchive, type ZipArchive } from './zip-archive'

const SLIDE_PART = /^ppt\/slides\/slide(\d+)\.xml$/
const SLIDE_ID = /<p:sldId\b[^>]*>/g
const RELATIONSHIP = /<Relationship\b[^>]*>/g

/**
 * DrawingML text tokens: paragraph open (`<a:p>`, or self-closing and therefore empty),
 * paragraph close, line break, a text run's `<a:t>` content, and the end of a shape's text
 * body. The lookaheads keep `<a:pPr>` and `<a:tab>`/`<a:tbl>` from matching.
 */
const TOKEN =
  /<a:p(?=[\s>/])[^>]*?(\/)?>|<\/a:p>|<a:br\b[^>]*>|<a:t(?:\s[^>]*)?>([^<]*)<\/a:t>|<\/p:txBody>/g

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(["'])(.*?)\\1`).exec(tag)
  return match ? decodeXmlEntities(match[2]!) : undefined
}

/** Turns a relationship target (relative to `ppt/`, or package-absolute) into a part name. */
function resolvePart(target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : `ppt/${target}`).split('/')
  const out: string[] = []
  for (const segment of segments) {
    if (segment === '..') out.pop()
    else if (segment !== '.' && segment !== '') out.push(segment)
  }
  return out.join('/')
}

/**
 * Slide parts in presentation order. The order shown to people lives in
 * `presentation.xml`'s slide id list; when that cannot be resolved completely we fall back
 * to the part numbers, compared as numbers so slide10 comes after slide2.
 */
function slideOrder(zip: ZipArchive): string[] {
  const numbered = zip.names
    .map((name) => ({ name, match: SLIDE_PART.exec(name) }))
    .filter((e) => e.match !== null)
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]))
    .map((e) => e.name)

  const presentation = zip.readText('ppt/presentation.xml')
  const rels = zip.readText('ppt/_rels/presentation.xml.rels')
  if (!presentation || !rels) return numbered

  const targets = new Map<string, string>()
  for (const tag of rels.match(RELATIONSHIP) ?? []) {
    const id = attribute(tag, 'Id')
    const target = attribute(tag, 'Target')
    if (id && target) targets.set(id, resolvePart(target))
  }
  const ordered: string[] = []
  for (const tag of presentation.match(SLIDE_ID) ?? []) {
    const id = attribute(tag, 'r:id')
    const part = id ? targets.get(id) : undefined
    if (!part || !SLIDE_PART.test(part) || !zip.names.includes(part)) return numbered
    ordered.push(part)
  }
  return ordered.length > 0 ? ordered : numbered
}

/** Paragraphs a deck may still hold; shared by its slides so the whole deck is bounded. */
export interface ParagraphBudget {
  left: number
  readonly limit: number
}

/**
 * The text of one slide: each `<a:p>` becomes a line, `<a:br>` a line break, and each
 * shape's text body ends with a blank line so titles and bodies stay separate paragraphs.
 * Each line (paragraph or text body end) is charged to `budget`, and the scan stops as soon as it is spent.
 */
export function slideText(xml: string, budget: ParagraphBudget = { left: Infinity, limit: Infinity }): string {
  const lines: string[] = []
  const push = (text: string) => {
    if (--budget.left < 0) throw badRequest(tooManyParagraphs('PPTX', budget.limit))
    lines.push(text)
  }
  let line = ''
  for (const token of xml.matchAll(TOKEN)) {
    const [whole, selfClosing, run] = token
    if (run !== undefined) {
      line += decodeXmlEntities(run)
    } else if (whole.startsWith('<a:p')) {
      line = ''
      if (selfClosing) push('')
    } else if (whole === '</a:p>') {
      push(line.replace(/[ \t]+/g, ' ').trim())
      line = ''
    } else if (whole.startsWith('<a:br')) {
      line += '\n'
    } else {
      push('')
    }
  }
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** Slide texts in presentation order, numbered from 1; slides without text are skipped. */
export function extractPptxSections(bytes: Uint8Array, limits: ExtractLimits): DocumentSection[] {
  const zip = openZipArchive(bytes, limits, 'PPTX')
  const slides = slideOrder(zip)
  if (slides.length === 0) throw badRequest('The PPTX file contains no slides.')
  if (slides.length > limits.maxSlides) {
    throw badRequest(`The PPTX file has ${slides.length} slides; at most ${limits.maxSlides} are accepted.`)
  }
  const budget: ParagraphBudget = { left: limits.maxParagraphs, limit: limits.maxParagraphs }
  const sections: DocumentSection[] = []
  slides.forEach((part, index) => {
    const text = slideText(zip.readText(part) ?? '', budget)
    if (text) sections.push({ text, slide: index + 1 })
  })
  return sections
}
