import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { recipes } from '../../platform/db/schema'
import type { PageCursor } from './page-cursor'
import { afterCursor } from './chat-repo'

/** A stored recipe with its checks and calculation. */
export type Recipe = typeof recipes.$inferSelect
/** What storing a recipe takes. */
export type NewRecipe = typeof recipes.$inferInsert

/** Recipes the petcare flow stored, read back by their owner. */
export function createRecipeRepo({ db }: { db: Db }) {
  return {
    async insert(input: NewRecipe): Promise<Recipe> {
      const [r] = await db.insert(recipes).values(input).returning()
      return r!
    },
    /** The recipe with that public uuid, whoever owns it; services check ownership. */
    async findByPublicId(publicId: string): Promise<Recipe | undefined> {
      const [r] = await db.select().from(recipes).where(eq(recipes.publicId, publicId)).limit(1)
      return r
    },
    /** Up to `limit` of the owner's recipes after the cursor, newest first. */
    async page(ownerId: number, cursor: PageCursor | undefined, limit: number): Promise<Recipe[]> {
      const where = cursor
        ? and(eq(recipes.ownerId, ownerId), afterCursor(recipes.createdAt, recipes.publicId, cursor))
        : eq(recipes.ownerId, ownerId)
      return db.select().from(recipes).where(where).orderBy(desc(recipes.createdAt), desc(recipes.publicId)).limit(limit)
    },
  }
}

/** The recipe repository as built by createRecipeRepo. */
export type RecipeRepo = ReturnType<typeof createRecipeRepo>
