/**
 * The recipe flow: ingredients are picked from the message for this pet (toxic foods and
 * allergens named in it are refused with their reason), the recipe is calculated and stored,
 * and the model explains it from the calculated figures only.
 */
import type { ChatUsage } from '../ai/types'
import type { CalculationResult } from '../nutrition/recipe-calculator'
import { calculateRecipe } from '../nutrition/recipe-calculator'
import { suggestIngredients, type IngredientSuggestion } from '../nutrition/suggest'
import { petFacts, tokenCount, type Flow, type FlowContext } from './flow-types'
import { formatId } from './petcare-ids'
import type { RecipeRepo } from './recipe-repo'

/** One screened ingredient as `validation_ingredients` lists it. */
export interface ValidatedIngredient {
  name: string
  status: 'selected' | 'rejected' | 'excluded' | 'unknown'
  kind?: 'toxic' | 'allergy'
  reason?: string
  food_code?: string
  ratio?: number
}

/** Every ingredient the message named or the default chose, with what happened to it and why. */
export function validationOf(s: IngredientSuggestion): ValidatedIngredient[] {
  return [
    ...s.ingredients.map((i) => ({ name: i.name, status: 'selected' as const, food_code: i.food_code, ratio: i.ratio })),
    ...s.rejected.map((r) => ({ name: r.name, status: 'rejected' as const, kind: r.kind, reason: r.reason })),
    ...s.excluded.map((name) => ({ name, status: 'excluded' as const, reason: '요청에 따라 제외했습니다.' })),
    ...s.unknown.map((u) => ({ name: u.name, status: 'unknown' as const, reason: u.reason })),
  ]
}

/** The calculated figures as fact lines for the model. */
export function recipeFacts(title: string, result: CalculationResult): string[] {
  return [
    `레시피 "${title}": 하루 ${Math.round(result.daily_energy_kcal)} kcal, 총 ${Math.round(result.totals.grams)} g`,
    ...result.ingredients.map((i) => `${i.ko}: 하루 ${i.grams} g (${i.kcal} kcal, 에너지의 ${Math.round(i.energy_share * 100)}%)`),
    ...(result.shortfalls.length > 0 ? result.shortfalls.map((s) => `보충 필요 — ${s}`) : ['AAFCO 최소 기준의 주요 영양소를 충족합니다.']),
  ]
}

/** The recipe flow over a recipe repository. */
export function createRecipeFlow(deps: { recipes: RecipeRepo }): Flow {
  return async function* recipeFlow(ctx: FlowContext) {
    yield { type: 'step', step: 'recipe_flow', content: '레시피 생성 중...' }
    const suggestion = suggestIngredients(ctx.text, ctx.info)
    // A message that names only refused foods gets a refusal, not a recipe of defaults it never asked for.
    const refuseAll = suggestion.source === 'default' && suggestion.rejected.length > 0
    const selected = refuseAll ? [] : suggestion.ingredients.map((i) => i.name)
    const validation = validationOf(refuseAll ? { ...suggestion, ingredients: [] } : suggestion)
    const screened = { selected_ingredients: selected, validation_ingredients: validation }
    await ctx.save('tool_result', screened, tokenCount(0, 0))
    yield { type: 'step', step: 'recipe_flow', content: screened }

    const facts = [...petFacts(ctx.pet, ctx.info)]
    for (const r of suggestion.rejected) facts.push(`사용할 수 없는 식재료 ${r.name} — ${r.reason}`)
    for (const u of suggestion.unknown) facts.push(`계산할 수 없는 식재료 ${u.name} — ${u.reason}`)
    let recipeId: string | undefined
    if (!refuseAll) {
      const result = calculateRecipe(
        ctx.info,
        suggestion.ingredients.map((i) => ({ name: i.name, ratio: i.ratio })),
      )
      const title = `${ctx.pet.name}의 ${selected.join('·')} 레시피`
      const recipe = await deps.recipes.insert({
        ownerId: ctx.caller.id,
        petId: ctx.pet.id,
        roomId: ctx.chat.id,
        title,
        selectedIngredients: selected,
        validationIngredients: validation,
        calculationResult: result,
      })
      recipeId = formatId('recipe', recipe.publicId)
      await ctx.save('recipe', { recipe_id: recipeId, title, calculation_result: result }, tokenCount(0, 0))
      yield { type: 'recipe', recipe }
      facts.push(...recipeFacts(title, result))
    } else {
      facts.push('요청한 식재료가 모두 반려동물에게 안전하지 않아 레시피를 만들지 않았습니다.')
    }

    const answer = await ctx.answer({ facts })
    await ctx.save(
      'assistant',
      recipeId ? { message: answer.text, recipe_id: recipeId } : { message: answer.text },
      tokenCount(answer.usage.promptTokens, answer.usage.completionTokens),
    )
    yield { type: 'step', step: 'recipe_flow', content: { role: 'assistant', content: answer.text } }
    return answer.usage satisfies ChatUsage
  }
}
