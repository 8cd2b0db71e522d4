const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g

function fromCodePoint(code: number): string | undefined {
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
  return valid ? String.fromCodePoint(code) : undefined
}

/**
 * Decodes the five predefined XML entities and numeric character references. Anything
 * else (unknown names, out-of-range code points) is left exactly as written rather than
 * guessed at, so no input can make this throw.
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#x')) return fromCodePoint(Number.parseInt(body.slice(2), 16)) ?? whole
    if (body.startsWith('#')) return fromCodePoint(Number.parseInt(body.slice(1), 10)) ?? whole
    return NAMED[body] ?? whole
  })
}
