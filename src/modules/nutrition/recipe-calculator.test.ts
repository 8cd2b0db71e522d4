import { describe, expect, test } from 'bun:test'
import { thrownAppError } from '../../../test/support/app-error'
import { WORKED_EXAMPLES } from '../../../test/fixtures/nutrition-worked-examples'
import { parsePetInfo } from './energy'
import { compositionIssues } from './ifct-table'
import { calculateRecipe, type CalculationResult } from './recipe-calculator'
import { suggestIngredients } from './suggest'

/**
 * AAFCO minimums per 1000 kcal ME (2014 revision), typed here from the published tables rather
 * than imported, so a wrong number in aafco-profiles.ts fails these tests.
 */
const AAFCO_MIN: Record<string, Record<string, number>> = {
  dog_growth_reproduction: { protein: 56.3, fat: 21.3, calcium: 3.0, phosphorus: 2.5, sodium: 0.8, iron: 22, zinc: 25, copper: 3.1, magnesium: 0.15, pyridoxine: 0.38 },
  dog_adult_maintenance: { protein: 45, fat: 13.8, calcium: 1.25, phosphorus: 1.0, sodium: 0.2, iron: 10, zinc: 20, copper: 1.83, magnesium: 0.15, pyridoxine: 0.38 },
  cat_growth_reproduction: { protein: 75, fat: 22.5, calcium: 2.5, phosphorus: 2.0, sodium: 0.5, iron: 20, zinc: 18.8, copper: 2.1, magnesium: 0.2, pyridoxine: 1.0 },
  cat_adult_maintenance: { protein: 65, fat: 22.5, calcium: 1.5, phosphorus: 1.25, sodium: 0.5, iron: 20, zinc: 18.8, copper: 1.25, magnesium: 0.1, pyridoxine: 1.0 },
}

const check = (r: CalculationResult, nutrient: string) => r.aafco.checks.find((c) => c.nutrient === nutrient)!
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('worked examples computed by hand from IFCT 2017', () => {
  for (const ex of WORKED_EXAMPLES) {
    test(`${ex.pet}: ${ex.ingredients.join(' + ')}`, () => {
      const pet = parsePetInfo(ex.pet_info)
      const r = calculateRecipe(pet, ex.ingredients.map((name, i) => ({ name, ...(ex.ratios ? { ratio: ex.ratios[i] } : {}) })))

      // Energy and profile.
      expect(r.rer_kcal).toBeCloseTo(ex.rer_kcal, 0)
      expect(r.factor).toBe(ex.factor)
      expect(r.daily_energy_kcal).toBeCloseTo(ex.mer_kcal, 0)
      expect(r.profile.id).toBe(ex.profile as never)
      expect(r.energy_source).toBe('modified_atwater')

      // Each food: the table entry, the weighed form, its pet-food energy and its share.
      r.ingredients.forEach((line, i) => {
        const food = ex.foods[i]!
        expect(line.food_code).toBe(food.food_code)
        expect(line.weighed).toBe(food.weighed as never)
        expect(line.kcal_per_100g).toBeCloseTo(food.kcal_per_100g, 1)
        expect(line.energy_share).toBeCloseTo(food.energy_share, 3)
        expect(Math.abs(line.grams - (line.kcal * 100) / line.kcal_per_100g) / line.grams).toBeLessThan(0.005)
      })

      // Oils take energy from the food; food and supplements together give the day's energy.
      const foodKcal = sum(r.ingredients.map((l) => l.kcal))
      expect(foodKcal + sum(r.supplements.map((s) => s.kcal))).toBeCloseTo(ex.mer_kcal, 0)
      const fraction = foodKcal / ex.mer_kcal
      const hand = ex.food_per_1000_kcal
      expect(check(r, 'protein').food_only_per_1000_kcal).toBeCloseTo(hand.protein_g * fraction, 0)
      expect(check(r, 'calcium').food_only_per_1000_kcal).toBeCloseTo((hand.calcium_mg * fraction) / 1000, 2)
      expect(check(r, 'phosphorus').food_only_per_1000_kcal).toBeCloseTo((hand.phosphorus_mg * fraction) / 1000, 2)
      expect(check(r, 'pyridoxine').food_only_per_1000_kcal).toBeCloseTo(hand.vitamin_b6_mg * fraction, 1)

      // Balanced: every minimum of the profile met, by the hand-typed AAFCO numbers too.
      expect(r.balanced).toBe(true)
      expect(r.shortfalls).toEqual([])
      for (const c of r.aafco.checks) expect(c.meets).toBe(true)
      for (const [nutrient, minimum] of Object.entries(AAFCO_MIN[ex.profile]!)) {
        expect(check(r, nutrient).value_per_1000_kcal).toBeGreaterThanOrEqual(minimum)
      }
      expect(r.ca_p_ratio!).toBeGreaterThanOrEqual(1)
      expect(r.ca_p_ratio!).toBeLessThanOrEqual(2)

      // Totals are the food plus what each supplement supplies.
      for (const key of ['calcium_mg', 'phosphorus_mg', 'zinc_mg', 'sodium_mg'] as const) {
        const food = sum(r.ingredients.map((l) => l[key]))
        const supplied = sum(r.supplements.map((s) => s.supplies[key] ?? 0))
        expect(r.totals[key]).toBeCloseTo(food + supplied, 0)
      }

      // The day split into meals.
      expect(r.meals.per_day).toBeGreaterThanOrEqual(2)
      for (const line of r.ingredients) {
        const meal = r.meals.per_meal.find((m) => m.name === line.ko)!
        expect(meal.grams * r.meals.per_day).toBeCloseTo(line.grams, 0)
      }
      if (pet.species === 'cat') expect(r.supplements.some((s) => s.key === 'taurine')).toBe(true)
    })
  }
})

describe('life-stage profiles', () => {
  const bowl = [{ name: '닭가슴살' }, { name: '쌀밥' }, { name: '당근' }]

  test('a puppy is held to the growth profile, an adult of the same size to maintenance', () => {
    const puppy = calculateRecipe(parsePetInfo({ species: 'dog', age: 0.5, weight_kg: 12 }), bowl)
    const adult = calculateRecipe(parsePetInfo({ species: 'dog', age: 3, weight_kg: 12 }), bowl)
    expect(puppy.profile.id).toBe('dog_growth_reproduction')
    expect(adult.profile.id).toBe('dog_adult_maintenance')
    expect(check(puppy, 'phosphorus').minimum_per_1000_kcal).toBe(2.5)
    expect(check(adult, 'phosphorus').minimum_per_1000_kcal).toBe(1.0)
    expect(check(puppy, 'iron').minimum_per_1000_kcal).toBe(22)
    expect(check(puppy, 'sodium').minimum_per_1000_kcal).toBe(0.8)
    expect(puppy.profile.label).toContain('성장')
    // The same bowl: the growth recipe needs far more phosphorus supplement per 1000 kcal.
    const dcpPer1000 = (r: CalculationResult) => ((r.supplements.find((s) => s.key === 'dicalcium_phosphate')?.grams_per_day ?? 0) * 1000) / r.daily_energy_kcal
    expect(dcpPer1000(puppy)).toBeGreaterThan(3 * dcpPer1000(adult))
  })

  test('a kitten gets the cat growth minimums (phosphorus 2.0, magnesium 0.2)', () => {
    const kitten = calculateRecipe(parsePetInfo({ species: 'cat', age: 0.3, weight_kg: 1.2 }), [{ name: '닭가슴살' }])
    expect(kitten.profile.id).toBe('cat_growth_reproduction')
    expect(check(kitten, 'phosphorus').minimum_per_1000_kcal).toBe(2.0)
    expect(check(kitten, 'magnesium').minimum_per_1000_kcal).toBe(0.2)
    expect(kitten.balanced).toBe(true)
  })

  test('a puppy of unknown or large adult size stays under the large-size calcium maximum; a small one gets 6.25', () => {
    const unknown = calculateRecipe(parsePetInfo({ species: 'dog', age: 0.5, weight_kg: 25 }), bowl)
    expect(check(unknown, 'calcium').maximum_per_1000_kcal).toBe(4.5)
    expect(check(unknown, 'calcium').value_per_1000_kcal).toBeLessThanOrEqual(4.5)
    const small = calculateRecipe(parsePetInfo({ species: 'dog', age: 0.5, weight_kg: 4, adult_weight_kg: 8 }), bowl)
    expect(check(small, 'calcium').maximum_per_1000_kcal).toBe(6.25)
    // Large breeds keep growing past their first birthday.
    expect(calculateRecipe(parsePetInfo({ species: 'dog', age: 1.2, weight_kg: 35 }), bowl).profile.id).toBe('dog_growth_reproduction')
  })
})

describe('food forms', () => {
  const dog = parsePetInfo({ species: 'dog', age: 4, weight_kg: 10, neutered: true })
  const line = (name: string) => calculateRecipe(dog, [{ name }]).ingredients[0]!

  test('달걀 is a raw egg, 삶은 달걀 a boiled one, each weighed as named', () => {
    expect(line('달걀')).toMatchObject({ food_code: 'M001', weighed: 'raw' })
    expect(line('삶은 달걀')).toMatchObject({ food_code: 'M004', weighed: 'cooked' })
  })

  test('rice is weighed cooked: energy of cooked rice, with the dry grain it comes from', () => {
    const rice = line('밥')
    expect(rice).toMatchObject({ food_code: 'A015', weighed: 'cooked', weight_note: '익힌 무게' })
    // IFCT A015: water 9.93, P 7.94, F 0.52, C 78.24 per 100 g raw; cooked at 68.44 % water.
    const f = (100 - 68.44) / (100 - 9.93)
    expect(rice.kcal_per_100g).toBeCloseTo(f * (3.5 * 7.94 + 8.5 * 0.52 + 3.5 * 78.24), 1)
    expect(rice.dry_grams!).toBeCloseTo(rice.grams * f, 0)
    expect(line('현미').weighed).toBe('cooked')
  })

  test('단호박 (kabocha) is not in the table: refused as no data, never the watery pumpkin', () => {
    expect(thrownAppError(() => calculateRecipe(dog, [{ name: '단호박' }])).message).toContain('IFCT 2017')
    const pumpkin = line('늙은호박')
    expect(pumpkin.food_code).toBe('D066')
    expect(pumpkin.kcal_per_100g).toBeLessThan(40)
  })
})

describe('the food table is checked when it loads', () => {
  test('fish B6 (1000× too high in the package) is corrected and listed; sound values are untouched', () => {
    const salmon = compositionIssues().find((i) => i.code === 'P068' && i.nutrient === 'vitamin_b6_mg')!
    expect(salmon.action).toBe('corrected')
    expect(salmon.published).toBeCloseTo(150, 0)
    expect(salmon.used!).toBeCloseTo(0.15, 3)
    expect(compositionIssues().some((i) => i.code === 'N003')).toBe(false)
    expect(compositionIssues().every((i) => i.nutrient === 'vitamin_b6_mg')).toBe(true)
  })

  test("a kitten's salmon recipe shows the real B6 shortfall of the food and covers it", () => {
    const r = calculateRecipe(parsePetInfo({ species: 'cat', age: 4 / 12, weight_kg: 1.5 }), [{ name: '연어' }])
    expect(check(r, 'pyridoxine').food_only_per_1000_kcal).toBeLessThan(1.0)
    expect(check(r, 'pyridoxine').meets).toBe(true)
    expect(r.supplements.some((s) => s.key === 'premix')).toBe(true)
    expect(r.data_quality.some((d) => d.includes('vitamin_b6_mg'))).toBe(true)
  })
})

describe('recipes that cannot be balanced', () => {
  test('cooked brown rice alone for a growing puppy is marked unbalanced with the reason and a vet', () => {
    const r = calculateRecipe(parsePetInfo({ species: 'dog', age: 0.5, weight_kg: 25 }), [{ name: '현미' }])
    expect(r.balanced).toBe(false)
    expect(r.shortfalls.some((s) => s.includes('단백질'))).toBe(true)
    expect(r.notes.some((n) => n.includes('수의사') && n.includes('완전한 식단이 아닙니다'))).toBe(true)
  })

  test('when the message names no protein food, the suggestion adds one the pet may eat', () => {
    const puppy = parsePetInfo({ species: 'dog', age: 0.5, weight_kg: 25, allergies: ['닭'] })
    const s = suggestIngredients('닭고기랑 현미로 만들어줘', puppy)
    expect(s.ingredients.map((i) => i.key)).toEqual(['brown_rice', 'turkey'])
    expect(s.added).toEqual([{ name: '칠면조', reason: expect.stringContaining('단백질') }])
    expect(calculateRecipe(puppy, s.ingredients).balanced).toBe(true)
  })
})

describe('ingredient screening', () => {
  const dog = parsePetInfo({ species: 'dog', age: 4, weight_kg: 10, neutered: true })

  test("a pet called 초코 is not read as chocolate; chocolate by its name still is", () => {
    const named = suggestIngredients('초코가 먹을 닭가슴살 레시피 만들어줘', dog, '초코')
    expect(named.rejected).toEqual([])
    expect(named.ingredients.map((i) => i.key)).toEqual(['chicken_breast'])
    expect(suggestIngredients('초코가 먹을 닭가슴살 레시피 만들어줘', dog).rejected.map((r) => r.kind)).toEqual(['toxic'])
    expect(suggestIngredients('초코한테 초콜릿 줘도 돼?', dog, '초코').rejected.map((r) => r.name)).toEqual(['초콜릿'])
    // A pet called 보리 eats; 보리밥 is still barley.
    expect(suggestIngredients('보리가 먹을 보리밥이랑 소고기', dog, '보리').ingredients.map((i) => i.key)).toEqual(['barley', 'beef'])
  })

  test('toxic, allergenic, unknown and repeated ingredients are refused with the reason', () => {
    const toxic = thrownAppError(() => calculateRecipe(dog, [{ name: '닭가슴살' }, { name: '포도' }]))
    expect(toxic.message).toContain('포도')
    expect(toxic.message).toContain('신부전')
    expect(thrownAppError(() => calculateRecipe({ ...dog, allergies: ['닭'] }, [{ name: '닭다리살' }])).message).toContain('알레르기')
    expect(thrownAppError(() => calculateRecipe(dog, [{ name: '브로콜리' }])).message).toContain('IFCT 2017')
    expect(thrownAppError(() => calculateRecipe(dog, [{ name: '닭가슴살' }, { name: 'chicken breast' }])).message).toContain('두 번')
    thrownAppError(() => calculateRecipe(dog, []))
    thrownAppError(() => calculateRecipe(dog, [{ name: '연어', ratio: 0 }]))
    thrownAppError(() => calculateRecipe(dog, [{ name: '' }]))
  })

  test('a soy-allergic pet gets sunflower oil, a fish-allergic growing pet no fish oil', () => {
    const soy = calculateRecipe(parsePetInfo({ species: 'dog', age: 3, weight_kg: 10, allergies: ['대두'] }), [{ name: '닭가슴살' }, { name: '쌀밥' }])
    expect(soy.supplements.map((s) => s.key)).not.toContain('soybean_oil')
    const fish = calculateRecipe(parsePetInfo({ species: 'dog', age: 0.5, weight_kg: 10, allergies: ['생선'] }), [{ name: '닭가슴살' }, { name: '쌀밥' }])
    expect(fish.supplements.map((s) => s.key)).not.toContain('fish_oil')
    expect(fish.balanced).toBe(false)
    expect(fish.shortfalls.some((s) => s.includes('EPA+DHA'))).toBe(true)
  })
})
