/**
 * A small RFC 4180 CSV reader shared by the import commands (transactions, card catalog)
 * and the IFCT composition loader. It keeps the line number where each record starts,
 * because every import error has to name the row the user must fix.
 */
import { AppError } from '../../platform/errors'

/** One parsed record and the 1-based line of the file on which it starts. */
export interface CsvRecord {
  line: number
  fields: string[]
}

/**
 * Parses CSV text into records. Guarantees: a UTF-8 BOM is dropped, CRLF and LF both end
 * records, quoted fields may hold commas, doubled quotes and newlines, and blank lines are
 * skipped. An unterminated quote throws AppError VALIDATION naming the line it opened on.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let quoted = false
  let quoteLine = 0
  let fieldStarted = false

  const endField = () => {
    fields.push(field)
    field = ''
    fieldStarted = false
  }
  const endRecord = () => {
    endField()
    const blank = fields.length === 1 && fields[0] === ''
    if (!blank) records.push({ line: recordLine, fields })
    fields = []
  }

  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"'
          i++
        } else {
          quoted = false
        }
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true
      quoteLine = line
      fieldStarted = true
    } else if (ch === ',') {
      endField()
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++
      endRecord()
      line++
      recordLine = line
    } else {
      field += ch
      fieldStarted = true
    }
  }
  if (quoted) {
    throw new AppError('VALIDATION', `CSV: quoted field opened on line ${quoteLine} is never closed`, {
      details: { line: quoteLine },
    })
  }
  if (field !== '' || fields.length > 0) endRecord()
  return records
}

/**
 * Maps a header record to column positions. Guarantees every name in `required` is present
 * (trimmed, case-insensitive) or throws AppError VALIDATION listing the missing ones, and
 * that no column name appears twice.
 */
export function headerIndex(header: CsvRecord, required: readonly string[]): Map<string, number> {
  const index = new Map<string, number>()
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase()
    if (name === '') return
    if (index.has(name)) {
      throw new AppError('VALIDATION', `CSV header repeats the column "${name}"`, {
        details: { line: header.line },
      })
    }
    index.set(name, i)
  })
  const missing = required.filter((name) => !index.has(name))
  if (missing.length > 0) {
    throw new AppError('VALIDATION', `CSV header is missing column(s): ${missing.join(', ')}`, {
      details: { line: header.line, missing },
    })
  }
  return index
}
