/**
 * Daily energy requirement of a dog or cat, and validation of the `pet_info` object it is
 * computed from.
 *
 * RER (resting energy requirement) = 70 × body weight(kg)^0.75 kcal/day — NRC (2006) Nutrient
 * Requirements of Dogs and Cats, ch. 3; the same formula is used by the WSAVA Global Nutrition
 * Guidelines (2011) and the AAHA Nutrition and Weight Management Guidelines (2021).
 * MER (maintenance energy requirement) = RER × a life-stage/activity factor. The factors below
 * are the usual starting points from those guidelines; any factor is an estimate to be
 * adjusted by body condition score every 2–4 weeks.
 */
import { AppError } from '../../platform/errors'
import type { Species } from './toxic-foods'

/** Activity level as pet_info states it. */
export type Activity = 'low' | 'normal' | 'high'

/** A validated pet profile (the petcare surface's `pet_info`). */
export interface PetInfo {
  species: Species
  age: number
  weight_kg: number
  neutered: boolean
  activity: Activity
  allergies: string[]
  /** Expected adult weight of a puppy, when the owner knows it (chooses the calcium limit). */
  adult_weight_kg?: number
}

/** Age assumed when pet_info gives none: an adult, so no growth factor is applied by accident. */
export const DEFAULT_AGE_YEARS = 3
const MAX_WEIGHT_KG = 150
const MAX_AGE_YEARS = 40
const MAX_ALLERGIES = 30

const SPECIES: Record<string, Species> = {
  dog: 'dog', canine: 'dog', 개: 'dog', 강아지: 'dog', 반려견: 'dog',
  cat: 'cat', feline: 'cat', 고양이: 'cat', 반려묘: 'cat',
}
const ACTIVITY: Record<string, Activity> = {
  low: 'low', inactive: 'low', sedentary: 'low', 낮음: 'low', 적음: 'low',
  normal: 'normal', moderate: 'normal', medium: 'normal', 보통: 'normal',
  high: 'high', active: 'high', 높음: 'high', 많음: 'high',
}
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', '예', '네', '했음', '중성화', '완료'])
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', '아니오', '아니요', '안함', '안 함', '미완료'])

const invalid = (field: string, message: string) =>
  new AppError('VALIDATION', `pet_info.${field}: ${message}`, { details: { field: `pet_info.${field}` } })

function toNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim().replace(/\s*(kg|세|살|years?)$/i, '')) : NaN
  if (!Number.isFinite(n)) throw invalid(field, 'must be a number')
  return n
}

/**
 * Validates a pet_info value (an object, or its JSON text). Guarantees a complete PetInfo:
 * species and weight_kg are required (weight 0 < w ≤ 150 kg); age defaults to an adult
 * (3 years), neutered to false, activity to 'normal', allergies to []. Korean and English
 * spellings of species and activity are accepted. Anything else throws AppError VALIDATION.
 */
export function parsePetInfo(input: unknown): PetInfo {
  let value = input
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      throw new AppError('VALIDATION', 'pet_info is not valid JSON')
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('VALIDATION', 'pet_info must be an object')
  }
  const o = value as Record<string, unknown>

  const speciesKey = typeof o.species === 'string' ? o.species.trim().toLowerCase() : ''
  const species = SPECIES[speciesKey]
  if (!species) throw invalid('species', "must be 'dog' or 'cat'")

  const weight = toNumber(o.weight_kg ?? o.weight, 'weight_kg')
  if (weight === undefined) throw invalid('weight_kg', 'is required')
  if (weight <= 0 || weight > MAX_WEIGHT_KG) throw invalid('weight_kg', `must be more than 0 and at most ${MAX_WEIGHT_KG}`)

  const age = toNumber(o.age, 'age') ?? DEFAULT_AGE_YEARS
  if (age < 0 || age > MAX_AGE_YEARS) throw invalid('age', `must be between 0 and ${MAX_AGE_YEARS} years`)

  let neutered = false
  if (typeof o.neutered === 'boolean') neutered = o.neutered
  else if (typeof o.neutered === 'string' && o.neutered.trim() !== '') {
    const word = o.neutered.trim().toLowerCase()
    if (TRUE_WORDS.has(word)) neutered = true
    else if (!FALSE_WORDS.has(word)) throw invalid('neutered', 'must be true or false')
  } else if (o.neutered !== undefined && o.neutered !== null) throw invalid('neutered', 'must be true or false')

  let activity: Activity = 'normal'
  if (o.activity !== undefined && o.activity !== null && o.activity !== '') {
    const found = typeof o.activity === 'string' ? ACTIVITY[o.activity.trim().toLowerCase()] : undefined
    if (!found) throw invalid('activity', "must be 'low', 'normal' or 'high'")
    activity = found
  }

  let allergies: string[] = []
  if (typeof o.allergies === 'string') allergies = o.allergies.split(/[,，、/]/)
  else if (Array.isArray(o.allergies)) {
    if (o.allergies.some((a) => typeof a !== 'string')) throw invalid('allergies', 'must be a list of strings')
    allergies = o.allergies as string[]
  } else if (o.allergies !== undefined && o.allergies !== null) throw invalid('allergies', 'must be a list of strings')
  allergies = [...new Set(allergies.map((a) => a.trim()).filter((a) => a !== ''))]
  if (allergies.length > MAX_ALLERGIES) throw invalid('allergies', `at most ${MAX_ALLERGIES} entries`)
  if (allergies.some((a) => a.length > 50)) throw invalid('allergies', 'each entry at most 50 characters')

  const adultWeight = toNumber(o.adult_weight_kg ?? o.expected_adult_weight_kg, 'adult_weight_kg')
  if (adultWeight !== undefined && (adultWeight <= 0 || adultWeight > MAX_WEIGHT_KG)) {
    throw invalid('adult_weight_kg', `must be more than 0 and at most ${MAX_WEIGHT_KG}`)
  }
  return { species, age, weight_kg: weight, neutered, activity, allergies, ...(adultWeight !== undefined ? { adult_weight_kg: adultWeight } : {}) }
}

/**
 * Meals a day, the usual practice: young animals eat small, frequent meals (puppies under 4
 * months and kittens under 6 months 4, then 3 until 6 / 12 months), adults 2.
 */
export function mealsPerDay(pet: PetInfo): number {
  if (pet.species === 'dog') return pet.age < 4 / 12 ? 4 : pet.age < 0.5 ? 3 : 2
  return pet.age < 0.5 ? 4 : pet.age < 1 ? 3 : 2
}

/** The life stage whose MER factor was applied. */
export type LifeStage =
  | 'puppy_under_4_months'
  | 'puppy_4_to_12_months'
  | 'adult_dog'
  | 'kitten'
  | 'adult_cat'

/** A daily energy estimate with the factor used and why. */
export interface EnergyRequirement {
  rer_kcal: number
  factor: number
  mer_kcal: number
  life_stage: LifeStage
  factor_basis: string
}

/** RER = 70 × kg^0.75 kcal/day (NRC 2006). */
export const restingEnergy = (weightKg: number): number => 70 * weightKg ** 0.75

/**
 * The MER factor. Dogs: puppy < 4 months 3.0, 4–12 months 2.0; adult neutered 1.6, intact 1.8,
 * low activity (inactive or obesity-prone) 1.2 neutered / 1.4 intact, high activity 2.0 (the
 * light-work end of the 2–5 range; heavier working dogs need an individual plan). Cats: kitten
 * (< 12 months) 2.5; adult neutered 1.2, intact 1.4, low activity 1.0, high activity 1.4.
 * Sources: NRC (2006); WSAVA Global Nutrition Guidelines (2011); AAHA (2021).
 */
function mer(pet: PetInfo): { factor: number; life_stage: LifeStage; factor_basis: string } {
  const state = pet.neutered ? '중성화' : '중성화 안 함'
  if (pet.species === 'dog') {
    if (pet.age < 4 / 12) return { factor: 3.0, life_stage: 'puppy_under_4_months', factor_basis: '4개월 미만 강아지 (RER × 3.0)' }
    if (pet.age < 1) return { factor: 2.0, life_stage: 'puppy_4_to_12_months', factor_basis: '4–12개월 강아지 (RER × 2.0)' }
    if (pet.activity === 'low') {
      const factor = pet.neutered ? 1.2 : 1.4
      return { factor, life_stage: 'adult_dog', factor_basis: `활동량 적은 성견, ${state} (RER × ${factor})` }
    }
    if (pet.activity === 'high') return { factor: 2.0, life_stage: 'adult_dog', factor_basis: '활동량 많은 성견 (RER × 2.0)' }
    const factor = pet.neutered ? 1.6 : 1.8
    return { factor, life_stage: 'adult_dog', factor_basis: `성견, ${state} (RER × ${factor})` }
  }
  if (pet.age < 1) return { factor: 2.5, life_stage: 'kitten', factor_basis: '12개월 미만 새끼 고양이 (RER × 2.5)' }
  if (pet.activity === 'low') return { factor: 1.0, life_stage: 'adult_cat', factor_basis: '활동량 적은 성묘 (RER × 1.0)' }
  if (pet.activity === 'high') return { factor: 1.4, life_stage: 'adult_cat', factor_basis: '활동량 많은 성묘 (RER × 1.4)' }
  const factor = pet.neutered ? 1.2 : 1.4
  return { factor, life_stage: 'adult_cat', factor_basis: `성묘, ${state} (RER × ${factor})` }
}

/** Daily energy requirement of a validated pet, unrounded (callers round for display). */
export function energyRequirement(pet: PetInfo): EnergyRequirement {
  const rer = restingEnergy(pet.weight_kg)
  const { factor, life_stage, factor_basis } = mer(pet)
  return { rer_kcal: rer, factor, mer_kcal: rer * factor, life_stage, factor_basis }
}
