import { describe, expect, test } from 'bun:test'
import { formOfShortStem, isConcessiveVerb, isStateVerb, sameRoot, shortStemOf } from './offline-korean-forms'

describe('forms of one Korean word', () => {
  test('a root and its endings, the last syllable differing in its final consonant', () => {
    expect(sameRoot('만드', '만들면')).toBe(true)
    expect(sameRoot('가져오', '가져온다')).toBe(true)
    expect(sameRoot('잃어버렸는데', '잃어버려')).toBe(true)
  })

  test('an ending 어/아 contracted onto the stem: 챙기 / 챙겨, 피우 / 피워, 데리 / 데려', () => {
    expect(sameRoot('챙겨', '챙기고')).toBe(true)
    expect(sameRoot('피워', '피우면')).toBe(true)
    expect(sameRoot('데리러', '데려가려면')).toBe(true)
  })

  test('different words are not forms of one root', () => {
    expect(sameRoot('가족', '가져')).toBe(false)
    expect(sameRoot('연차', '연금')).toBe(false)
    // A last syllable that is not an ending is part of the word: "데리고" and "데이트" share no root.
    expect(sameRoot('데리고', '데이트')).toBe(false)
    expect(sameRoot('하', '해')).toBe(false)
  })

  test('a one-syllable stem that ends in a consonant, with its ending', () => {
    expect(formOfShortStem('묵', '묵어야')).toBe(true)
    expect(formOfShortStem('깎', '깎아')).toBe(true)
    expect(formOfShortStem('늦', '늦으면')).toBe(true)
    expect(formOfShortStem('묵', '묵은지')).toBe(false)
    // An open syllable begins too many other words.
    expect(formOfShortStem('가', '가고')).toBe(false)
  })
})

test('a verb in its 아/어도 form, not a noun with the particle 도', () => {
  for (const verb of ['타도', '보내도', '피워도', '먹어도', '데려가도']) expect(isConcessiveVerb(verb)).toBe(true)
  for (const noun of ['강아지도', '사진도', '도', '주말에']) expect(isConcessiveVerb(noun)).toBe(false)
})

test('the one-syllable stem of a two-syllable verb form, and a stem in ㄹ with 면', () => {
  expect(shortStemOf('팔아')).toBe('팔')
  expect(shortStemOf('깎고')).toBe('깎')
  expect(shortStemOf('가고')).toBeUndefined()
  expect(shortStemOf('팔면서')).toBeUndefined()
  expect(formOfShortStem('팔', '팔면')).toBe(true)
  expect(formOfShortStem('묵', '묵면')).toBe(false)
})

test('a verb in its 아/어 form, as before 있다, and nouns that only look like one', () => {
  for (const verb of ['놓여', '적혀', '열려', '붙어', '남아', '배워', '맡겨']) expect(isStateVerb(verb)).toBe(true)
  for (const noun of ['전화', '중성화', '자녀', '의자', '창고', '아이', '오디오']) expect(isStateVerb(noun)).toBe(false)
})
