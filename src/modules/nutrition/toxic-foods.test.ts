import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { checkIngredients, findToxicFoods, TOXIC_FOODS } from './toxic-foods'

const dog = { species: 'dog' as const }
const cat = { species: 'cat' as const }

describe('toxic foods', () => {
  test('each toxic food is refused with its reason, in Korean and English names alike', () => {
    const cases: Array<[string, string]> = [
      ['포도', '신부전'],
      ['건포도', '신부전'],
      ['raisins', '신부전'],
      ['양파', '빈혈'],
      ['garlic', '빈혈'],
      ['대파', '빈혈'],
      ['부추', '빈혈'],
      ['초콜릿', '테오브로민'],
      ['자일리톨 껌', '저혈당'],
      ['마카다미아', '뒷다리'],
      ['아보카도', '퍼신'],
      ['커피', '카페인'],
      ['맥주', '에탄올'],
      ['빵반죽', '위 확장'],
      ['닭뼈', '쪼개져'],
    ]
    for (const [name, reasonPart] of cases) {
      const result = checkIngredients([name], dog)
      expect(result.accepted).toEqual([])
      expect(result.rejected).toHaveLength(1)
      expect(result.rejected[0]!.kind).toBe('toxic')
      expect(result.rejected[0]!.reason).toContain(reasonPart)
    }
  })

  test('toxic foods inside compound names are caught; look-alikes are not', () => {
    expect(checkIngredients(['양파즙', '건포도빵', '마늘가루'], dog).rejected.map((r) => r.name)).toEqual(['양파즙', '건포도빵', '마늘가루'])
    const safe = checkIngredients(['파프리카', '파인애플', '파파야'], dog)
    expect(safe.rejected).toEqual([])
    expect(safe.accepted.map((a) => a.key)).toEqual(['bell_pepper', 'pineapple', 'papaya'])
  })

  test('species-specific entries apply only to their species', () => {
    expect(checkIngredients(['백합'], cat).rejected[0]?.reason).toContain('고양이')
    expect(checkIngredients(['백합'], dog).rejected).toEqual([])
    expect(TOXIC_FOODS.every((f) => f.species.length > 0 && f.reason.length > 10)).toBe(true)
  })

  test('findToxicFoods scans a sentence and reports each food once with its span', () => {
    const text = '포도랑 양파, 그리고 포도 주스'
    const hits = findToxicFoods(text, 'dog')
    expect(hits.map((h) => h.food.id)).toEqual(['grapes_raisins', 'onion'])
    expect(text.slice(hits[1]!.start, hits[1]!.end)).toBe('양파')
  })
})

describe('allergies', () => {
  test('"닭" rejects every chicken product by category, not just one name', () => {
    const result = checkIngredients(['닭가슴살', '닭간', 'chicken thigh', '닭모래집', '칠면조', '고구마'], { ...dog, allergies: ['닭'] })
    expect(result.rejected.map((r) => r.name)).toEqual(['닭가슴살', '닭간', 'chicken thigh', '닭모래집'])
    expect(result.rejected.every((r) => r.kind === 'allergy' && r.reason.includes('닭'))).toBe(true)
    expect(result.accepted.map((a) => a.key)).toEqual(['turkey', 'sweet_potato'])
  })

  test('English allergy names and group words work too', () => {
    expect(checkIngredients(['닭다리살'], { ...dog, allergies: ['chicken'] }).rejected).toHaveLength(1)
    const seafood = checkIngredients(['연어', '새우', '소고기'], { ...dog, allergies: ['해산물'] })
    expect(seafood.rejected.map((r) => r.name)).toEqual(['연어', '새우'])
    const poultry = checkIngredients(['오리고기', '칠면조', '돼지고기'], { ...dog, allergies: ['poultry allergy'] })
    expect(poultry.rejected.map((r) => r.name)).toEqual(['오리고기', '칠면조'])
    const dairy = checkIngredients(['우유', 'paneer'], { ...cat, allergies: ['유제품'] })
    expect(dairy.rejected).toHaveLength(2)
  })

  test('an allergy naming an ingredient covers its allergen group', () => {
    const result = checkIngredients(['닭간', '소고기'], { ...dog, allergies: ['닭가슴살 알러지'] })
    expect(result.rejected.map((r) => r.name)).toEqual(['닭간'])
  })

  test('an allergy naming nothing known still rejects names containing it', () => {
    const result = checkIngredients(['캥거루 고기', '고구마'], { ...dog, allergies: ['캥거루'] })
    expect(result.rejected.map((r) => r.name)).toEqual(['캥거루 고기'])
  })

  test('toxicity is reported before allergy', () => {
    const result = checkIngredients(['양파'], { ...dog, allergies: ['양파'] })
    expect(result.rejected[0]!.kind).toBe('toxic')
  })
})

describe('checkIngredients', () => {
  test('foods outside the curated map are unknown, with IFCT named when we know it lacks them', () => {
    const result = checkIngredients(['브로콜리', '용과', '  ', '당근', '당근'], dog)
    expect(result.unknown.map((u) => u.name)).toEqual(['브로콜리', '용과'])
    expect(result.unknown[0]!.reason).toContain('IFCT 2017')
    expect(result.accepted).toEqual([{ name: '당근', key: 'carrot', ko: '당근', food_code: 'F002' }])
  })

  test('refuses input that is not a list of names', () => {
    expect(() => checkIngredients([1 as unknown as string], dog)).toThrow(AppError)
  })
})
