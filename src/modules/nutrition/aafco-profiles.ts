/**
 * AAFCO adult-maintenance minimums per 1000 kcal metabolisable energy, from the AAFCO Dog and
 * Cat Food Nutrient Profiles (AAFCO Official Publication, 2014 revision, tables "based on
 * calorie content"). Only nutrients that IFCT 2017 reports in a unit that converts exactly are
 * checked. Not covered, and said so in every result:
 * - individual amino acids (IFCT's amino-acid values are not on a basis we can verify) and
 *   taurine for cats (IFCT has no taurine);
 * - chloride, iodine, vitamin B12, choline, vitamin K, EPA/DHA and arachidonic acid (no IFCT column);
 * - vitamins A, D and E (AAFCO uses IU; converting IFCT's retinol, carotenoids and tocopherols
 *   depends on the chemical form, and cats cannot make vitamin A from β-carotene);
 * - AAFCO maximums, except the Ca:P ratio.
 * IFCT "folates" are food folate while AAFCO names folic acid; the units line up, the
 * bioavailability does not exactly.
 */
import type { NutrientKey } from './ifct-table'
import type { Species } from './toxic-foods'

/** The AAFCO profile a recipe is checked against. */
export type AafcoProfile = 'dog_adult_maintenance' | 'cat_adult_maintenance'

/** One AAFCO minimum: which recipe nutrient it checks, in which unit, and the minimum per species. */
export interface AafcoMinimum {
  nutrient: string
  label: string
  key: NutrientKey
  unit: 'g' | 'mg'
  /** Multiplier from the recipe key's unit to `unit` (e.g. calcium_mg → g is 0.001). */
  scale: number
  dog: number
  cat: number
}

/** Where the minimums come from. */
export const AAFCO_SOURCE =
  'AAFCO Dog and Cat Food Nutrient Profiles, adult maintenance minimums per 1000 kcal ME (AAFCO Official Publication, 2014 revision)'

/** The AAFCO adult-maintenance minimums this module checks. */
export const AAFCO_MINIMUMS: readonly AafcoMinimum[] = [
  { nutrient: 'protein', label: '단백질', key: 'protein_g', unit: 'g', scale: 1, dog: 45, cat: 65 },
  { nutrient: 'fat', label: '지방', key: 'fat_g', unit: 'g', scale: 1, dog: 13.8, cat: 22.5 },
  { nutrient: 'linoleic_acid', label: '리놀레산', key: 'linoleic_acid_g', unit: 'g', scale: 1, dog: 2.8, cat: 1.4 },
  { nutrient: 'calcium', label: '칼슘', key: 'calcium_mg', unit: 'g', scale: 1e-3, dog: 1.25, cat: 1.5 },
  { nutrient: 'phosphorus', label: '인', key: 'phosphorus_mg', unit: 'g', scale: 1e-3, dog: 1.0, cat: 1.25 },
  { nutrient: 'potassium', label: '칼륨', key: 'potassium_mg', unit: 'g', scale: 1e-3, dog: 1.5, cat: 1.5 },
  { nutrient: 'sodium', label: '나트륨', key: 'sodium_mg', unit: 'g', scale: 1e-3, dog: 0.2, cat: 0.5 },
  { nutrient: 'magnesium', label: '마그네슘', key: 'magnesium_mg', unit: 'g', scale: 1e-3, dog: 0.15, cat: 0.1 },
  { nutrient: 'iron', label: '철', key: 'iron_mg', unit: 'mg', scale: 1, dog: 10, cat: 20 },
  { nutrient: 'copper', label: '구리', key: 'copper_mg', unit: 'mg', scale: 1, dog: 1.83, cat: 1.25 },
  { nutrient: 'manganese', label: '망간', key: 'manganese_mg', unit: 'mg', scale: 1, dog: 1.25, cat: 1.9 },
  { nutrient: 'zinc', label: '아연', key: 'zinc_mg', unit: 'mg', scale: 1, dog: 20, cat: 18.8 },
  { nutrient: 'selenium', label: '셀레늄', key: 'selenium_ug', unit: 'mg', scale: 1e-3, dog: 0.08, cat: 0.075 },
  { nutrient: 'thiamine', label: '티아민(B1)', key: 'thiamine_mg', unit: 'mg', scale: 1, dog: 0.56, cat: 1.4 },
  { nutrient: 'riboflavin', label: '리보플라빈(B2)', key: 'riboflavin_mg', unit: 'mg', scale: 1, dog: 1.3, cat: 1.0 },
  { nutrient: 'pantothenic_acid', label: '판토텐산(B5)', key: 'pantothenic_acid_mg', unit: 'mg', scale: 1, dog: 3.0, cat: 1.44 },
  { nutrient: 'niacin', label: '나이아신(B3)', key: 'niacin_mg', unit: 'mg', scale: 1, dog: 3.4, cat: 15 },
  { nutrient: 'pyridoxine', label: '비타민 B6', key: 'vitamin_b6_mg', unit: 'mg', scale: 1, dog: 0.38, cat: 1.0 },
  { nutrient: 'folic_acid', label: '엽산', key: 'folate_ug', unit: 'mg', scale: 1e-3, dog: 0.054, cat: 0.2 },
]

/**
 * Calcium:phosphorus range. AAFCO's dog profile sets 1:1 to 2:1; its cat profile sets no ratio,
 * so the same range is applied to cats as general guidance (NRC 2006 discusses both species).
 */
export const CA_P_RANGE = { min: 1, max: 2 } as const

/** AAFCO nutrients a result must say it did not check. */
export const NOT_COVERED: Record<Species, readonly string[]> = {
  dog: [
    '필수 아미노산(개별)', '염소(chloride)', '요오드', '비타민 A', '비타민 D', '비타민 E', '비타민 B12', '콜린',
    'AAFCO 최대 허용량(칼슘:인 비율 제외)',
  ],
  cat: [
    '타우린', '필수 아미노산(개별)', '아라키돈산', '염소(chloride)', '요오드', '비타민 A', '비타민 D', '비타민 E',
    '비타민 B12', '콜린', '비타민 K', 'AAFCO 최대 허용량(칼슘:인 비율 제외)',
  ],
}

/** The adult-maintenance profile that applies to a species. */
export const profileFor = (species: Species): AafcoProfile =>
  species === 'dog' ? 'dog_adult_maintenance' : 'cat_adult_maintenance'
