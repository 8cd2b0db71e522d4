/**
 * Allergy matching. A pet's allergy list is free text ("닭", "chicken", "닭고기 알레르기",
 * "유제품"); each entry is resolved to allergen groups, so "닭" rejects every chicken product
 * (breast, thigh, liver, gizzard) and "해산물" rejects fish and shellfish. An entry that names
 * no known group or ingredient is kept as text and rejects any ingredient whose name contains it:
 * for allergies a false refusal is the safe mistake.
 */
import { findIngredient, INGREDIENT_TERMS, type AllergenGroup, type IngredientEntry } from './ingredients'
import { findTerms, normalizeName, type Term } from './term-matcher'

const SYNONYMS: Record<AllergenGroup, readonly string[]> = {
  chicken: ['닭', '닭고기', '치킨', 'chicken'],
  turkey: ['칠면조', 'turkey'],
  duck: ['오리', 'duck'],
  quail: ['메추리', 'quail'],
  poultry: ['가금류', '가금', 'poultry'],
  egg: ['달걀', '계란', '알', '난류', 'egg'],
  beef: ['소', '소고기', '쇠고기', '우육', 'beef'],
  pork: ['돼지', '돼지고기', 'pork'],
  lamb: ['양', '양고기', 'lamb', 'mutton'],
  goat: ['염소', 'goat'],
  rabbit: ['토끼', 'rabbit'],
  fish: ['생선', '어류', '물고기', 'fish'],
  shellfish: ['갑각류', '패류', '조개', '게', 'shellfish', 'crustacean'],
  seafood: ['해산물', '수산물', 'seafood'],
  dairy: ['유제품', '유당', '락토스', '치즈', 'dairy', 'lactose', 'cheese'],
  wheat: ['소맥', 'wheat'],
  gluten: ['글루텐', 'gluten'],
  grain: ['곡물', '곡류', 'grain'],
  rice: ['rice'],
  corn: ['maize'],
  soy: ['대두', 'soy', 'soya'],
  legume: ['콩류', '두류', 'legume'],
}

/** Korean label per group, for refusal reasons. */
export const GROUP_LABELS: Record<AllergenGroup, string> = {
  chicken: '닭고기', turkey: '칠면조', duck: '오리', quail: '메추리', poultry: '가금류', egg: '달걀',
  beef: '소고기', pork: '돼지고기', lamb: '양고기', goat: '염소고기', rabbit: '토끼고기', fish: '생선',
  shellfish: '갑각류·조개류', seafood: '해산물', dairy: '유제품', wheat: '밀', gluten: '글루텐',
  grain: '곡물', rice: '쌀', corn: '옥수수', soy: '대두(콩)', legume: '콩류',
}

type AllergyTerm = { group: AllergenGroup } | { ingredient: IngredientEntry }

const TERMS: readonly Term<AllergyTerm>[] = [
  ...Object.entries(SYNONYMS).flatMap(([group, names]) =>
    names.map((term) => ({ term, value: { group: group as AllergenGroup } })),
  ),
  ...INGREDIENT_TERMS.map(({ term, value }) => ({ term, value: { ingredient: value } })),
]

/** One allergy as the owner wrote it, with what it resolved to. */
export interface ResolvedAllergy {
  label: string
  groups: ReadonlySet<AllergenGroup>
  ingredientKeys: ReadonlySet<string>
  text: string | null
}

/**
 * Resolves free-text allergies. Naming an ingredient ("닭가슴살") means its main allergen group
 * (chicken); an ingredient with no group (e.g. "당근") stands for itself; text naming nothing
 * known is kept, normalised, for substring matching.
 */
export function resolveAllergies(allergies: readonly string[]): ResolvedAllergy[] {
  return allergies
    .map((label) => label.trim())
    .filter((label) => label !== '')
    .map((label) => {
      const groups = new Set<AllergenGroup>()
      const ingredientKeys = new Set<string>()
      for (const hit of findTerms(label, TERMS, { loose: true })) {
        if ('group' in hit.value) groups.add(hit.value.group)
        else if (hit.value.ingredient.groups[0]) groups.add(hit.value.ingredient.groups[0])
        else ingredientKeys.add(hit.value.ingredient.key)
      }
      const resolved = groups.size > 0 || ingredientKeys.size > 0
      return { label, groups, ingredientKeys, text: resolved ? null : normalizeName(label) }
    })
}

/**
 * The allergy an ingredient name triggers, or undefined. A curated ingredient is matched by its
 * groups and key; any name is also scanned for group words and checked against unresolved text.
 */
export function matchAllergy(name: string, allergies: readonly ResolvedAllergy[]): ResolvedAllergy | undefined {
  if (allergies.length === 0) return undefined
  const entry = findIngredient(name)
  const groups = new Set<AllergenGroup>(entry?.groups ?? [])
  const keys = new Set<string>(entry ? [entry.key] : [])
  for (const hit of findTerms(name, TERMS, { loose: true })) {
    if ('group' in hit.value) groups.add(hit.value.group)
    else {
      keys.add(hit.value.ingredient.key)
      for (const g of hit.value.ingredient.groups) groups.add(g)
    }
  }
  const normalized = normalizeName(name)
  return allergies.find(
    (a) =>
      [...a.groups].some((g) => groups.has(g)) ||
      [...a.ingredientKeys].some((k) => keys.has(k)) ||
      (a.text !== null && a.text !== '' && normalized.includes(a.text)),
  )
}

/** Korean description of what an allergy covers, e.g. "닭고기" or "닭고기·달걀". */
export function describeAllergy(allergy: ResolvedAllergy): string {
  const labels = [...allergy.groups].map((g) => GROUP_LABELS[g])
  return labels.length > 0 ? labels.join('·') : allergy.label
}
