import { describe, expect, test } from 'bun:test'
import { PETCARE_ROUTING_EXAMPLES } from '../../petcare/routing-examples'
import { charNgrams, normalizeText, words } from '../text-features'
import type { ToolSpec } from '../types'
import { hashedFeatures, intentScores } from './offline-intent'

describe('the intent model', () => {
  test('hashes the routing examples wide enough that few of their n-grams share a bucket', () => {
    const features = new Set<string>()
    for (const example of Object.values(PETCARE_ROUTING_EXAMPLES).flat()) {
      for (const word of words(normalizeText(example))) {
        features.add(`w:${word}`)
        for (const gram of charNgrams(word)) features.add(`g:${gram}`)
      }
    }
    const buckets = new Set(Object.values(PETCARE_ROUTING_EXAMPLES).flat().flatMap((e) => hashedFeatures(normalizeText(e)).index))
    // Thousands of distinct n-grams: at 1,024 buckets most would collide and blur the tools.
    expect(features.size).toBeGreaterThan(3000)
    expect(buckets.size / features.size).toBeGreaterThan(0.8)
  })

  test("weighs each tool's examples as much in all as another's, so the larger tool does not win by its size", () => {
    const many = Array.from({ length: 40 }, (_, i) => `recipe number ${i} with chicken and rice`)
    const tools: ToolSpec[] = [
      { name: 'big', description: 'many examples', examples: many },
      { name: 'small', description: 'few examples', examples: ['what is the weather', 'is it raining today'] },
    ]
    // Messages sharing words with both: weighed by count, the tool of 40 examples takes them.
    for (const message of ['number of rainy days', 'weather with rice']) {
      const [big, small] = intentScores(message, tools)
      expect(small!).toBeGreaterThan(big!)
    }
  })
})
