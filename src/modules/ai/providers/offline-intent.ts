import { AppError } from '../../../platform/errors'
import { normalizeText } from '../text-features'
import type { ToolChoice, ToolSpec } from '../types'

const FREE_TEXT_PROPERTY = /query|question|message|text|prompt|input/i

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

/**
 * Keyword intent rules over one message: the tool with the most keywords found in it wins
 * (ties go to the longer total match, then to the earlier tool); with no keyword found, the
 * first tool is the default; an empty list is a programming error. Matching is on the normalised text, so case, width and spacing
 * variants of a keyword all count.
 */
export function chooseToolOffline(message: string, tools: ToolSpec[]): ToolChoice {
  const text = normalizeText(message)
  const compact = text.replace(/ /g, '')
  let best: { tool: ToolSpec; hits: number; length: number } | undefined
  for (const tool of tools) {
    let hits = 0
    let length = 0
    for (const raw of tool.keywords ?? []) {
      const keyword = normalizeText(raw)
      if (!keyword) continue
      if (text.includes(keyword) || compact.includes(keyword.replace(/ /g, ''))) {
        hits++
        length += keyword.length
      }
    }
    if (hits > 0 && (!best || hits > best.hits || (hits === best.hits && length > best.length))) {
      best = { tool, hits, length }
    }
  }
  const tool = best?.tool ?? tools[0]
  if (!tool) throw new AppError('INTERNAL', 'No tools to choose from')
  return { tool: tool.name, arguments: offlineArguments(tool, message) }
}
