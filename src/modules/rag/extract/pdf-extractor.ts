import type { getDocumentProxy } from 'unpdf'
import { badRequest } from '../../../platform/errors'
import type { DocumentSection } from './document-section'
import { tooManyParagraphs, tooMuchText, type ExtractLimits } from './extract-limits'

/** The parts of a pdf.js text item we read; marked-content items carry no `str`. */
interface PositionedText {
  str: string
  transform: number[]
  height: number
  hasEOL: boolean
}

interface PrintedLine {
  text: string
  baseline: number
  height: number
}

/**
 * A gap between baselines wider than this many line heights starts a new paragraph;
 * ordinary line spacing is 1.1-1.3, a blank line about 2.
 */
const PARAGRAPH_GAP = 1.6

function isPositionedText(item: unknown): item is PositionedText {
  return typeof item === 'object' && item !== null && typeof (item as PositionedText).str === 'string'
}

function printedLines(items: unknown[]): PrintedLine[] {
  const lines: PrintedLine[] = []
  let current: PrintedLine | undefined
  for (const item of items) {
    if (!isPositionedText(item)) continue
    const height = Math.abs(item.height || item.transform[3] || 0)
    if (!current) current = { text: '', baseline: item.transform[5] ?? 0, height }
    current.text += item.str
    current.height = Math.max(current.height, height)
    if (item.hasEOL) {
      lines.push(current)
      current = undefined
    }
  }
  if (current) lines.push(current)
  return lines
}

/*
 * Rebuilds paragraphs from printed lines: PDF has no paragraphs, only glyphs at positions,
 * and wrapped lines must be rejoined or every line break would look like a sentence end.
 */
function linesToParagraphs(lines: PrintedLine[]): string {
  const paragraphs: string[] = []
  let paragraph = ''
  let previous: PrintedLine | undefined
  for (const line of lines) {
    const text = line.text.replace(/\s+/g, ' ').trim()
    if (!text) {
      if (paragraph) paragraphs.push(paragraph)
      paragraph = ''
      previous = undefined
      continue
    }
    if (previous && paragraph) {
      const gap = previous.baseline - line.baseline
      const lineHeight = Math.max(previous.height, line.height)
      const newParagraph = gap < 0 || (lineHeight > 0 && gap > lineHeight * PARAGRAPH_GAP)
      if (newParagraph) {
        paragraphs.push(paragraph)
        paragraph = text
      } else {
        paragraph += paragraph.endsWith('-') ? text : ` ${text}`
      }
    } else {
      paragraph = text
    }
    previous = line
  }
  if (paragraph) paragraphs.push(paragraph)
  return paragraphs.join('\n\n')
}

/**
 * What a PDF may still yield: printed lines, text items (a line is a few runs at most, so
 * items get ITEMS_PER_LINE times the line budget) and UTF-8 bytes of text.
 */
interface PdfBudget {
  lines: number
  items: number
  bytes: number
}
const ITEMS_PER_LINE = 4

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<typeof getDocumentProxy>>['getPage']>>

/**
 * A page's text items, read as pdf.js streams them so a page built to print millions of
 * glyph runs is refused, and its parse cancelled, once the shared budget of printed lines
 * or text bytes is spent, before the items pile up.
 */
async function pageItems(page: PdfPage, budget: PdfBudget, limits: ExtractLimits): Promise<unknown[]> {
  const items: unknown[] = []
  const reader = (page.streamTextContent() as ReadableStream<{ items: unknown[] }>).getReader()
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      for (const item of read.value.items) {
        if (!isPositionedText(item)) continue
        if ((item.hasEOL && --budget.lines < 0) || --budget.items < 0) throw badRequest(tooManyParagraphs('PDF', limits.maxParagraphs))
        if ((budget.bytes -= Buffer.byteLength(item.str)) < 0) throw badRequest(tooMuchText(limits.maxTextBytes))
        items.push(item)
      }
    }
    return items
  } finally {
    // Not cancel(): pdf.js then enqueues into the closed stream and throws where nothing can
    // catch it.
    reader.releaseLock()
  }
}

/** Documents refused mid-parse whose teardown has not finished; see `pdfParsing`. */
let abandoned = 0

/** Whether a refused PDF may still be parsing on this thread (its worker should not be reused). */
export function pdfParsing(): boolean {
  return abandoned > 0
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name
}

/**
 * One section per page with text, numbered from 1. Throws BAD_REQUEST for a
 * password-protected or unparseable PDF and for one declaring more than `maxPdfPages`
 * pages, which is checked before any page is read.
 */
export async function extractPdfSections(
  bytes: Uint8Array,
  limits: ExtractLimits,
): Promise<DocumentSection[]> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>
  // Loaded on first use: a worker that only ever sees text and office files never pays for pdf.js.
  const { getDocumentProxy: open } = await import('unpdf')
  try {
    // pdf.js takes ownership of (and may detach) the buffer it is given, hence the copy.
    pdf = await open(bytes.slice(), {
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    })
  } catch (error) {
    if (isNamed(error, 'PasswordException')) {
      throw badRequest('The PDF is password-protected; remove the password and upload it again.')
    }
    throw badRequest('The PDF file is damaged or not a valid PDF.', { cause: error })
  }
  try {
    if (pdf.numPages > limits.maxPdfPages) {
      throw badRequest(
        `The PDF has ${pdf.numPages} pages; at most ${limits.maxPdfPages} are accepted.`,
      )
    }
    const sections: DocumentSection[] = []
    const budget: PdfBudget = { lines: limits.maxParagraphs, items: limits.maxParagraphs * ITEMS_PER_LINE, bytes: limits.maxTextBytes }
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number)
      const items = await pageItems(page, budget, limits)
      page.cleanup()
      const text = linesToParagraphs(printedLines(items))
      if (text) sections.push({ text, page: number })
    }
    await pdf.loadingTask.destroy().catch(() => undefined)
    return sections
  } catch (error) {
    // A refused page may still be parsing, and destroying the document waits for it; the
    // caller's worker is terminated after a refusal, which stops it at once.
    abandoned++
    void pdf.loadingTask
      .destroy()
      .catch(() => undefined)
      .finally(() => abandoned--)
    throw error
  }
}
