/**
 * Plausibility checks on the food table, run once when it is loaded. A published table can
 * carry unit slips: IFCT 2017 as packaged reports vitamin B6 of every marine and freshwater fish,
 * shellfish and mollusc, and of egg white, about 1000× too high (salmon 150 mg/100 g, where
 * measured salmon is ~0.6 mg/100 g — USDA FoodData Central SR Legacy 15076). Such a value would
 * hide a real shortfall, so every nutrient of every food is compared with the highest amount
 * any whole food plausibly holds per 100 g, by food class:
 * - a value above the bound whose thousandth lies inside it is a µg-as-mg slip: it is divided
 *   by 1000 and the correction is listed;
 * - any other value above the bound is excluded (treated as unknown) and listed.
 * Bounds are deliberately loose (well above the highest value of any whole food of that class
 * in USDA FoodData Central), so they catch slips of orders of magnitude, never natural variation.
 */
import type { NutrientKey, Nutrients } from './ifct-table'

/** Broad classes of the table's food groups; bounds differ between them. */
export type FoodClass = 'animal' | 'plant' | 'oil'

/** A value that was changed or set aside by the checks, with the reason. */
export interface CompositionIssue {
  code: string
  name: string
  nutrient: NutrientKey
  published: number
  /** The value used instead; null when the value was excluded. */
  used: number | null
  action: 'corrected' | 'excluded'
  reason: string
}

const ANIMAL_GROUPS = /egg|poultry|animal meat|fish|shellfish|mollus|milk/i
const OIL_GROUPS = /oils and fats/i

/** The class of an IFCT food group name. */
export const foodClassOf = (group: string): FoodClass =>
  OIL_GROUPS.test(group) ? 'oil' : ANIMAL_GROUPS.test(group) ? 'animal' : 'plant'

type Bounds = Partial<Record<NutrientKey, number>>

/**
 * Highest plausible amount per 100 g edible portion, in the key's unit. Keys not listed are
 * bounded only by the generic 100 g (nothing weighs more than the food).
 */
const BOUNDS: Record<FoodClass, Bounds> = {
  animal: {
    calcium_mg: 1500, phosphorus_mg: 1200, potassium_mg: 1000, sodium_mg: 1500, magnesium_mg: 200,
    iron_mg: 60, zinc_mg: 100, copper_mg: 20, manganese_mg: 5, selenium_ug: 300,
    thiamine_mg: 2, riboflavin_mg: 5, niacin_mg: 30, pantothenic_acid_mg: 15, vitamin_b6_mg: 2, folate_ug: 1500,
  },
  plant: {
    calcium_mg: 2500, phosphorus_mg: 1500, potassium_mg: 5000, sodium_mg: 1500, magnesium_mg: 800,
    iron_mg: 100, zinc_mg: 15, copper_mg: 10, manganese_mg: 100, selenium_ug: 300,
    thiamine_mg: 3, riboflavin_mg: 3, niacin_mg: 30, pantothenic_acid_mg: 10, vitamin_b6_mg: 3, folate_ug: 1000,
  },
  oil: {
    calcium_mg: 100, phosphorus_mg: 100, potassium_mg: 100, sodium_mg: 100, magnesium_mg: 50,
    iron_mg: 5, zinc_mg: 5, copper_mg: 2, manganese_mg: 2, selenium_ug: 50,
    thiamine_mg: 1, riboflavin_mg: 1, niacin_mg: 5, pantothenic_acid_mg: 2, vitamin_b6_mg: 1, folate_ug: 100,
  },
}

/**
 * Checks one food's nutrients. Returns the values to use (corrected or excluded ones replaced;
 * an excluded value becomes 0 and is listed, so a recipe can say which nutrient it could not
 * count) and the issues found.
 */
export function checkComposition(
  food: { code: string; name: string; group: string },
  per100g: Nutrients,
): { per100g: Nutrients; issues: CompositionIssue[]; excluded: NutrientKey[] } {
  const bounds = BOUNDS[foodClassOf(food.group)]
  const fixed = { ...per100g }
  const issues: CompositionIssue[] = []
  const excluded: NutrientKey[] = []
  for (const key of Object.keys(per100g) as NutrientKey[]) {
    const value = per100g[key]
    // Grams per 100 g cannot exceed 100 (with the table's rounding); only mg and µg values can
    // carry a unit slip.
    const grams = key.endsWith('_g')
    const bound = bounds[key] ?? (grams ? 100.5 : Infinity)
    if (value <= bound) continue
    const base = { code: food.code, name: food.name, nutrient: key, published: value }
    if (!grams && value / 1000 <= bound) {
      fixed[key] = value / 1000
      issues.push({
        ...base,
        used: fixed[key],
        action: 'corrected',
        reason: `${value} exceeds the plausible ${bound} per 100 g; divided by 1000 (a µg value recorded as mg)`,
      })
    } else {
      fixed[key] = 0
      excluded.push(key)
      issues.push({ ...base, used: null, action: 'excluded', reason: `${value} exceeds the plausible ${bound} per 100 g even as a unit slip` })
    }
  }
  return { per100g: fixed, issues, excluded }
}
