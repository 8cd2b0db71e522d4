/**
 * Balances a recipe's food with supplements until every minimum of its AAFCO profile is met, or
 * says which minimums it could not meet.
 *
 * The order matters because supplements interact: oils carry energy, so the food is scaled
 * down to keep the day's energy (which dilutes protein and minerals); the premix is dosed for
 * its scarcest nutrient; phosphorus comes from dicalcium phosphate (which also brings calcium);
 * calcium last, aiming at Ca:P 1.3:1 inside the profile's range and under its maximum. Every
 * dose aims 5 % above the minimum so rounding never drops a nutrient below it.
 *
 * Pure: the same food, profile and pet give the same doses.
 */
import {
  AAFCO_NUTRIENTS,
  CA_P_RANGE,
  CAT_TAURINE_G_PER_1000_KCAL,
  maximumOf,
  minimumOf,
  type ProfileChoice,
} from './aafco-profiles'
import { NUTRIENT_KEYS, type NutrientKey, type Nutrients } from './ifct-table'
import { supplement, type Supplement } from './supplements'

/** One supplement dose of a balanced recipe. */
export interface SupplementDose {
  key: string
  name: string
  grams_per_day: number
  kcal: number
  /** Nutrients it supplies per day, in the keys' units (only those it supplies). */
  supplies: Partial<Nutrients>
  /** Why it was added, in Korean. */
  reason: string
  basis: string
}

/** What the balancer returns: the food's share of the day's energy, the doses and the day's totals. */
export interface Balance {
  /** Fraction of the day's energy that comes from food (the rest from oils). */
  foodEnergyFraction: number
  doses: SupplementDose[]
  /** Nutrients per day from food and supplements together. */
  totals: Nutrients
  taurine_g: number
}

const MARGIN = 1.05
const TARGET_CA_P = 1.3

/** What the balancer needs to know about the pet: its profile, energy and what it must not eat. */
export interface BalanceInput {
  choice: ProfileChoice
  species: 'dog' | 'cat'
  dailyKcal: number
  /** Nutrients of the food alone, if it supplied the whole day's energy. */
  foodAtFullEnergy: Nutrients
  /** Supplements the pet must not get (allergies: soybean oil for soy, fish oil for fish). */
  excluded: ReadonlySet<string>
}

const ceil2 = (g: number) => Math.ceil(g * 100) / 100

/** Per-day need of a nutrient key in the profile, with the dosing margin; 0 where none is set. */
function needs(input: BalanceInput): Partial<Record<NutrientKey, number>> {
  const out: Partial<Record<NutrientKey, number>> = {}
  for (const n of AAFCO_NUTRIENTS) {
    const min = minimumOf(n, input.choice)
    if (min !== undefined) out[n.key] = ((min / n.scale) * input.dailyKcal * MARGIN) / 1000
  }
  return out
}

/** Balances the food of a recipe for a pet's profile (see the module comment for the order). */
export function balanceRecipe(input: BalanceInput): Balance {
  const need = needs(input)
  const oilKey = input.excluded.has('soybean_oil') ? 'sunflower_oil' : 'soybean_oil'
  const oil = supplement(oilKey)
  const fishOil = input.excluded.has('fish_oil') ? undefined : supplement('fish_oil')

  // Oils first, to a fixed point: each dose is recomputed on the food that remains after the
  // oils' own energy is taken out of the day.
  let oilGrams = 0
  let fishGrams = 0
  for (let i = 0; i < 12; i++) {
    const fraction = 1 - (oilGrams * oil.kcalPerGram + fishGrams * (fishOil?.kcalPerGram ?? 0)) / input.dailyKcal
    const food = (k: NutrientKey) => input.foodAtFullEnergy[k] * fraction
    const gap = (k: NutrientKey, fromFish = 0) => Math.max(0, (need[k] ?? 0) - food(k) - fromFish)
    fishGrams = fishOil ? gap('epa_dha_g') / fishOil.perGram.epa_dha_g! : 0
    const fishFat = fishGrams * (fishOil?.perGram.fat_g ?? 0)
    oilGrams = Math.max(
      gap('linoleic_acid_g') / oil.perGram.linoleic_acid_g!,
      oil.perGram.alpha_linolenic_acid_g ? gap('alpha_linolenic_acid_g') / oil.perGram.alpha_linolenic_acid_g : 0,
      gap('fat_g', fishFat) / oil.perGram.fat_g!,
    )
  }
  const oilKcal = oilGrams * oil.kcalPerGram + fishGrams * (fishOil?.kcalPerGram ?? 0)
  const foodEnergyFraction = 1 - oilKcal / input.dailyKcal

  const totals = {} as Nutrients
  for (const k of NUTRIENT_KEYS) totals[k] = input.foodAtFullEnergy[k] * foodEnergyFraction
  const doses: SupplementDose[] = []
  const add = (s: Supplement, grams: number, reason: string) => {
    const g = ceil2(grams)
    if (g <= 0) return
    const supplies: Partial<Nutrients> = {}
    for (const [k, perGram] of Object.entries(s.perGram) as [NutrientKey, number][]) {
      supplies[k] = perGram * g
      totals[k] += perGram * g
    }
    doses.push({ key: s.key, name: s.ko, grams_per_day: g, kcal: Math.round(g * s.kcalPerGram * 10) / 10, supplies, reason, basis: s.basis })
  }
  const gapOf = (k: NutrientKey) => Math.max(0, (need[k] ?? 0) - totals[k])

  add(oil, oilGrams, '필수지방산(리놀레산)·지방 보충')
  if (fishOil) add(fishOil, fishGrams, '성장기 EPA+DHA 보충')

  const premix = supplement('premix')
  const premixKeys = Object.keys(premix.perGram) as NutrientKey[]
  const scarcest = premixKeys.map((k) => ({ k, g: gapOf(k) / premix.perGram[k]! })).sort((a, b) => b.g - a.g)[0]!
  add(premix, scarcest.g, '미량 미네랄·비타민 B군 보충')

  const dcp = supplement('dicalcium_phosphate')
  add(dcp, gapOf('phosphorus_mg') / dcp.perGram.phosphorus_mg!, '인 보충')

  const calcium = AAFCO_NUTRIENTS.find((n) => n.key === 'calcium_mg')!
  const caMax = maximumOf(calcium, input.choice)
  const caMaxPerDay = caMax === undefined ? Infinity : ((caMax / calcium.scale) * input.dailyKcal) / 1000
  const caTarget = Math.min(Math.max(need.calcium_mg ?? 0, TARGET_CA_P * totals.phosphorus_mg), caMaxPerDay * 0.95, CA_P_RANGE.max * totals.phosphorus_mg)
  add(supplement('calcium_carbonate'), (caTarget - totals.calcium_mg) / 400, '칼슘 보충, 칼슘:인 비율 맞춤')

  add(supplement('iodised_salt'), gapOf('sodium_mg') / 393, '나트륨 보충')
  add(supplement('potassium_chloride'), gapOf('potassium_mg') / 524, '칼륨 보충')

  let taurine = 0
  if (input.species === 'cat') {
    taurine = ceil2((CAT_TAURINE_G_PER_1000_KCAL * input.dailyKcal) / 1000)
    const t = supplement('taurine')
    doses.push({ key: t.key, name: t.ko, grams_per_day: taurine, kcal: 0, supplies: {}, reason: '고양이 필수 타우린(식품성분표에 자료 없음, 최소량 전량 보충)', basis: t.basis })
  }
  return { foodEnergyFraction, doses, totals, taurine_g: taurine }
}
