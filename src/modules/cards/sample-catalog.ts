/**
 * The shipped SAMPLE card catalog (catalog.sample.json): fictional cards and companies used
 * until a real catalog is imported with `cards:import`. Its top-level `sample: true` and `note`
 * travel with it so every consumer can say the data is illustrative.
 */
import sample from './catalog.sample.json'
import { validateCatalog, type CardCatalog } from './catalog'

let cached: CardCatalog | null = null

/** The validated sample catalog; validated once per process, the same object afterwards. */
export function loadSampleCatalog(): CardCatalog {
  cached ??= validateCatalog(sample)
  return cached
}
