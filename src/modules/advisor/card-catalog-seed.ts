import type { Db } from '../../platform/db/client'
import { loadSampleCatalog } from '../cards/sample-catalog'
import { createCardCatalogRepo } from './card-catalog-repo'

/**
 * Gives a fresh database the shipped SAMPLE catalog so card recommendations work on the first
 * start. Does nothing when any card exists (an imported catalog is never overwritten), and is
 * safe when several processes start together: the write only inserts rows that are missing.
 */
export async function ensureCardCatalog(db: Db): Promise<{ seeded: boolean }> {
  const repo = createCardCatalogRepo({ db })
  if ((await repo.count()) > 0) return { seeded: false }
  await repo.insertMissing(loadSampleCatalog())
  return { seeded: true }
}
