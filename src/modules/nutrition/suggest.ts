/**
 * Picks the ingredients for the petcare recipe flow from what the user wrote. Ingredients named
 * in the message win; toxic foods and allergens named there are returned separately so the flow
 * can refuse them with their reason; "닭고기 빼고" style exclusions are honoured. When the
 * message names nothing usable, a default of one protein, one carbohydrate and one vegetable is
 * chosen that avoids the pet's allergies and the exclusions.
 */
import { matchAllergy, resolveAllergies } from './allergens'
import { categoryShares } from './energy-shares'
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

/** What the recipe flow should calculate, and what it must tell the user it left out or added. */
export interface IngredientSuggestion {
  source: 'message' | 'default'
  ingredients: SuggestedIngredient[]
  /** Ingredients the suggestion added to what the message named (a bowl needs a protein food). */
  added: { name: string; reason: string }[]
  rejected: { name: string; reason: string; kind: 'toxic' | 'allergy' }[]
  excluded: string[]
  unknown: { name: string; reason: string }[]
}

const DEFAULTS: Record<Species, Record<'protein' | 'carbohydrate' | 'vegetable', readonly string[]>> = {
  dog: {
    protein: ['chicken_breast', 'turkey', 'beef', 'salmon', 'duck', 'lamb', 'pork', 'rabbit', 'egg'],
    carbohydrate: ['brown_rice', 'sweet_potato', 'white_rice', 'potato', 'quinoa'],
    vegetable: ['carrot', 'zucchini', 'pumpkin', 'cabbage', 'green_beans', 'spinach', 'cucumber'],
  },
  cat: {
    protein: ['chicken_breast', 'turkey', 'salmon', 'beef', 'duck', 'rabbit', 'lamb', 'egg'],
    carbohydrate: ['sweet_potato', 'white_rice', 'potato'],
    vegetable: ['carrot', 'zucchini', 'pumpkin', 'cucumber'],
  },
}

/** Words right after a food that mean "leave it out" ("닭고기 빼고", "연어는 알레르기가 있어"). */
const EXCLUSION_AFTER = /^\s*(?:은|는|이|가|을|를|도)?\s*(?:빼|말고|없이|제외|알레르기|알러지|싫어|못\s*먹|안\s*먹|allerg|free\b)/i
const EXCLUSION_BEFORE = /(?:\bno|\bwithout|\bexcept|\bnot)\s+$/i

const byKey = new Map(INGREDIENTS.map((e) => [e.key, e]))

function withRatios(entries: IngredientEntry[], species: Species): SuggestedIngredient[] {
  const shares = categoryShares(entries.map((e) => e.category), species)
  return entries.map((e, i) => ({
    name: e.ko,
    key: e.key,
    food_code: e.food_code,
    category: e.category,
    ratio: Math.round(shares[i]! * 1000) / 1000,
  }))
}

/**
 * Suggests ingredients for a validated pet from a chat message. Guarantees: nothing toxic for the
 * species and nothing matching the pet's allergies or the message's exclusions is ever in
 * `ingredients`; ratios sum to about 1 (rounded to 3 decimals); `source` says whether the
 * message or the default chose them.
 */
export function suggestIngredients(message: string, pet: PetInfo, petName?: string): IngredientSuggestion {
  const text = maskPetName(message.normalize('NFC'), petName)
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

  const pick = (category: 'protein' | 'carbohydrate' | 'vegetable', taken: IngredientEntry[]) =>
    DEFAULTS[pet.species][category]
      .map((key) => byKey.get(key)!)
      .find((entry) => !taken.includes(entry) && !matchAllergy(entry.ko, allergies))

  if (chosen.length > 0) {
    // A bowl without a protein food cannot meet any protein minimum; add the first one the pet may eat.
    const added: IngredientSuggestion['added'] = []
    const protein = chosen.some((e) => e.category === 'protein') ? undefined : pick('protein', chosen)
    if (protein) {
      chosen.push(protein)
      added.push({ name: protein.ko, reason: '단백질 식재료가 없어 단백질 기준을 채우려고 추가했습니다.' })
    }
    return { source: 'message', ingredients: withRatios(chosen, pet.species), added, rejected, excluded, unknown }
  }

  const defaults: IngredientEntry[] = []
  for (const category of ['protein', 'carbohydrate', 'vegetable'] as const) {
    const entry = pick(category, defaults)
    if (entry) defaults.push(entry)
  }
  return { source: 'default', ingredients: withRatios(defaults, pet.species), added: [], rejected, excluded, unknown }
}

/** Particles and endings that may follow a pet's name when the owner talks about the pet. */
const NAME_ENDINGS = /^(?:이가|이는|이를|이의|이랑|이한테|이에게|이도|이가요|가|는|를|의|랑|한테|에게|도|야|아|이|이네|네|이요|요)?(?![\uac00-\ud7a3])/

/**
 * Blanks the pet's name where it stands as the pet's name ("초코가 먹을 …", "초코한테"), so a
 * pet called 초코 or 보리 is not read as chocolate or barley. Blanked with spaces, so the
 * offsets of every other word stay the same.
 */
function maskPetName(text: string, petName?: string): string {
  const name = petName?.normalize('NFC').trim()
  if (!name) return text
  let out = ''
  let from = 0
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
    const before = text[at - 1]
    if (before !== undefined && /[\uac00-\ud7a3A-Za-z]/.test(before)) continue
    const rest = text.slice(at + name.length)
    if (!NAME_ENDINGS.test(rest)) continue
    out += text.slice(from, at) + ' '.repeat(name.length)
    from = at + name.length
  }
  return out + text.slice(from)
}
