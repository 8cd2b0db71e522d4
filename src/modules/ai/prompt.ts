import type { ChatMessage, Grounding } from './types'

/**
 * The grounding as system-prompt text for a real model: numbered passages with their sources,
 * facts as lines, and the rules to cite `[n]` and to admit when nothing answers the question.
 * Undefined when there is no grounding at all, so plain conversations get no such rules.
 */
export function groundingPrompt(grounding: Grounding | undefined): string | undefined {
  if (!grounding) return undefined
  const passages = grounding.passages ?? []
  const facts = (grounding.facts ?? []).filter((f) => f.trim())
  const notice = grounding.emptyNotice?.trim()
  const parts: string[] = []

  if (passages.length === 0 && facts.length === 0) {
    parts.push(
      'No documents or data were found for this question. Do not make up an answer.',
      notice ? `Tell the user: "${notice}"` : 'Tell the user that you found no information to answer it.',
    )
    return parts.join('\n')
  }

  parts.push(
    'Answer using only the information below, in the language of the user\'s question.' +
      (passages.length > 0 ? ' Cite the passages you use as [n] right after the statement they support.' : ''),
    notice
      ? `If the information does not answer the question, say so, for example: "${notice}"`
      : 'If the information does not answer the question, say so plainly instead of guessing.',
  )
  if (passages.length > 0) {
    parts.push('', 'Passages:')
    for (const p of passages) parts.push(`[${p.index}] (source: ${p.source})`, p.content.trim(), '')
  }
  if (facts.length > 0) {
    parts.push(passages.length > 0 ? 'Facts:' : '\nFacts:', ...facts.map((f) => `- ${f.trim()}`))
  }
  return parts.join('\n').trimEnd()
}

/**
 * Everything that belongs in the system role: the request's `system`, the system turns of the
 * conversation, then the grounding. Undefined when all are empty.
 */
export function systemText(req: {
  system?: string
  messages: ChatMessage[]
  grounding?: Grounding
}): string | undefined {
  const parts = [
    req.system?.trim(),
    ...req.messages.filter((m) => m.role === 'system').map((m) => m.content.trim()),
    groundingPrompt(req.grounding),
  ].filter((p): p is string => Boolean(p))
  return parts.length > 0 ? parts.join('\n\n') : undefined
}

/** The user and assistant turns, in order; system turns live in `systemText`. */
export function conversationTurns(messages: ChatMessage[]): ChatMessage[] {
  return messages.filter((m) => m.role !== 'system')
}
