/**
 * A run of extracted text with where it came from. Paragraphs inside `text` are separated
 * by blank lines and lines by single newlines, which is what the chunker splits on.
 */
export interface DocumentSection {
  text: string
  /** 1-based PDF page the text was printed on. */
  page?: number
  /** 1-based slide number in presentation order. */
  slide?: number
}
