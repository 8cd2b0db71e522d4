import { extname } from 'node:path'
import { AppError } from '../../platform/errors'
import { parseCatalogCsv, validateCatalog, type CardCatalog } from '../cards/catalog'

/**
 * Reads a card catalog file for `cards:import`: `.csv` in the layout of cards/catalog.ts, or
 * `.json` as `{sample?, note?, cards: [...]}` (or a bare list of cards). Guarantees a
 * validated catalog or an AppError VALIDATION whose `details.errors` lists every problem with
 * its CSV line or JSON path; a file that cannot be read or has another extension is one too.
 */
export async function readCatalogFile(path: string): Promise<CardCatalog> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new AppError('VALIDATION', `no such file: ${path}`)
  const text = await file.text()
  const ext = extname(path).toLowerCase()
  if (ext === '.csv') return parseCatalogCsv(text)
  if (ext === '.json') {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      throw new AppError('VALIDATION', `${path} is not valid JSON: ${(e as Error).message}`)
    }
    return validateCatalog(json)
  }
  throw new AppError('VALIDATION', `${path}: expected a .csv or .json file`)
}
