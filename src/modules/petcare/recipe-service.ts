import { notFound } from '../../platform/errors'
import type { User } from '../auth/user-repo'
import { parseCursor, parseLimit, toPage, type Page } from './page-cursor'
import type { PetcareAccess } from './petcare-access'
import type { Recipe, RecipeRepo } from './recipe-repo'

/** The 404 for a recipe that is missing or someone else's. */
export const recipeNotFound = () => notFound('레시피를 찾을 수 없습니다.')

/** The caller's recipes (seed 4); another user's recipe is 404. */
export function createRecipeService(deps: { recipes: RecipeRepo; access: PetcareAccess }) {
  return {
    async list(signedIn: User | undefined, userId: unknown, query: { cursor?: unknown; limit?: unknown }): Promise<Page<Recipe>> {
      const caller = await deps.access.caller(signedIn, userId)
      const cursor = parseCursor(query.cursor)
      const limit = parseLimit(query.limit)
      const rows = await deps.recipes.page(caller.id, cursor, limit + 1)
      return toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.publicId }))
    },

    async detail(signedIn: User | undefined, userId: unknown, recipeUuid: string | undefined): Promise<{ recipe: Recipe; owner: User }> {
      const caller = await deps.access.caller(signedIn, userId)
      const recipe = recipeUuid ? await deps.recipes.findByPublicId(recipeUuid) : undefined
      if (!recipe || recipe.ownerId !== caller.id) throw recipeNotFound()
      return { recipe, owner: caller }
    },
  }
}

/** The recipe service as built by createRecipeService. */
export type RecipeService = ReturnType<typeof createRecipeService>
