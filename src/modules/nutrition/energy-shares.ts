/**
 * Default energy shares of a bowl by ingredient category, used when the owner gives no ratios:
 * split evenly among the ingredients of a category. Dogs: a meat-led bowl on a carbohydrate
 * base; cats are obligate carnivores, so protein carries most of the energy (NRC 2006; WSAVA
 * guidance on home-made diets). Vegetables and fruit carry little energy by design — an equal
 * energy share would turn into kilograms of carrot.
 */
import type { IngredientCategory } from './ingredients'
import type { Species } from './toxic-foods'

const CATEGORY_WEIGHTS: Record<Species, Record<IngredientCategory, number>> = {
  dog: { protein: 5, carbohydrate: 3, vegetable: 0.4, fruit: 0.2, fat: 0.5 },
  cat: { protein: 8, carbohydrate: 1, vegetable: 0.2, fruit: 0.1, fat: 0.5 },
}

/** Energy shares (summing to 1) for ingredients of these categories. */
export function categoryShares(categories: readonly IngredientCategory[], species: Species): number[] {
  const counts = new Map<IngredientCategory, number>()
  for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1)
  const raw = categories.map((c) => CATEGORY_WEIGHTS[species][c] / counts.get(c)!)
  const sum = raw.reduce((a, b) => a + b, 0)
  return raw.map((r) => r / sum)
}
