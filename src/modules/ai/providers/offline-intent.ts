import { AppError } from '../../../platform/errors'
import { charNgrams, fnv1a, normalizeText, words } from '../text-features'
import type { ToolChoice, ToolSpec } from '../types'
import { SIGN_SEED } from './offline-embedder'

const FREE_TEXT_PROPERTY = /query|question|message|text|prompt|input/i
/**
 * Feature dimension of the intent model: the offline embedding's features (words and their
 * character 2–4-grams, signed hashing, L2-normalised), hashed wide so that few of the few
 * thousand n-grams of the examples share a bucket (at 1024 the collisions blurred the tools).
 */
const DIM = 16384
const EPOCHS = 300
const LEARNING_RATE = 4
const L2 = 1e-4
/** Weight of one tool's keyword hit, a single feature among the n-gram ones. */
const KEYWORD_FEATURE = 0.35
/** How far a tool's evidence (0..1) moves its score, around a neutral 0.5. */
const EVIDENCE_WEIGHT = 2

/**
 * Arguments for a tool picked without a model: every string property that is required, or
 * whose name says it carries free text (`query`, `search_query`, `message`…), gets the
 * user's message; the flow refines the rest itself.
 */
export function offlineArguments(tool: ToolSpec, message: string): Record<string, unknown> {
  const schema = tool.parameters as
    | { properties?: Record<string, { type?: unknown }>; required?: unknown }
    | undefined
  const required = Array.isArray(schema?.required) ? (schema.required as unknown[]) : []
  const args: Record<string, unknown> = {}
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop?.type !== 'string') continue
    if (required.includes(name) || FREE_TEXT_PROPERTY.test(name)) args[name] = message
  }
  return args
}

/** How many of a tool's keywords the normalised message holds, regardless of spacing. */
function keywordHits(text: string, tool: ToolSpec): number {
  const compact = text.replace(/ /g, '')
  let hits = 0
  for (const raw of tool.keywords ?? []) {
    const keyword = normalizeText(raw)
    if (keyword && (text.includes(keyword) || compact.includes(keyword.replace(/ /g, '')))) hits++
  }
  return hits
}

/** A sparse feature vector: the indices of its non-zero entries and their values. */
interface Features {
  index: number[]
  value: number[]
}

/**
 * The offline embedding of a normalised text (`embedOffline`), kept sparse: a message has a
 * hundred or so features among DIM buckets.
 */
export function hashedFeatures(text: string): Features {
  const buckets = new Map<number, number>()
  const add = (feature: string) => {
    const bucket = fnv1a(feature) % DIM
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ((fnv1a(feature, SIGN_SEED) & 1) === 0 ? 1 : -1))
  }
  const tokens = words(text)
  for (const word of tokens) {
    add(`w:${word}`)
    for (const gram of charNgrams(word)) add(`g:${gram}`)
  }
  const x: Features = { index: [], value: [] }
  let norm = 0
  for (const v of buckets.values()) norm += v * v
  if (norm === 0) return x
  for (const [bucket, v] of buckets) if (v !== 0) x.index.push(bucket), x.value.push(v / Math.sqrt(norm))
  return x
}

/** The features of one message for a tool list: its offline embedding, then one keyword feature per tool. */
function features(message: string, tools: ToolSpec[]): Features {
  const text = normalizeText(message)
  const x = hashedFeatures(text)
  tools.forEach((tool, i) => {
    if (keywordHits(text, tool) > 0) x.index.push(DIM + i), x.value.push(KEYWORD_FEATURE)
  })
  return x
}

/** A softmax regression over the features: one weight row and bias per tool. */
interface IntentModel {
  weights: Float64Array[]
  bias: Float64Array
}

function logits(model: IntentModel, x: Features): number[] {
  return model.weights.map((w, k) => {
    let z = model.bias[k]!
    for (let j = 0; j < x.index.length; j++) z += w[x.index[j]!]! * x.value[j]!
    return z
  })
}

/**
 * Trains the softmax regression on the tools' examples with full-batch gradient descent,
 * deterministically (zero start, fixed order), in well under a second for a few hundred
 * examples. Tools without examples keep zero weights, so only keywords and evidence reach them.
 */
function train(tools: ToolSpec[]): IntentModel {
  const width = DIM + tools.length
  const data: { x: Features; y: number }[] = []
  tools.forEach((tool, y) => {
    for (const example of tool.examples ?? []) data.push({ x: features(example, tools), y })
  })
  const model: IntentModel = { weights: tools.map(() => new Float64Array(width)), bias: new Float64Array(tools.length) }
  if (data.length === 0) return model
  // Each tool's examples weigh as much in all as another's: a tool with twice the examples
  // would otherwise win every message the features do not settle.
  const perTool = tools.map((_, y) => data.filter((d) => d.y === y).length)
  const withExamples = perTool.filter((n) => n > 0).length
  const share = perTool.map((n) => (n > 0 ? data.length / (withExamples * n) : 0))
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const gradW = tools.map(() => new Float64Array(width))
    const gradB = new Float64Array(tools.length)
    for (const { x, y } of data) {
      const z = logits(model, x)
      const max = Math.max(...z)
      const exp = z.map((v) => Math.exp(v - max))
      const sum = exp.reduce((a, b) => a + b, 0)
      exp.forEach((e, k) => {
        const g = (e / sum - (k === y ? 1 : 0)) * share[y]!
        gradB[k]! += g
        const row = gradW[k]!
        for (let j = 0; j < x.index.length; j++) row[x.index[j]!]! += g * x.value[j]!
      })
    }
    model.weights.forEach((w, k) => {
      for (let j = 0; j < width; j++) w[j]! -= LEARNING_RATE * (gradW[k]![j]! / data.length + L2 * w[j]!)
      model.bias[k]! -= (LEARNING_RATE * gradB[k]!) / data.length
    })
  }
  return model
}

/** One trained model per tool list: the lists are module constants, so this trains once per process. */
const models = new WeakMap<ToolSpec[], IntentModel>()
const modelFor = (tools: ToolSpec[]): IntentModel => {
  let model = models.get(tools)
  if (!model) models.set(tools, (model = train(tools)))
  return model
}

/** Each tool's score for a message, before evidence: the intent model's logits. */
export function intentScores(message: string, tools: ToolSpec[]): number[] {
  // Tools given without examples have nothing to learn from: their keywords alone decide.
  if (!tools.some((t) => t.examples?.length)) return tools.map((t) => keywordHits(normalizeText(message), t))
  return logits(modelFor(tools), features(message, tools))
}

/**
 * The offline router: the intent model (softmax regression over the message's character
 * n-grams, trained on the tools' examples, with each tool's keywords as one feature), plus
 * each tool's evidence where it has some (the knowledge base's confidence for a search
 * tool). The best score wins; ties go to the earlier tool; an empty list is a programming error.
 */
export async function chooseToolOffline(message: string, tools: ToolSpec[], signal?: AbortSignal): Promise<ToolChoice> {
  if (tools.length === 0) throw new AppError('INTERNAL', 'No tools to choose from')
  const scores = intentScores(message, tools)
  await Promise.all(
    tools.map(async (tool, i) => {
      if (!tool.evidence) return
      const evidence = Math.min(1, Math.max(0, await tool.evidence(message, signal)))
      scores[i]! += EVIDENCE_WEIGHT * (evidence - 0.5)
    }),
  )
  let best = 0
  scores.forEach((s, i) => (s > scores[best]! ? (best = i) : undefined))
  const tool = tools[best]!
  return { tool: tool.name, arguments: offlineArguments(tool, message) }
}
