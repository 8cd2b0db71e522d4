import { describe, expect, test } from 'bun:test'
import { parsePetInfo } from './energy'
import { calculateRecipe } from './recipe-calculator'
import { suggestIngredients } from './suggest'

const dog = parsePetInfo({ species: 'dog', age: 4, weight_kg: 8, neutered: true })
const cat = parsePetInfo({ species: 'cat', age: 4, weight_kg: 4, neutered: true })

describe('suggestIngredients', () => {
  test('uses the ingredients named in the message, with category-weighted energy shares', () => {
    const s = suggestIngredients('연어랑 고구마, 당근으로 레시피 만들어줘', dog)
    expect(s.source).toBe('message')
    expect(s.ingredients.map((i) => i.name)).toEqual(['연어', '고구마', '당근'])
    // dog weights protein 5 : carbohydrate 3 : vegetable 0.4
    expect(s.ingredients.map((i) => i.ratio)).toEqual([0.595, 0.357, 0.048])
    expect(s.rejected).toEqual([])
  })

  test('reports toxic foods named in the message with their reason and leaves them out', () => {
    const s = suggestIngredients('소고기에 포도랑 양파 넣어도 돼?', dog)
    expect(s.ingredients.map((i) => i.name)).toEqual(['소고기'])
    expect(s.rejected.map((r) => [r.name, r.kind])).toEqual([['포도', 'toxic'], ['양파', 'toxic']])
    expect(s.rejected[1]!.reason).toContain('빈혈')
  })

  test('refuses an allergen the user names and falls back to a default that avoids it', () => {
    const allergic = { ...dog, allergies: ['닭'] }
    const s = suggestIngredients('닭가슴살로 만들어줘', allergic)
    expect(s.rejected).toEqual([{ name: '닭가슴살', reason: expect.stringContaining('알레르기'), kind: 'allergy' }])
    expect(s.source).toBe('default')
    expect(s.ingredients.map((i) => i.category)).toEqual(['protein', 'carbohydrate', 'vegetable'])
    expect(s.ingredients.some((i) => i.key.startsWith('chicken'))).toBe(false)
  })

  test('honours "빼고" exclusions when choosing the default', () => {
    const s = suggestIngredients('닭고기 빼고 아무 레시피나 추천해줘', dog)
    expect(s.excluded).toEqual(['닭고기'])
    expect(s.source).toBe('default')
    expect(s.ingredients[0]!.key).toBe('turkey')
  })

  test('with nothing named, the default is protein + carbohydrate + vegetable and is calculable', () => {
    const s = suggestIngredients('우리 고양이 식단 짜줘', cat)
    expect(s.source).toBe('default')
    expect(s.ingredients.map((i) => i.key)).toEqual(['chicken_breast', 'sweet_potato', 'carrot'])
    // cats: protein carries most of the energy
    expect(s.ingredients[0]!.ratio).toBeGreaterThan(0.8)
    const r = calculateRecipe(cat, s.ingredients)
    expect(r.ingredients).toHaveLength(3)
  })

  test('recognised foods without IFCT data are reported, not silently dropped', () => {
    const s = suggestIngredients('브로콜리랑 소고기', dog)
    expect(s.unknown.map((u) => u.name)).toEqual(['브로콜리'])
    expect(s.ingredients.map((i) => i.key)).toEqual(['beef'])
  })

  test('species matters: lilies are only refused for cats', () => {
    expect(suggestIngredients('백합 옆에서 밥 먹여도 돼?', cat).rejected.map((r) => r.kind)).toEqual(['toxic'])
    expect(suggestIngredients('백합 옆에서 밥 먹여도 돼?', dog).rejected).toEqual([])
  })
})
