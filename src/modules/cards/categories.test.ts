import { describe, expect, test } from 'bun:test'
import { CATEGORIES, detectCategories } from './categories'

const cats = (q: string) => detectCategories(q).map((m) => m.category)

describe('detectCategories', () => {
  test('maps Korean and English words to categories', () => {
    expect(cats('교통비 할인되는 카드 추천해줘')).toEqual(['교통'])
    expect(cats('지하철이랑 버스 많이 타요')).toEqual(['교통'])
    expect(cats('I take the subway every day')).toEqual(['교통'])
    expect(cats('스타벅스 자주 가')).toEqual(['카페'])
    expect(cats('coffee lover')).toEqual(['카페'])
    expect(cats('핸드폰 요금')).toEqual(['통신'])
    expect(cats('기름값 아끼고 싶어')).toEqual(['주유'])
    expect(cats('넷플릭스 구독료')).toEqual(['구독'])
    expect(cats('동물병원비가 많이 나와요')).toEqual(['병원/약국'])
  })

  test('travel words ask about both 해외 and 여행/항공', () => {
    expect(cats('해외여행 많이 가요')).toEqual(['해외', '여행/항공'])
    expect(cats('I travel abroad a lot')).toEqual(['해외', '여행/항공'])
    expect(cats('국내여행 호텔')).toEqual(['여행/항공'])
  })

  test('the longest overlapping keyword wins', () => {
    expect(cats('스마트폰 할부')).toEqual(['통신'])
    expect(cats('가스요금 자동이체')).toEqual(['공과금'])
    expect(cats('gas bill')).toEqual(['공과금'])
    expect(cats('gas station')).toEqual(['주유'])
  })

  test('English keywords need whole words', () => {
    expect(cats('cute bus')).toEqual(['교통'])
    expect(cats('cu 편의점')).toEqual(['편의점'])
  })

  test('several categories come back in the order they are mentioned, each once with its keywords', () => {
    const m = detectCategories('배달 자주 시키고 카페도 가고 배민 많이 써요')
    expect(m.map((x) => x.category)).toEqual(['배달', '카페'])
    expect(m[0]!.keywords).toEqual(['배달', '배민'])
  })

  test('questions without category words return nothing', () => {
    expect(cats('연회비 없는 카드')).toEqual([])
    expect(cats('')).toEqual([])
  })

  test('there are sixteen categories', () => {
    expect(CATEGORIES).toHaveLength(16)
  })
})
