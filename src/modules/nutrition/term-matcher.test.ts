import { describe, expect, test } from 'bun:test'
import { findTerms, normalizeName } from './term-matcher'

const terms = (...names: string[]) => names.map((term) => ({ term, value: term }))
const found = (text: string, names: string[], loose = false) => findTerms(text, terms(...names), { loose }).map((h) => h.value)

describe('findTerms', () => {
  test('Korean nouns followed by particles are found; longer words containing them are not', () => {
    expect(found('고구마랑 연어로 만들어줘', ['고구마', '연어'])).toEqual(['고구마', '연어'])
    expect(found('연어알 주세요', ['연어'])).toEqual([])
    expect(found('닭가슴살, 당근', ['닭가슴살', '당근'])).toEqual(['닭가슴살', '당근'])
  })

  test('one-syllable terms take only object and conjunction particles', () => {
    expect(found('배를 넣어줘', ['배'])).toEqual(['배'])
    expect(found('배가 아파요', ['배'])).toEqual([])
    expect(found('파프리카 주세요', ['파'])).toEqual([])
    expect(found('대파랑 양파', ['파'])).toEqual([])
  })

  test('loose mode finds a term inside compounds but not inside listed false friends', () => {
    expect(found('양파즙 먹여도 돼?', ['양파'], true)).toEqual(['양파'])
    expect(found('건포도빵', ['포도'], true)).toEqual(['포도'])
    expect(found('포도당 수액', ['포도'], true)).toEqual([])
    expect(found('파프리카', ['파'], true)).toEqual([])
  })

  test('overlapping hits keep the longest term', () => {
    expect(found('건포도 먹었어', ['포도', '건포도'], true)).toEqual(['건포도'])
    expect(found('chicken liver please', ['chicken', 'chicken liver'])).toEqual(['chicken liver'])
  })

  test('English terms match whole words, case-insensitively, with plurals', () => {
    expect(found('Grapes and ONIONS', ['grape', 'onion'])).toEqual(['grape', 'onion'])
    expect(found('grapefruit', ['grape'])).toEqual([])
    expect(found('sweet-potato mash', ['sweet potato'])).toEqual(['sweet potato'])
  })

  test('normalizeName ignores case, spaces and separators', () => {
    expect(normalizeName(' Chicken  Breast ')).toBe(normalizeName('chicken-breast'))
    expect(normalizeName('닭 가슴살')).toBe('닭가슴살')
  })
})
