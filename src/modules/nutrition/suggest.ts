/**
 * Picks the ingredients for the petcare recipe flow from what the user wrote. Ingredients named
 * in the message win; toxic foods and allergens named there are returned separately so the flow
 * can refuse them with their reason; "닭고기 빼고" style exclusions are honoured. When the
 * message names nothing usable, a default of one protein, one carbohydrate and one vegetable is
 * chosen that avoids the pet's allergies and the exclusions.
 */
import { matchAllergy, resolveAllergies } from './allergens'
import type { PetInfo } from './energy'
import { INGREDIENT_TERMS, INGREDIENTS, UNAVAILABLE_TERMS, type IngredientCategory, type IngredientEntry } from './ingredients'
import { findTerms } from './term-matcher'
import { findToxicFoods, toxicReason, type Species } from './toxic-foods'

/** One suggested ingredient, with its relative energy share. */
export interface SuggestedIngredient {
  name: string
  key: string
  food_code: string
  category: IngredientCategory
  ratio: number
}

/** What the recipe flow should calculate, and what it must tell the user it left out. */
export interface IngredientSuggestion {
  source: 'message' | 'default'
  ingredients: SuggestedIngredient[]
  rejected: { name: string; reason: string; kind: 'toxic' | 'allergy' }[]
  excluded: string[]
  unknown: { name: string; reason: string }[]
}

/**
 * Energy weight of each category, split evenly among the chosen ingredients of that category.
 * Dogs: a meat-led bowl with a carbohydrate base; cats are obligate carnivores, so protein
 * carries most of the energy (NRC 2006; WSAVA guidance on home-made diets).
 */
const CATEGORY_WEIGHTS: Record<Species, Record<IngredientCategory, number>> = {
  dog: { protein: 5, carbohydrate: 3, vegetable: 1, fruit: 0.5, fat: 0.5 },
  cat: { protein: 8, carbohydrate: 1, vegetable: 0.5, fruit: 0.25, fat: 0.5 },
}

const DEFAULTS: Record<Species, Record<'protein' | 'carbohydrate' | 'vegetable', readonly string[]>> = {
  dog: {
    protein: ['chicken_breast', 'turkey', 'beef', 'salmon', 'duck', 'lamb', 'pork', 'rabbit', 'egg'],
    carbohydrate: ['brown_rice', 'sweet_potato', 'white_rice', 'potato', 'pumpkin', 'quinoa'],
    vegetable: ['carrot', 'zucchini', 'cabbage', 'green_beans', 'spinach', 'cucumber'],
  },
  cat: {
    protein: ['chicken_breast', 'turkey', 'salmon', 'beef', 'duck', 'rabbit', 'lamb', 'egg'],
    carbohydrate: ['pumpkin', 'sweet_potato', 'white_rice'],
    vegetable: ['carrot', 'zucchini', 'cucumber'],
  },
}

/** Words right after a food that mean "leave it out" ("닭고기 빼고", "연어는 알레르기가 있어"). */
const EXCLUSION_AFTER = /^\s*(?:은|는|이|가|을|를|도)?\s*(?:빼|말고|없이|제외|알레르기|알러지|싫어|못\s*먹|안\s*먹|allerg|free\b)/i
const EXCLUSION_BEFORE = /(?:\bno|\bwithout|\bexcept|\bnot)\s+$/i

const byKey = new Map(INGREDIENTS.map((e) => [e.key, e]))

function withRatios(entries: IngredientEntry[], species: Species): SuggestedIngredient[] {
  const counts = new Map<IngredientCategory, number>()
  for (const e of entries) counts.set(e.category, (counts.get(e.category) ?? 0) + 1)
  const raw = entries.map((e) => CATEGORY_WEIGHTS[species][e.category] / counts.get(e.category)!)
  const sum = raw.reduce((a, b) => a + b, 0)
  return entries.map((e, i) => ({
    name: e.ko,
    key: e.key,
    food_code: e.food_code,
    category: e.category,
    ratio: Math.round((raw[i]! / sum) * 1000) / 1000,
  }))
}

/**
 * Suggests ingredients for a validated pet from a chat message. Guarantees: nothing toxic for the
 * species and nothing matching the pet's allergies or the message's exclusions is ever in
 * `ingredients`; ratios sum to about 1 (rounded to 3 decimals); `source` says whether the
 * message or the default chose them.
 */
export function suggestIngredients(message: string, pet: PetInfo): IngredientSuggestion {
  const text = message.normalize('NFC')
  const toxic = findToxicFoods(text, pet.species)
  const rejected: IngredientSuggestion['rejected'] = toxic.map((hit) => ({
    name: text.slice(hit.start, hit.end),
    reason: toxicReason(hit.food),
    kind: 'toxic',
  }))
  const overlapsToxic = (start: number, end: number) => toxic.some((t) => start < t.end && t.start < end)

  const excluded: string[] = []
  const named: IngredientEntry[] = []
  for (const hit of findTerms(text, INGREDIENT_TERMS)) {
    if (overlapsToxic(hit.start, hit.end)) continue
    const spoken = text.slice(hit.start, hit.end)
    if (EXCLUSION_AFTER.test(text.slice(hit.end, hit.end + 16)) || EXCLUSION_BEFORE.test(text.slice(Math.max(0, hit.start - 12), hit.start))) {
      if (!excluded.includes(spoken)) excluded.push(spoken)
      continue
    }
    if (!named.includes(hit.value)) named.push(hit.value)
  }

  const allergies = resolveAllergies([...pet.allergies, ...excluded])
  const petAllergies = resolveAllergies(pet.allergies)
  const chosen: IngredientEntry[] = []
  for (const entry of named) {
    const allergy = matchAllergy(entry.ko, petAllergies)
    if (allergy) {
      rejected.push({
        name: entry.ko,
        reason: `알레르기: 등록된 알레르기 '${allergy.label}'에 해당하는 식재료입니다.`,
        kind: 'allergy',
      })
    } else if (!matchAllergy(entry.ko, allergies)) {
      chosen.push(entry)
    }
  }

  const unknown = [...new Set(findTerms(text, UNAVAILABLE_TERMS).map((h) => h.value))].map((ko) => ({
    name: ko,
    reason: `${ko}은(는) IFCT 2017 식품성분표에 없어 영양 계산을 할 수 없습니다.`,
  }))

  if (chosen.length > 0) {
    return { source: 'message', ingredients: withRatios(chosen, pet.species), rejected, excluded, unknown }
  }

  const defaults: IngredientEntry[] = []
  for (const category of ['protein', 'carbohydrate', 'vegetable'] as const) {
    const pick = DEFAULTS[pet.species][category]
      .map((key) => byKey.get(key)!)
      .find((entry) => !defaults.includes(entry) && !matchAllergy(entry.ko, allergies))
    if (pick) defaults.push(pick)
  }
  return { source: 'default', ingredients: withRatios(defaults, pet.species), rejected, excluded, unknown }
}
