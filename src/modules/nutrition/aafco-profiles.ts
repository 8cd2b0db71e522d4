/**
 * AAFCO Dog and Cat Food Nutrient Profiles — the minimums (and the maximums that a supplement
 * could overshoot) per 1000 kcal metabolisable energy, from the tables "based on calorie
 * content" of the profiles revised in 2014 (AAFCO Official Publication, 2016 and later
 * editions). Two profiles per species: growth & reproduction, and adult maintenance.
 *
 * Where AAFCO gives separate cat values for extruded (dry) and canned (moist) food, the canned
 * value is used, since a home-cooked bowl is moist (copper 2.1 mg and taurine 0.5 g per 1000
 * kcal for growth). Large-size puppies (expected adult weight 32 kg / 70 lb or more) have a
 * lower calcium maximum (4.5 g instead of 6.25 g).
 *
 * Not checked, and said so in every result: individual amino acids, chloride, iodine, vitamins
 * A, D, E, K and B12, choline, biotin (IFCT 2017 has no column for them, or AAFCO uses IU that
 * depend on the chemical form); arachidonic acid for cats (IFCT records 0 where it did not
 * analyse it, so 0 cannot be read as none). Taurine for cats is not in IFCT: it is always added
 * as a supplement at the full minimum.
 */
import type { NutrientKey } from './ifct-table'
import type { PetInfo } from './energy'
import type { Species } from './toxic-foods'

/** The AAFCO profile a recipe is checked against. */
export type AafcoProfile =
  | 'dog_growth_reproduction'
  | 'dog_adult_maintenance'
  | 'cat_growth_reproduction'
  | 'cat_adult_maintenance'

/** One nutrient of the profiles: which recipe key it checks, the unit and each profile's bounds. */
export interface AafcoNutrient {
  nutrient: string
  label: string
  key: NutrientKey
  unit: 'g' | 'mg'
  /** Multiplier from the recipe key's unit to `unit` (e.g. calcium_mg → g is 0.001). */
  scale: number
  /** Minimum per profile; absent where the profile sets none. */
  min: Partial<Record<AafcoProfile, number>>
  /** Maximum per profile, where one applies. */
  max?: Partial<Record<AafcoProfile, number>>
}

/** Where the bounds come from. */
export const AAFCO_SOURCE =
  'AAFCO Dog and Cat Food Nutrient Profiles (2014 revision, AAFCO Official Publication 2016 onward), per 1000 kcal ME'

const both = (dogGrowth: number, dogAdult: number, catGrowth: number, catAdult: number) => ({
  dog_growth_reproduction: dogGrowth,
  dog_adult_maintenance: dogAdult,
  cat_growth_reproduction: catGrowth,
  cat_adult_maintenance: catAdult,
})

/** Every nutrient the recipe calculator checks, with its AAFCO bounds. */
export const AAFCO_NUTRIENTS: readonly AafcoNutrient[] = [
  { nutrient: 'protein', label: '단백질', key: 'protein_g', unit: 'g', scale: 1, min: both(56.3, 45, 75, 65) },
  { nutrient: 'fat', label: '지방', key: 'fat_g', unit: 'g', scale: 1, min: both(21.3, 13.8, 22.5, 22.5) },
  { nutrient: 'linoleic_acid', label: '리놀레산', key: 'linoleic_acid_g', unit: 'g', scale: 1, min: both(3.3, 2.8, 1.4, 1.4) },
  { nutrient: 'alpha_linolenic_acid', label: '알파리놀렌산', key: 'alpha_linolenic_acid_g', unit: 'g', scale: 1, min: { dog_growth_reproduction: 0.2, cat_growth_reproduction: 0.05 } },
  { nutrient: 'epa_dha', label: 'EPA+DHA', key: 'epa_dha_g', unit: 'g', scale: 1, min: { dog_growth_reproduction: 0.1, cat_growth_reproduction: 0.03 } },
  {
    nutrient: 'calcium', label: '칼슘', key: 'calcium_mg', unit: 'g', scale: 1e-3, min: both(3.0, 1.25, 2.5, 1.5),
    max: { dog_growth_reproduction: 6.25, dog_adult_maintenance: 6.25 },
  },
  {
    nutrient: 'phosphorus', label: '인', key: 'phosphorus_mg', unit: 'g', scale: 1e-3, min: both(2.5, 1.0, 2.0, 1.25),
    max: { dog_growth_reproduction: 4.0, dog_adult_maintenance: 4.0 },
  },
  { nutrient: 'potassium', label: '칼륨', key: 'potassium_mg', unit: 'g', scale: 1e-3, min: both(1.5, 1.5, 1.5, 1.5) },
  { nutrient: 'sodium', label: '나트륨', key: 'sodium_mg', unit: 'g', scale: 1e-3, min: both(0.8, 0.2, 0.5, 0.5) },
  { nutrient: 'magnesium', label: '마그네슘', key: 'magnesium_mg', unit: 'g', scale: 1e-3, min: both(0.15, 0.15, 0.2, 0.1) },
  { nutrient: 'iron', label: '철', key: 'iron_mg', unit: 'mg', scale: 1, min: both(22, 10, 20, 20) },
  { nutrient: 'copper', label: '구리', key: 'copper_mg', unit: 'mg', scale: 1, min: both(3.1, 1.83, 2.1, 1.25) },
  { nutrient: 'manganese', label: '망간', key: 'manganese_mg', unit: 'mg', scale: 1, min: both(1.8, 1.25, 1.9, 1.9) },
  { nutrient: 'zinc', label: '아연', key: 'zinc_mg', unit: 'mg', scale: 1, min: both(25, 20, 18.8, 18.8) },
  {
    nutrient: 'selenium', label: '셀레늄', key: 'selenium_ug', unit: 'mg', scale: 1e-3, min: both(0.09, 0.08, 0.075, 0.075),
    max: { dog_growth_reproduction: 0.5, dog_adult_maintenance: 0.5 },
  },
  { nutrient: 'thiamine', label: '티아민(B1)', key: 'thiamine_mg', unit: 'mg', scale: 1, min: both(0.56, 0.56, 1.4, 1.4) },
  { nutrient: 'riboflavin', label: '리보플라빈(B2)', key: 'riboflavin_mg', unit: 'mg', scale: 1, min: both(1.3, 1.3, 1.0, 1.0) },
  { nutrient: 'pantothenic_acid', label: '판토텐산(B5)', key: 'pantothenic_acid_mg', unit: 'mg', scale: 1, min: both(3.0, 3.0, 1.44, 1.44) },
  { nutrient: 'niacin', label: '나이아신(B3)', key: 'niacin_mg', unit: 'mg', scale: 1, min: both(3.4, 3.4, 15, 15) },
  { nutrient: 'pyridoxine', label: '비타민 B6', key: 'vitamin_b6_mg', unit: 'mg', scale: 1, min: both(0.38, 0.38, 1.0, 1.0) },
  { nutrient: 'folic_acid', label: '엽산', key: 'folate_ug', unit: 'mg', scale: 1e-3, min: both(0.054, 0.054, 0.2, 0.2) },
]

/** Taurine minimum for cats (g per 1000 kcal), canned/moist food; added as a supplement. */
export const CAT_TAURINE_G_PER_1000_KCAL = 0.5

/** Calcium maximum (g per 1000 kcal) for large-size puppies. */
const LARGE_PUPPY_CALCIUM_MAX = 4.5
/** Expected adult weight from which a puppy is "large size" for AAFCO's calcium limit (70 lb). */
export const LARGE_SIZE_ADULT_KG = 32

/**
 * Calcium:phosphorus range. AAFCO's dog profiles set 1:1 to 2:1; the cat profiles set no ratio,
 * so the same range is applied to cats as general guidance (NRC 2006 discusses both species).
 */
export const CA_P_RANGE = { min: 1, max: 2 } as const

/** What the profile choice rests on, in Korean, for the answer. */
export interface ProfileChoice {
  profile: AafcoProfile
  label: string
  basis: string
  /** Large-size puppy: the lower calcium maximum applies. */
  largeSizeGrowth: boolean
}

const LABELS: Record<AafcoProfile, string> = {
  dog_growth_reproduction: 'AAFCO 개 성장·번식기',
  dog_adult_maintenance: 'AAFCO 개 성견 유지기',
  cat_growth_reproduction: 'AAFCO 고양이 성장·번식기',
  cat_adult_maintenance: 'AAFCO 고양이 성묘 유지기',
}

/**
 * The profile for a pet. Dogs grow until 12 months, large-size dogs (current weight ≥ 25 kg, or
 * an expected adult weight ≥ 32 kg) until 18 months; cats until 12 months. A puppy whose expected
 * adult weight is not known is held to the large-size calcium maximum, which is safe for every
 * size (the growth minimum, 3.0 g, stays below it).
 */
export function profileForPet(pet: PetInfo): ProfileChoice {
  const months = Math.round(pet.age * 12)
  if (pet.species === 'cat') {
    return pet.age < 1
      ? { profile: 'cat_growth_reproduction', label: LABELS.cat_growth_reproduction, basis: `생후 ${months}개월 (12개월 미만)`, largeSizeGrowth: false }
      : { profile: 'cat_adult_maintenance', label: LABELS.cat_adult_maintenance, basis: `${pet.age}살 성묘`, largeSizeGrowth: false }
  }
  const large = pet.adult_weight_kg !== undefined ? pet.adult_weight_kg >= LARGE_SIZE_ADULT_KG : pet.weight_kg >= 25
  const growing = pet.age < 1 || (large && pet.age < 1.5)
  if (!growing) return { profile: 'dog_adult_maintenance', label: LABELS.dog_adult_maintenance, basis: `${pet.age}살 성견`, largeSizeGrowth: false }
  const largeSizeGrowth = pet.adult_weight_kg === undefined || pet.adult_weight_kg >= LARGE_SIZE_ADULT_KG
  const size =
    pet.adult_weight_kg === undefined
      ? '예상 성견 체중을 몰라 대형견 칼슘 상한(4.5 g/1000 kcal)을 적용'
      : largeSizeGrowth
        ? `예상 성견 체중 ${pet.adult_weight_kg} kg: 대형견 칼슘 상한(4.5 g/1000 kcal) 적용`
        : `예상 성견 체중 ${pet.adult_weight_kg} kg`
  return { profile: 'dog_growth_reproduction', label: LABELS.dog_growth_reproduction, basis: `생후 ${months}개월 성장기 — ${size}`, largeSizeGrowth }
}

/** The minimum of a nutrient in a profile, or undefined where the profile sets none. */
export const minimumOf = (n: AafcoNutrient, choice: ProfileChoice): number | undefined => n.min[choice.profile]

/** The maximum of a nutrient in a profile (the large-size puppy calcium limit included). */
export function maximumOf(n: AafcoNutrient, choice: ProfileChoice): number | undefined {
  if (n.nutrient === 'calcium' && choice.largeSizeGrowth) return LARGE_PUPPY_CALCIUM_MAX
  return n.max?.[choice.profile]
}

/** AAFCO nutrients a result must say it did not check. */
export const NOT_COVERED: Record<Species, readonly string[]> = {
  dog: ['필수 아미노산(개별)', '염소(chloride)', '요오드', '비타민 A', '비타민 D', '비타민 E', '비타민 B12', '콜린'],
  cat: [
    '필수 아미노산(개별)', '아라키돈산', '염소(chloride)', '요오드', '비타민 A', '비타민 D', '비타민 E',
    '비타민 B12', '콜린', '비타민 K', '비오틴',
  ],
}
