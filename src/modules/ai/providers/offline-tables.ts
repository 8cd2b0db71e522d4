/**
 * Tables in passages, for the offline answerer. A Markdown table reaches a passage either as
 * its lines ("| Team | 15 dollars | 1 TB |") or, from a format that joins a block's lines (DOCX,
 * PDF, PPTX), as one line of rows ("| Plan | Storage | |---|---| | Team | 1 TB |"). Each data
 * row becomes a sentence of its own that says its cells with their column names, so a question
 * naming a row and a column finds that row, and the answer can say the cell with its row's label.
 */

/** One data row: its label (first cell), the column names when the passage holds the header, its cells. */
export interface TableRow {
  label: string
  header?: string[]
  cells: string[]
}

/** A passage line as the answerer reads it: a sentence, or a table row said as one. */
export interface ReadLine {
  text: string
  row?: TableRow
}

const SEPARATOR_CELL = /^:?-{2,}:?$/
const isTableLine = (line: string) => /^\|.*\|/.test(line.trim())

/** The rows of one table line: cells between pipes, an empty cell between two pipes ending a row. */
function rowsOfLine(line: string): string[][] {
  const tokens = line.trim().split('|').map((t) => t.trim())
  const rows: string[][] = []
  let current: string[] = []
  // The first and last tokens are outside the outer pipes.
  for (const token of tokens.slice(1, -1)) {
    if (token === '') {
      if (current.length > 0) rows.push(current)
      current = []
    } else current.push(token)
  }
  // A line cut off by the passage's end ("| Business | unlimited versions | 1") keeps what it holds.
  const tail = tokens[tokens.length - 1]
  if (tail) current.push(tail)
  if (current.length > 0) rows.push(current)
  return rows
}

/** How a row is said: "Team — Price per month: 15 dollars; Storage: 1 TB", or its cells when the header is unknown. */
export function sayRow(row: TableRow, columns?: number[]): string {
  const at = columns ?? row.cells.map((_, i) => i).slice(1)
  const said = at.map((i) => (row.header?.[i] ? `${row.header[i]}: ${row.cells[i] ?? ''}` : (row.cells[i] ?? ''))).filter(Boolean)
  return `${row.label} — ${said.join('; ')}`
}

/**
 * The lines of a passage with its tables read row by row: a header row and separator say
 * nothing of their own, and each data row is said with its column names. Other lines as given.
 */
export function readTables(lines: string[]): ReadLine[] {
  const out: ReadLine[] = []
  let header: string[] | undefined
  let previous: string[] | undefined
  for (const line of lines) {
    if (!isTableLine(line)) {
      header = previous = undefined
      out.push({ text: line })
      continue
    }
    for (const cells of rowsOfLine(line)) {
      if (cells.every((c) => SEPARATOR_CELL.test(c))) {
        // The row before the separator was the header, not data.
        if (previous) {
          header = previous
          const at = out.findLastIndex((l) => l.row?.cells === previous)
          if (at >= 0) out.splice(at, 1)
        }
        previous = undefined
        continue
      }
      const row: TableRow = { label: cells[0]!, header, cells }
      out.push({ text: sayRow(row), row })
      previous = cells
    }
  }
  return out
}
