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
    ...s.ingredients.map((i) => {
      const added = s.added.find((a) => a.name === i.name)
      return { name: i.name, status: 'selected' as const, food_code: i.food_code, ratio: i.ratio, ...(added ? { reason: added.reason } : {}) }
    }),
    ...s.rejected.map((r) => ({ name: r.name, status: 'rejected' as const, kind: r.kind, reason: r.reason })),
    ...s.excluded.map((name) => ({ name, status: 'excluded' as const, reason: '요청에 따라 제외했습니다.' })),
    ...s.unknown.map((u) => ({ name: u.name, status: 'unknown' as const, reason: u.reason })),
  ]
}

/**
 * The calculated figures as fact lines for the model (and the offline answer): the profile,
 * each food's daily grams with the weight it means, the supplements, the meal split, and —
 * when the recipe could not be balanced — that it is not complete and a vet should be seen.
 */
export function recipeFacts(title: string, result: CalculationResult): string[] {
  const meals = result.meals.per_day
  const facts = [
    `레시피 "${title}": 하루 ${Math.round(result.daily_energy_kcal)} kcal, ${result.profile.label} 기준 (${result.profile.basis})`,
    `에너지 계산: ${result.energy_basis}`,
    ...result.ingredients.map(
      (i) =>
        `${i.ko}: 하루 ${i.grams} g (${i.weight_note}${i.dry_grams !== undefined ? `, 마른 곡물 ${i.dry_grams} g` : ''}), 한 끼 ${Math.round((i.grams / meals) * 10) / 10} g — ${i.kcal} kcal`,
    ),
    ...result.supplements.map((s) => `보충제 ${s.name}: 하루 ${s.grams_per_day} g (${s.reason})${s.key === 'premix' ? ` — 제품 라벨로 맞출 하루 공급량: ${premixAmounts(s.supplies)}` : ''}`),
    `하루 ${meals}끼로 나눠 급여하세요.`,
  ]
  if (result.balanced) facts.push(`보충제를 더하면 ${result.profile.label}의 확인한 최소 기준을 모두 충족합니다.`)
  else {
    facts.push('이 레시피는 완전한 식단이 아닙니다. 그대로 급여하지 말고 수의사와 상담하세요.')
    facts.push(...result.shortfalls.map((s) => `충족하지 못한 기준 — ${s}`))
  }
  facts.push(`계산하지 못한 영양소: ${result.aafco.not_covered.join(', ')}`)
  return facts
}

const UNIT_LABELS: Record<string, [string, string]> = {
  magnesium_mg: ['마그네슘', 'mg'], iron_mg: ['철', 'mg'], zinc_mg: ['아연', 'mg'], copper_mg: ['구리', 'mg'],
  manganese_mg: ['망간', 'mg'], selenium_ug: ['셀레늄', 'µg'], thiamine_mg: ['B1', 'mg'], riboflavin_mg: ['B2', 'mg'],
  niacin_mg: ['나이아신', 'mg'], pantothenic_acid_mg: ['판토텐산', 'mg'], vitamin_b6_mg: ['B6', 'mg'], folate_ug: ['엽산', 'µg'],
}

/** The premix's daily amounts, so an owner can match any product's label. */
const premixAmounts = (supplies: Record<string, number | undefined>) =>
  Object.entries(supplies)
    .filter(([k, v]) => v !== undefined && UNIT_LABELS[k])
    .map(([k, v]) => `${UNIT_LABELS[k]![0]} ${Math.round(v! * 100) / 100} ${UNIT_LABELS[k]![1]}`)
    .join(', ')

/** The recipe flow over a recipe repository. */
export function createRecipeFlow(deps: { recipes: RecipeRepo }): Flow {
  return async function* recipeFlow(ctx: FlowContext) {
    yield { type: 'step', step: 'recipe_flow', content: '레시피 생성 중...' }
    const suggestion = suggestIngredients(ctx.text, ctx.info, ctx.pet.name)
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
