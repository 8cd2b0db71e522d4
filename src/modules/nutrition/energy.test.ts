import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { DEFAULT_AGE_YEARS, energyRequirement, parsePetInfo, restingEnergy } from './energy'

const dog = (over: Record<string, unknown> = {}) =>
  parsePetInfo({ species: 'dog', age: 5, weight_kg: 10, neutered: true, activity: 'normal', allergies: [], ...over })

const validationError = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('VALIDATION')
    return (e as AppError).message
  }
  throw new Error('expected a VALIDATION error')
}

describe('energyRequirement', () => {
  test('10 kg neutered adult dog: RER 393.6 kcal, MER 629.8 kcal (hand-worked: 70 × 10^0.75 = 393.63)', () => {
    const e = energyRequirement(dog())
    expect(e.rer_kcal).toBeCloseTo(393.6, 1)
    expect(e.factor).toBe(1.6)
    expect(e.mer_kcal).toBeCloseTo(629.8, 1)
    expect(e.life_stage).toBe('adult_dog')
  })

  test('RER follows 70 × kg^0.75 (1 kg → 70 kcal, 16 kg → 70 × 8 = 560 kcal)', () => {
    expect(restingEnergy(1)).toBeCloseTo(70, 6)
    expect(restingEnergy(16)).toBeCloseTo(560, 6)
  })

  test('dog factors by life stage, neuter status and activity', () => {
    expect(energyRequirement(dog({ neutered: false })).factor).toBe(1.8)
    expect(energyRequirement(dog({ activity: 'low' })).factor).toBe(1.2)
    expect(energyRequirement(dog({ activity: 'low', neutered: false })).factor).toBe(1.4)
    expect(energyRequirement(dog({ activity: 'high' })).factor).toBe(2.0)
    expect(energyRequirement(dog({ age: 0.25 })).factor).toBe(3.0)
    expect(energyRequirement(dog({ age: 0.25 })).life_stage).toBe('puppy_under_4_months')
    expect(energyRequirement(dog({ age: 0.5 })).factor).toBe(2.0)
    expect(energyRequirement(dog({ age: 1 })).factor).toBe(1.6)
  })

  test('cat factors: neutered 1.2, intact 1.4, inactive 1.0, kitten 2.5', () => {
    const cat = (over: Record<string, unknown>) => parsePetInfo({ species: 'cat', age: 4, weight_kg: 4, neutered: true, ...over })
    expect(energyRequirement(cat({})).factor).toBe(1.2)
    expect(energyRequirement(cat({ neutered: false })).factor).toBe(1.4)
    expect(energyRequirement(cat({ activity: 'low' })).factor).toBe(1.0)
    const kitten = energyRequirement(cat({ age: 0.5 }))
    expect(kitten.factor).toBe(2.5)
    expect(kitten.life_stage).toBe('kitten')
    // 4 kg: 70 × 4^0.75 = 70 × 2.8284 = 197.99
    expect(energyRequirement(cat({})).rer_kcal).toBeCloseTo(197.99, 1)
  })
})

describe('parsePetInfo', () => {
  test('fills defaults for missing optional fields', () => {
    const pet = parsePetInfo({ species: 'cat', weight_kg: 4.2 })
    expect(pet).toEqual({ species: 'cat', age: DEFAULT_AGE_YEARS, weight_kg: 4.2, neutered: false, activity: 'normal', allergies: [] })
  })

  test('accepts JSON text, Korean spellings, numeric strings and comma-separated allergies', () => {
    const pet = parsePetInfo(
      JSON.stringify({ species: '강아지', age: '2', weight_kg: '7.5kg', neutered: '예', activity: '높음', allergies: '닭, 소고기 ,닭' }),
    )
    expect(pet).toEqual({ species: 'dog', age: 2, weight_kg: 7.5, neutered: true, activity: 'high', allergies: ['닭', '소고기'] })
  })

  test('refuses nonsense with VALIDATION and names the field', () => {
    expect(validationError(() => parsePetInfo({ species: 'hamster', weight_kg: 1 }))).toContain('species')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 0 }))).toContain('weight_kg')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: -3 }))).toContain('weight_kg')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 151 }))).toContain('weight_kg')
    expect(validationError(() => parsePetInfo({ species: 'dog' }))).toContain('weight_kg')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 'heavy' }))).toContain('weight_kg')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 5, age: -1 }))).toContain('age')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 5, activity: 'extreme' }))).toContain('activity')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 5, neutered: 'maybe' }))).toContain('neutered')
    expect(validationError(() => parsePetInfo({ species: 'dog', weight_kg: 5, allergies: [1] }))).toContain('allergies')
    expect(validationError(() => parsePetInfo('{not json'))).toContain('JSON')
    expect(validationError(() => parsePetInfo([]))).toContain('object')
  })

  test('accepts the 150 kg upper bound itself', () => {
    expect(parsePetInfo({ species: 'dog', weight_kg: 150 }).weight_kg).toBe(150)
  })
})
