import { describe, expect, test } from 'bun:test'
import { findUnsafeText, stripControlCharacters, unsafeTextReason } from './text-guard'

describe('text guard', () => {
  test('NUL and unpaired surrogates are unstorable; paired surrogates, RTL marks and paths are text', () => {
    expect(unsafeTextReason('a\u0000b')).toContain('NUL')
    expect(unsafeTextReason('\uD800')).toContain('surrogate')
    expect(unsafeTextReason('x\uDC00')).toContain('surrogate')
    for (const fine of ['😀', '\u202Eabc', '../../etc/passwd', '한국어', '']) expect(unsafeTextReason(fine)).toBeUndefined()
  })

  test('the first unstorable string is found by its path, keys included, files skipped', () => {
    expect(findUnsafeText({ a: [1, { b: 'ok' }, { c: 'x\u0000' }] }, 'body')).toEqual({ path: 'body.a[2].c', reason: 'must not contain NUL characters' })
    expect(findUnsafeText({ ['k\u0000']: 1 }, 'body')?.reason).toContain('key')
    expect(findUnsafeText({ file: new File(['\u0000'], 'a\u0000') , text: 'fine' })).toBeUndefined()
    let deep: unknown = '\uD800'
    for (let i = 0; i < 50_000; i++) deep = [deep]
    expect(findUnsafeText(deep)?.reason).toContain('surrogate')
  })

  test('stored names lose bidi, control and invisible characters, keep joiners and letters', () => {
    expect(stripControlCharacters('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
    expect(stripControlCharacters('a\u0000\u0007\u0085\u200B\u200E\u2066\uFEFFb')).toBe('ab')
    expect(stripControlCharacters('👨\u200D👩 한글.txt')).toBe('👨\u200D👩 한글.txt')
    expect(stripControlCharacters('x\uD800')).toBe('x\uFFFD')
  })
})
