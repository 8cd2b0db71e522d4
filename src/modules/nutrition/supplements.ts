/**
 * Supplements a home-made recipe is balanced with, and what one gram of each supplies.
 *
 * Single compounds are given by their chemical composition (mass fractions from the formula),
 * so any pure product of that compound matches. The vitamin–mineral premix is not one product:
 * it is the composition huddle assumes for a generic premix for home-made dog and cat diets;
 * the answer lists the daily amounts it must supply, so the owner can match a product's label.
 * Oils are read from IFCT 2017 like the ingredients (sunflower and soybean oil) or, for fish
 * oil, a typical 18/12 EPA/DHA fish oil.
 */
import type { NutrientKey, Nutrients } from './ifct-table'
import { NUTRIENT_KEYS } from './ifct-table'
import { findIngredient, ingredientNutrition } from './ingredients'

/** One supplement: what it is called, what one gram supplies, and what it is for. */
export interface Supplement {
  key: string
  ko: string
  en: string
  /** Nutrients per 1 g, in the keys' units. */
  perGram: Partial<Nutrients>
  /** Energy per 1 g (modified Atwater); 0 for minerals and vitamins. */
  kcalPerGram: number
  basis: string
}

const zero = (): Nutrients => Object.fromEntries(NUTRIENT_KEYS.map((k) => [k, 0])) as Nutrients

/** Nutrients per gram of an IFCT oil, from its per-100 g composition. */
function oilPerGram(name: string): { perGram: Partial<Nutrients>; kcalPerGram: number; basis: string } {
  const nutrition = ingredientNutrition(findIngredient(name)!)
  const perGram = zero()
  for (const k of NUTRIENT_KEYS) perGram[k] = nutrition.per100g[k] / 100
  return { perGram, kcalPerGram: nutrition.kcal_per_100g / 100, basis: `IFCT 2017 ${nutrition.entry.food_code} (${nutrition.food_name})` }
}

let table: ReadonlyMap<string, Supplement> | null = null

/** The supplement table, built once (the oils are read from the food table). */
export function supplements(): ReadonlyMap<string, Supplement> {
  if (table) return table
  const list: Supplement[] = [
    {
      key: 'calcium_carbonate', ko: '탄산칼슘 가루(또는 달걀껍데기 가루)', en: 'calcium carbonate (or eggshell powder)',
      perGram: { calcium_mg: 400 }, kcalPerGram: 0,
      basis: 'CaCO₃: Ca 40.0 % by mass. Eggshell powder is ~38 % Ca: use 1.05× the grams',
    },
    {
      key: 'dicalcium_phosphate', ko: '인산이칼슘(제2인산칼슘) 가루', en: 'dicalcium phosphate dihydrate',
      perGram: { calcium_mg: 233, phosphorus_mg: 180 }, kcalPerGram: 0,
      basis: 'CaHPO₄·2H₂O: Ca 23.3 %, P 18.0 % by mass',
    },
    {
      key: 'iodised_salt', ko: '요오드 첨가 소금', en: 'iodised salt',
      perGram: { sodium_mg: 393 }, kcalPerGram: 0,
      basis: 'NaCl: Na 39.3 %, Cl 60.7 % by mass; iodine as on the label',
    },
    {
      key: 'potassium_chloride', ko: '염화칼륨(저나트륨 소금)', en: 'potassium chloride',
      perGram: { potassium_mg: 524 }, kcalPerGram: 0,
      basis: 'KCl: K 52.4 %, Cl 47.6 % by mass',
    },
    {
      key: 'premix', ko: '반려동물 가정식용 종합 비타민·미네랄 프리믹스', en: 'vitamin–mineral premix for home-made diets',
      perGram: {
        magnesium_mg: 30, iron_mg: 10, zinc_mg: 15, copper_mg: 1.5, manganese_mg: 1.5, selenium_ug: 30,
        thiamine_mg: 1, riboflavin_mg: 1, niacin_mg: 6, pantothenic_acid_mg: 3, vitamin_b6_mg: 0.8, folate_ug: 100,
      },
      kcalPerGram: 0,
      basis: 'composition assumed for a generic premix; the answer lists the daily amounts a product must supply',
    },
    { key: 'soybean_oil', ko: '콩기름', en: 'soybean oil', ...oilPerGram('soybean oil') },
    { key: 'sunflower_oil', ko: '해바라기씨유', en: 'sunflower oil', ...oilPerGram('sunflower oil') },
    {
      key: 'fish_oil', ko: '피쉬오일(EPA 18 %·DHA 12 %)', en: 'fish oil (18/12)',
      perGram: { fat_g: 1, epa_dha_g: 0.3 }, kcalPerGram: 8.5,
      basis: 'typical 18/12 fish oil: 0.18 g EPA + 0.12 g DHA per g; energy 8.5 kcal/g (modified Atwater fat)',
    },
    {
      key: 'taurine', ko: '타우린 가루', en: 'taurine powder',
      perGram: {}, kcalPerGram: 0,
      basis: 'pure taurine',
    },
  ]
  table = new Map(list.map((s) => [s.key, s]))
  return table
}

/** A supplement by key; throws if the key is not in the table (a programming error). */
export function supplement(key: string): Supplement {
  const found = supplements().get(key)
  if (!found) throw new Error(`unknown supplement ${key}`)
  return found
}

/** What `grams` of a supplement supply, for one nutrient key. */
export const suppliedBy = (s: Supplement, key: NutrientKey, grams: number): number => (s.perGram[key] ?? 0) * grams
