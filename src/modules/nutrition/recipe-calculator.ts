/**
 * Turns a pet profile and a list of ingredients into the `calculation_result` a petcare recipe
 * stores: daily energy (RER/MER), grams of each ingredient, nutrient totals from IFCT 2017,
 * nutrients per 1000 kcal and a check against the AAFCO adult-maintenance minimums.
 *
 * Grams: the daily energy is split among the ingredients by `ratio` (an energy share; equal
 * shares when no ratio is given), and grams = kcal share ÷ (kcal per gram). The function is
 * pure: the same pet and ingredients always give the same result.
 */
import { AppError } from '../../platform/errors'
import {
  AAFCO_MINIMUMS,
  AAFCO_SOURCE,
  CA_P_RANGE,
  NOT_COVERED,
  profileFor,
  type AafcoProfile,
} from './aafco-profiles'
import { energyRequirement, type LifeStage, type PetInfo } from './energy'
import { IFCT_SOURCE, NUTRIENT_KEYS, type Nutrients } from './ifct-table'
import { findIngredient, ingredientNutrition, type EnergySource } from './ingredients'
import { checkIngredients } from './toxic-foods'

/** One requested ingredient; `ratio` is its relative share of the daily energy. */
export interface RecipeIngredientInput {
  name: string
  ratio?: number
}

/** One ingredient line of a result, nutrients for the computed grams. */
export type RecipeIngredientLine = {
  name: string
  ko: string
  food_code: string
  food_name: string
  energy_share: number
  grams: number
  kcal: number
  kcal_per_100g: number
  energy_source: EnergySource
} & Nutrients

/** One AAFCO minimum compared with the recipe. */
export interface AafcoCheck {
  nutrient: string
  label: string
  unit: 'g' | 'mg'
  value_per_1000_kcal: number
  minimum_per_1000_kcal: number
  meets: boolean
}

/** The stored `calculation_result` of a recipe. */
export interface CalculationResult {
  daily_energy_kcal: number
  rer_kcal: number
  factor: number
  life_stage: LifeStage
  factor_basis: string
  energy_source: EnergySource | 'mixed'
  ingredients: RecipeIngredientLine[]
  totals: { grams: number; kcal: number } & Nutrients
  per_1000_kcal: Nutrients
  ca_p_ratio: number | null
  aafco: {
    profile: AafcoProfile
    source: string
    checks: AafcoCheck[]
    ca_p_ratio: { value: number | null; min: number; max: number; meets: boolean }
    not_covered: readonly string[]
  }
  shortfalls: string[]
  notes: string[]
  data_source: string
}

const MAX_INGREDIENTS = 12

const round = (value: number, digits = 2) => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

const zeroNutrients = (): Nutrients => Object.fromEntries(NUTRIENT_KEYS.map((k) => [k, 0])) as Nutrients
const roundNutrients = (n: Nutrients): Nutrients =>
  Object.fromEntries(NUTRIENT_KEYS.map((k) => [k, round(n[k], k.endsWith('_ug') ? 1 : 2)])) as Nutrients

function validateInputs(ingredients: unknown): RecipeIngredientInput[] {
  if (!Array.isArray(ingredients) || ingredients.length === 0) {
    throw new AppError('VALIDATION', 'at least one ingredient is required')
  }
  if (ingredients.length > MAX_INGREDIENTS) {
    throw new AppError('VALIDATION', `at most ${MAX_INGREDIENTS} ingredients per recipe`)
  }
  return ingredients.map((item, i) => {
    const o = (typeof item === 'string' ? { name: item } : item) as Record<string, unknown> | null
    if (!o || typeof o.name !== 'string' || o.name.trim() === '') {
      throw new AppError('VALIDATION', `ingredients[${i}].name is required`)
    }
    if (o.ratio !== undefined && o.ratio !== null) {
      if (typeof o.ratio !== 'number' || !Number.isFinite(o.ratio) || o.ratio <= 0) {
        throw new AppError('VALIDATION', `ingredients[${i}].ratio must be a positive number`)
      }
      return { name: o.name.trim(), ratio: o.ratio }
    }
    return { name: o.name.trim() }
  })
}

/**
 * Calculates a recipe for a validated pet. Guarantees: the ingredient energies sum to the daily
 * energy; every ingredient is screened first, and a toxic, allergenic, unknown or repeated
 * ingredient throws AppError VALIDATION naming it and why (details carry the full screen).
 */
export function calculateRecipe(pet: PetInfo, ingredients: readonly RecipeIngredientInput[]): CalculationResult {
  const inputs = validateInputs(ingredients)
  const screen = checkIngredients(
    inputs.map((i) => i.name),
    { species: pet.species, allergies: pet.allergies },
  )
  if (screen.rejected.length > 0 || screen.unknown.length > 0) {
    const reasons = [...screen.rejected, ...screen.unknown].map((r) => `${r.name} — ${r.reason}`)
    throw new AppError('VALIDATION', `사용할 수 없는 식재료가 있습니다: ${reasons.join(' / ')}`, {
      details: { rejected: screen.rejected, unknown: screen.unknown },
    })
  }
  const entries = inputs.map((input) => findIngredient(input.name)!)
  const keys = new Set<string>()
  for (const [i, entry] of entries.entries()) {
    if (keys.has(entry.key)) throw new AppError('VALIDATION', `${inputs[i]!.name}: 같은 식재료가 두 번 들어 있습니다`)
    keys.add(entry.key)
  }

  const energy = energyRequirement(pet)
  const ratios = inputs.map((i) => i.ratio ?? 1)
  const ratioSum = ratios.reduce((a, b) => a + b, 0)

  const totals = zeroNutrients()
  let totalGrams = 0
  const sources = new Set<EnergySource>()
  const lines: RecipeIngredientLine[] = entries.map((entry, i) => {
    const nutrition = ingredientNutrition(entry)
    if (nutrition.kcal_per_100g <= 0) {
      throw new AppError('VALIDATION', `${inputs[i]!.name}: IFCT 2017에 에너지 값이 없어 양을 계산할 수 없습니다`)
    }
    const share = ratios[i]! / ratioSum
    const kcal = energy.mer_kcal * share
    const grams = kcal / (nutrition.kcal_per_100g / 100)
    const amounts = zeroNutrients()
    for (const k of NUTRIENT_KEYS) {
      amounts[k] = (nutrition.per100g[k] * grams) / 100
      totals[k] += amounts[k]
    }
    totalGrams += grams
    sources.add(nutrition.energy_source)
    return {
      name: inputs[i]!.name,
      ko: entry.ko,
      food_code: entry.food_code,
      food_name: nutrition.food_name,
      energy_share: round(share, 4),
      grams: round(grams, 1),
      kcal: round(kcal, 1),
      kcal_per_100g: round(nutrition.kcal_per_100g, 1),
      energy_source: nutrition.energy_source,
      ...roundNutrients(amounts),
    }
  })

  const per1000 = zeroNutrients()
  for (const k of NUTRIENT_KEYS) per1000[k] = (totals[k] * 1000) / energy.mer_kcal

  const checks: AafcoCheck[] = AAFCO_MINIMUMS.map((m) => {
    const value = per1000[m.key] * m.scale
    const minimum = m[pet.species]
    return {
      nutrient: m.nutrient,
      label: m.label,
      unit: m.unit,
      value_per_1000_kcal: round(value, 3),
      minimum_per_1000_kcal: minimum,
      meets: value >= minimum,
    }
  })
  const caP = totals.phosphorus_mg > 0 ? totals.calcium_mg / totals.phosphorus_mg : null
  const caPMeets = caP !== null && caP >= CA_P_RANGE.min && caP <= CA_P_RANGE.max
  const profile = profileFor(pet.species)
  const profileLabel = pet.species === 'dog' ? '성견 유지기' : '성묘 유지기'

  const shortfalls = checks
    .filter((c) => !c.meets)
    .map(
      (c) =>
        `${c.label}(${c.nutrient}) 부족: 1000 kcal당 ${c.value_per_1000_kcal} ${c.unit} — AAFCO ${profileLabel} 최소 ${c.minimum_per_1000_kcal} ${c.unit}`,
    )
  if (!caPMeets) {
    shortfalls.push(
      caP === null
        ? '칼슘:인 비율: 인이 0이라 비율을 계산할 수 없습니다 (권장 1:1–2:1)'
        : `칼슘:인 비율 ${round(caP, 2)}:1 — 권장 범위 ${CA_P_RANGE.min}:1–${CA_P_RANGE.max}:1 밖입니다`,
    )
  }

  const notes = [
    '이 계산은 IFCT 2017 식품성분표의 생식재료(가식부 100 g) 값을 쓰며, 조리에 따른 수분·영양 손실은 반영하지 않습니다.',
    '부족한 영양소는 보충제로 채워야 하며, 가정식을 오래 급여하려면 수의영양 전문의와 상담하세요.',
  ]
  if (energy.life_stage !== 'adult_dog' && energy.life_stage !== 'adult_cat') {
    notes.push('성장기에는 AAFCO 성장기 기준이 더 높습니다. 여기서는 유지기 최소치로만 확인했습니다.')
  }
  if (pet.species === 'cat') {
    notes.push('고양이는 타우린이 필수입니다. IFCT 2017에는 타우린 자료가 없어 확인하지 못했습니다.')
  }

  return {
    daily_energy_kcal: round(energy.mer_kcal, 1),
    rer_kcal: round(energy.rer_kcal, 1),
    factor: energy.factor,
    life_stage: energy.life_stage,
    factor_basis: energy.factor_basis,
    energy_source: sources.size === 1 ? [...sources][0]! : 'mixed',
    ingredients: lines,
    totals: { grams: round(totalGrams, 1), kcal: round(energy.mer_kcal, 1), ...roundNutrients(totals) },
    per_1000_kcal: roundNutrients(per1000),
    ca_p_ratio: caP === null ? null : round(caP, 2),
    aafco: {
      profile,
      source: AAFCO_SOURCE,
      checks,
      ca_p_ratio: { value: caP === null ? null : round(caP, 2), min: CA_P_RANGE.min, max: CA_P_RANGE.max, meets: caPMeets },
      not_covered: NOT_COVERED[pet.species],
    },
    shortfalls,
    notes,
    data_source: IFCT_SOURCE,
  }
}
