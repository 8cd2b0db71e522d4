/**
 * Turns a pet profile and a list of ingredients into the `calculation_result` a petcare recipe
 * stores: daily energy (RER/MER), the AAFCO profile for the pet's life stage, grams of each
 * ingredient in the form the owner weighs, the supplements that balance it, nutrient totals and
 * per 1000 kcal, the check against the profile, and the day split into meals.
 *
 * Energy is pet-food metabolisable energy (modified Atwater on each weighed form). Grams: the
 * day's food energy is split among the ingredients by `ratio` (an energy share; by category,
 * energy-shares.ts, when no ratio is given), and grams = kcal share ÷ (kcal per gram). When protein falls short
 * of the profile and the recipe has a protein food, the protein foods' share is raised just
 * enough. A recipe that still misses a minimum after balancing is `balanced: false` with the
 * reasons: it is never presented as complete. Pure: the same pet and ingredients always give
 * the same result.
 */
import { AppError } from '../../platform/errors'
import {
  AAFCO_NUTRIENTS,
  AAFCO_SOURCE,
  CA_P_RANGE,
  NOT_COVERED,
  maximumOf,
  minimumOf,
  profileForPet,
  type AafcoProfile,
  type ProfileChoice,
} from './aafco-profiles'
import { categoryShares } from './energy-shares'
import { energyRequirement, mealsPerDay, type LifeStage, type PetInfo } from './energy'
import { WEIGHED_LABEL, type WeighedForm } from './food-forms'
import { IFCT_SOURCE, NUTRIENT_KEYS, type Nutrients } from './ifct-table'
import { findIngredient, ingredientNutrition, type EnergySource, type IngredientNutrition } from './ingredients'
import { balanceRecipe, type SupplementDose } from './recipe-balancer'
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
  /** What the gram figure weighs: raw, cooked or dry. */
  weighed: WeighedForm
  weight_note: string
  /** For grains weighed cooked: the dry grain that cooks into `grams`. */
  dry_grams?: number
  kcal: number
  kcal_per_100g: number
  energy_source: EnergySource
} & Nutrients

/** One AAFCO bound compared with the recipe (food and supplements together). */
export interface AafcoCheck {
  nutrient: string
  label: string
  unit: 'g' | 'mg'
  value_per_1000_kcal: number
  /** The food alone, before supplements. */
  food_only_per_1000_kcal: number
  minimum_per_1000_kcal: number
  maximum_per_1000_kcal?: number
  meets: boolean
}

/** The stored `calculation_result` of a recipe. */
export interface CalculationResult {
  daily_energy_kcal: number
  rer_kcal: number
  factor: number
  life_stage: LifeStage
  factor_basis: string
  energy_source: EnergySource
  energy_basis: string
  profile: { id: AafcoProfile; label: string; basis: string; source: string }
  ingredients: RecipeIngredientLine[]
  supplements: SupplementDose[]
  meals: {
    per_day: number
    per_meal: { name: string; grams: number; weighed: WeighedForm | 'supplement' }[]
  }
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
  balanced: boolean
  /** What is still short or over after balancing; empty when balanced. */
  shortfalls: string[]
  /** Table values that were corrected or excluded for the ingredients used. */
  data_quality: string[]
  notes: string[]
  data_source: string
}

const MAX_INGREDIENTS = 12
/** The protein foods' energy share is never raised above this, so the bowl keeps its other foods. */
const MAX_PROTEIN_SHARE = 0.9

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

/** Nutrients of the food alone if it supplied `kcal`, for energy shares over the ingredients. */
function foodNutrients(items: readonly IngredientNutrition[], shares: readonly number[], kcal: number): Nutrients {
  const out = zeroNutrients()
  items.forEach((item, i) => {
    const grams = (kcal * shares[i]!) / (item.kcal_per_100g / 100)
    for (const k of NUTRIENT_KEYS) out[k] += (item.per100g[k] * grams) / 100
  })
  return out
}

/**
 * Raises the protein foods' energy share (keeping their ratios to one another, and the others'
 * to one another) until protein per 1000 kcal of food reaches `target`, if it can. Protein per
 * 1000 kcal is linear in that share, so the share is solved for directly.
 */
function withProteinShare(items: readonly IngredientNutrition[], shares: number[], target: number): number[] {
  const isProtein = items.map((i) => i.entry.category === 'protein')
  const proteinShare = shares.reduce((a, s, i) => a + (isProtein[i] ? s : 0), 0)
  if (proteinShare === 0 || proteinShare === 1) return shares
  const per1000 = (mask: boolean) => {
    const part = shares.map((s, i) => (isProtein[i] === mask ? s : 0))
    const sum = part.reduce((a, b) => a + b, 0)
    return foodNutrients(items, part.map((s) => s / sum), 1000).protein_g
  }
  const [p, r] = [per1000(true), per1000(false)]
  if (p <= r) return shares
  const current = proteinShare * p + (1 - proteinShare) * r
  if (current >= target) return shares
  const wanted = Math.min(MAX_PROTEIN_SHARE, Math.max(proteinShare, (target - r) / (p - r)))
  return shares.map((s, i) => (isProtein[i] ? (s / proteinShare) * wanted : (s / (1 - proteinShare)) * (1 - wanted)))
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
  const choice = profileForPet(pet)
  const items = entries.map(ingredientNutrition)
  for (const [i, item] of items.entries()) {
    if (item.kcal_per_100g <= 0) throw new AppError('VALIDATION', `${inputs[i]!.name}: 에너지를 계산할 수 없는 식재료입니다`)
  }
  // Without any ratio, energy follows the bowl's categories; with some, a missing one counts 1.
  const ratios = inputs.some((i) => i.ratio !== undefined)
    ? inputs.map((i) => i.ratio ?? 1)
    : categoryShares(entries.map((e) => e.category), pet.species)
  const ratioSum = ratios.reduce((a, b) => a + b, 0)
  const excluded = new Set<string>()
  const allergic = (name: string) => checkIngredients([name], { species: pet.species, allergies: pet.allergies }).rejected.length > 0
  if (allergic('콩기름')) excluded.add('soybean_oil')
  if (allergic('연어')) excluded.add('fish_oil')

  // Raise the protein share until the balanced bowl meets the protein minimum (oils dilute it,
  // so the target is raised by what the last attempt missed), at most three times.
  const protein = AAFCO_NUTRIENTS.find((n) => n.key === 'protein_g')!
  const proteinMin = minimumOf(protein, choice)!
  let shares = ratios.map((r) => r / ratioSum)
  let target = proteinMin * 1.02
  let balance = balanceRecipe({ choice, species: pet.species, dailyKcal: energy.mer_kcal, foodAtFullEnergy: foodNutrients(items, shares, energy.mer_kcal), excluded })
  for (let attempt = 0; attempt < 3; attempt++) {
    const got = (balance.totals.protein_g * 1000) / energy.mer_kcal
    if (got >= proteinMin) break
    target *= (proteinMin * 1.02) / got
    const next = withProteinShare(items, shares, target)
    if (next.every((s, i) => Math.abs(s - shares[i]!) < 1e-9)) break
    shares = next
    balance = balanceRecipe({ choice, species: pet.species, dailyKcal: energy.mer_kcal, foodAtFullEnergy: foodNutrients(items, shares, energy.mer_kcal), excluded })
  }

  const foodKcal = energy.mer_kcal * balance.foodEnergyFraction
  const foodTotals = foodNutrients(items, shares, foodKcal)
  let totalGrams = 0
  const lines: RecipeIngredientLine[] = items.map((item, i) => {
    const kcal = foodKcal * shares[i]!
    const grams = kcal / (item.kcal_per_100g / 100)
    const amounts = zeroNutrients()
    for (const k of NUTRIENT_KEYS) amounts[k] = (item.per100g[k] * grams) / 100
    totalGrams += grams
    const weighed = item.entry.weighed
    return {
      name: inputs[i]!.name,
      ko: item.entry.ko,
      food_code: item.entry.food_code,
      food_name: item.food_name,
      energy_share: round(shares[i]!, 4),
      grams: round(grams, 1),
      weighed,
      weight_note: WEIGHED_LABEL[weighed],
      ...(item.dry_per_weighed_gram !== 1 ? { dry_grams: round(grams * item.dry_per_weighed_gram, 1) } : {}),
      kcal: round(kcal, 1),
      kcal_per_100g: round(item.kcal_per_100g, 1),
      energy_source: item.energy_source,
      ...roundNutrients(amounts),
    }
  })

  const totals = balance.totals
  const per1000 = zeroNutrients()
  for (const k of NUTRIENT_KEYS) per1000[k] = (totals[k] * 1000) / energy.mer_kcal
  const checks = checksFor(choice, per1000, foodTotals, energy.mer_kcal)
  const caP = totals.phosphorus_mg > 0 ? totals.calcium_mg / totals.phosphorus_mg : null
  const caPMeets = caP !== null && caP >= CA_P_RANGE.min && caP <= CA_P_RANGE.max
  const shortfalls = shortfallsOf(choice, checks, caP, caPMeets)
  const meals = mealsPerDay(pet)

  return {
    daily_energy_kcal: round(energy.mer_kcal, 1),
    rer_kcal: round(energy.rer_kcal, 1),
    factor: energy.factor,
    life_stage: energy.life_stage,
    factor_basis: energy.factor_basis,
    energy_source: 'modified_atwater',
    energy_basis: '반려동물 사료 기준 대사에너지: 수정 Atwater 계수(단백질 3.5, 지방 8.5, 탄수화물 3.5 kcal/g, NRC 2006·AAFCO)',
    profile: { id: choice.profile, label: choice.label, basis: choice.basis, source: AAFCO_SOURCE },
    ingredients: lines,
    supplements: balance.doses,
    meals: {
      per_day: meals,
      per_meal: [
        ...lines.map((l) => ({ name: l.ko, grams: round(l.grams / meals, 1), weighed: l.weighed })),
        ...balance.doses.map((d) => ({ name: d.name, grams: round(d.grams_per_day / meals, 2), weighed: 'supplement' as const })),
      ],
    },
    totals: { grams: round(totalGrams, 1), kcal: round(energy.mer_kcal, 1), ...roundNutrients(totals) },
    per_1000_kcal: roundNutrients(per1000),
    ca_p_ratio: caP === null ? null : round(caP, 2),
    aafco: {
      profile: choice.profile,
      source: AAFCO_SOURCE,
      checks,
      ca_p_ratio: { value: caP === null ? null : round(caP, 2), min: CA_P_RANGE.min, max: CA_P_RANGE.max, meets: caPMeets },
      not_covered: NOT_COVERED[pet.species],
    },
    balanced: shortfalls.length === 0,
    shortfalls,
    data_quality: dataQuality(items),
    notes: notesFor(pet, choice, items, shortfalls.length === 0),
    data_source: IFCT_SOURCE,
  }
}

/** Every profile bound with the recipe's value, food and supplements together. */
function checksFor(choice: ProfileChoice, per1000: Nutrients, foodTotals: Nutrients, dailyKcal: number): AafcoCheck[] {
  const checks: AafcoCheck[] = []
  for (const n of AAFCO_NUTRIENTS) {
    const minimum = minimumOf(n, choice)
    if (minimum === undefined) continue
    const maximum = maximumOf(n, choice)
    const value = per1000[n.key] * n.scale
    checks.push({
      nutrient: n.nutrient,
      label: n.label,
      unit: n.unit,
      value_per_1000_kcal: round(value, 3),
      food_only_per_1000_kcal: round(((foodTotals[n.key] * 1000) / dailyKcal) * n.scale, 3),
      minimum_per_1000_kcal: minimum,
      ...(maximum !== undefined ? { maximum_per_1000_kcal: maximum } : {}),
      meets: value >= minimum && (maximum === undefined || value <= maximum),
    })
  }
  return checks
}

function shortfallsOf(choice: ProfileChoice, checks: AafcoCheck[], caP: number | null, caPMeets: boolean): string[] {
  const out = checks
    .filter((c) => !c.meets)
    .map((c) =>
      c.maximum_per_1000_kcal !== undefined && c.value_per_1000_kcal > c.maximum_per_1000_kcal
        ? `${c.label}(${c.nutrient}) 과다: 1000 kcal당 ${c.value_per_1000_kcal} ${c.unit} — ${choice.label} 최대 ${c.maximum_per_1000_kcal} ${c.unit}`
        : `${c.label}(${c.nutrient}) 부족: 1000 kcal당 ${c.value_per_1000_kcal} ${c.unit} — ${choice.label} 최소 ${c.minimum_per_1000_kcal} ${c.unit}${
            c.nutrient === 'protein' || c.nutrient === 'fat' ? ' (보충제로 채울 수 없어 식재료 구성을 바꿔야 합니다)' : ''
          }`,
    )
  if (!caPMeets) {
    out.push(
      caP === null
        ? '칼슘:인 비율: 인이 0이라 비율을 계산할 수 없습니다 (권장 1:1–2:1)'
        : `칼슘:인 비율 ${round(caP, 2)}:1 — 권장 범위 ${CA_P_RANGE.min}:1–${CA_P_RANGE.max}:1 밖입니다`,
    )
  }
  return out
}

function dataQuality(items: readonly IngredientNutrition[]): string[] {
  const out: string[] = []
  for (const item of items) {
    if (item.form_note) out.push(`${item.entry.ko}: ${item.form_note}`)
    for (const issue of item.data_issues) {
      out.push(
        issue.action === 'corrected'
          ? `${item.entry.ko}(${issue.code}) ${issue.nutrient}: 표의 ${issue.published}를 ${round(issue.used!, 3)}로 보정 — ${issue.reason}`
          : `${item.entry.ko}(${issue.code}) ${issue.nutrient}: 표의 ${issue.published}는 비정상 값이라 제외(0으로 계산) — ${issue.reason}`,
      )
    }
  }
  return out
}

function notesFor(pet: PetInfo, choice: ProfileChoice, items: readonly IngredientNutrition[], balanced: boolean): string[] {
  const notes = [
    `기준: ${choice.label} (${choice.basis}). 에너지는 반려동물 사료 기준(수정 Atwater)으로 계산했습니다.`,
    '고기·생선·달걀·채소는 생것 무게, 곡물은 익힌 무게(밥)입니다. 고기와 달걀은 익혀서 급여하세요.',
    '조리 중 수용성 비타민 손실은 반영하지 않았으며, 프리믹스가 그 몫을 채우도록 잡았습니다.',
  ]
  if (pet.species === 'dog' && pet.age >= 7) notes.push('AAFCO에는 노령견 기준이 따로 없어 성견 유지기 기준을 썼습니다. 신장·체중 상태에 맞춰 수의사와 조정하세요.')
  if (pet.species === 'cat' && pet.age >= 10) notes.push('AAFCO에는 노령묘 기준이 따로 없어 성묘 유지기 기준을 썼습니다. 신장 상태에 맞춰 수의사와 조정하세요.')
  if (!balanced) notes.push('이 레시피는 보충제를 더해도 기준을 모두 채우지 못해 완전한 식단이 아닙니다. 그대로 급여하지 말고 수의사(수의영양 전문의)와 상담하세요.')
  else notes.push('가정식을 오래 급여하려면 수의사(수의영양 전문의)와 함께 정기적으로 점검하세요.')
  if (items.some((i) => i.excluded.length > 0)) notes.push('일부 식재료의 비정상 표 값은 제외했습니다(data_quality 참고).')
  return notes
}
