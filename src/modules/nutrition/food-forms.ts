/**
 * The form an owner weighs, and the conversion from the table's form where they differ.
 *
 * IFCT 2017 lists grains raw (dry). Owners weigh rice as cooked rice (밥), so grams computed on
 * dry grain would feed about a third of the energy intended. Cooking adds water and, to a
 * first approximation, nothing else: cooked composition = dry composition × (100 − cooked
 * moisture) / (100 − dry moisture), a dry-matter balance whose inverse is the weight yield
 * factor (cooked g per dry g; about 2.8 for white rice). Cooked moistures are USDA FoodData Central (SR Legacy) values for the boiled,
 * drained grain. Water-soluble vitamins lost in cooking water are not subtracted: the B
 * vitamins of a cooked grain are an upper estimate, and the premix covers them.
 */
import type { FoodComposition, Nutrients } from './ifct-table'
import { NUTRIENT_KEYS } from './ifct-table'

/** What the gram figure means: raw (then cooked) weight, cooked weight, or dry weight. */
export type WeighedForm = 'raw' | 'cooked' | 'dry'

interface CookedGrain {
  moisture_pct: number
  source: string
}

/** Moisture of the cooked grain, per ingredient key that is weighed cooked from a raw table entry. */
export const COOKED_GRAINS: Readonly<Record<string, CookedGrain>> = {
  white_rice: { moisture_pct: 68.44, source: 'USDA FDC SR Legacy 20045 (rice, white, long-grain, cooked)' },
  brown_rice: { moisture_pct: 70.3, source: 'USDA FDC SR Legacy 20037 (rice, brown, long-grain, cooked)' },
  barley: { moisture_pct: 68.8, source: 'USDA FDC SR Legacy 20005 (barley, pearled, cooked)' },
  quinoa: { moisture_pct: 71.61, source: 'USDA FDC SR Legacy 20137 (quinoa, cooked)' },
}

/** Korean words for the weighed form, shown next to every gram figure. */
export const WEIGHED_LABEL: Record<WeighedForm, string> = {
  raw: '생것 무게',
  cooked: '익힌 무게',
  dry: '마른(조리 전) 무게',
}

/**
 * The per-100 g composition of the form the owner weighs, with a note when it was converted.
 * `yield` is cooked grams per dry gram (1 when nothing was converted).
 */
export function weighedComposition(
  entry: { key: string; weighed: WeighedForm },
  food: FoodComposition,
): { per100g: Nutrients; note: string | null; yield: number } {
  const grain = COOKED_GRAINS[entry.key]
  if (entry.weighed !== 'cooked' || !grain) return { per100g: food.per100g, note: null, yield: 1 }
  const dryMatter = 100 - food.per100g.water_g
  const factor = (100 - grain.moisture_pct) / dryMatter
  const per100g = {} as Nutrients
  for (const key of NUTRIENT_KEYS) per100g[key] = food.per100g[key] * factor
  per100g.water_g = grain.moisture_pct
  const yieldFactor = 1 / factor
  return {
    per100g,
    note: `IFCT ${food.code}(생곡)을 익힌 상태로 환산: 수분 ${food.per100g.water_g}% → ${grain.moisture_pct}% (${grain.source}), 마른 곡물 1 g ≈ 익힌 ${yieldFactor.toFixed(2)} g`,
    yield: yieldFactor,
  }
}
