import { AppError } from '../../platform/errors'
import { abortReason } from './abort'
import type { ChatMessage, ChatProvider, ToolChoice, ToolSpec } from './types'

/** The routed tool, and whether it is the default taken because the model's choice was unusable. */
export interface RoutedTool extends ToolChoice {
  fallback: boolean
  /** Why the default was taken: the failure itself, or the unknown name the model gave. */
  error?: unknown
}

/**
 * Asks the model which tool answers the conversation. Always names one of `tools`: when the
 * model names an unknown tool, or the choice fails (upstream error, timeout), the first tool
 * is the default, so a flaky model degrades to the plain flow instead of failing the message.
 * An abort of `signal` is the caller leaving, not a failure: it is rethrown, never routed.
 */
export async function routeMessage(input: {
  chat: ChatProvider
  tools: ToolSpec[]
  messages: ChatMessage[]
  system?: string
  signal?: AbortSignal
  timeoutMs?: number
}): Promise<RoutedTool> {
  const fallbackTool = input.tools[0]
  if (!fallbackTool) throw new AppError('INTERNAL', 'No tools to route to')
  const fallback: RoutedTool = { tool: fallbackTool.name, arguments: {}, fallback: true }
  try {
    const choice = await input.chat.chooseTool({
      messages: input.messages,
      tools: input.tools,
      system: input.system,
      signal: input.signal,
      timeoutMs: input.timeoutMs,
    })
    if (!input.tools.some((t) => t.name === choice.tool)) {
      return { ...fallback, error: new Error(`The model chose an unknown tool: ${choice.tool}`) }
    }
    return { tool: choice.tool, arguments: choice.arguments, fallback: false }
  } catch (error) {
    if (input.signal?.aborted) throw abortReason(input.signal)
    return { ...fallback, error }
  }
}
