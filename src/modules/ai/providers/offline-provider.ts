import { abortReason } from '../abort'
import { collectStream } from '../guarded-stream'
import { groundingPrompt } from '../prompt'
import { estimateTokens } from '../text-features'
import type { ChatChunk, ChatProvider, ChatRequest } from '../types'
import { composeOfflineAnswer, groundingAnswers, lastUserMessage } from './offline-answer'
import { chooseToolOffline } from './offline-intent'
import { yieldToEventLoop } from '../../../platform/event-loop'

const WORDS_PER_CHUNK = 3

/** Splits text into pieces of a few words each, keeping every character (spaces, line breaks). */
export function splitIntoPieces(text: string, wordsPerPiece = WORDS_PER_CHUNK): string[] {
  const tokens = text.match(/\s*\S+\s*/g) ?? (text ? [text] : [])
  const pieces: string[] = []
  for (let i = 0; i < tokens.length; i += wordsPerPiece) {
    pieces.push(tokens.slice(i, i + wordsPerPiece).join(''))
  }
  return pieces
}


function promptTokens(req: ChatRequest): number {
  const prompt = [req.system ?? '', groundingPrompt(req.grounding) ?? '', ...req.messages.map((m) => m.content)]
  return prompt.reduce((sum, part) => sum + estimateTokens(part), 0)
}

/**
 * The chat provider that needs no network: deterministic answers composed from the request's
 * grounding, streamed a few words at a time with a turn of the event loop between pieces (so
 * sockets and other streams keep moving), usage estimated from lengths. Honours `signal`
 * between pieces; it has no upstream to time out.
 */
export function createOfflineChat(): ChatProvider {
  async function* stream(req: ChatRequest): AsyncGenerator<ChatChunk> {
    if (req.signal?.aborted) throw abortReason(req.signal)
    const answer = composeOfflineAnswer(req.messages, req.grounding)
    for (const piece of splitIntoPieces(answer)) {
      await yieldToEventLoop()
      if (req.signal?.aborted) throw abortReason(req.signal)
      yield { type: 'text', text: piece }
    }
    yield { type: 'usage', promptTokens: promptTokens(req), completionTokens: estimateTokens(answer) }
  }

  return {
    name: 'offline',
    model: 'offline',
    stream,
    complete: (req) => collectStream(stream(req)),
    answers: groundingAnswers,
    async chooseTool(req) {
      if (req.signal?.aborted) throw abortReason(req.signal)
      return chooseToolOffline(lastUserMessage(req.messages), req.tools, req.signal)
    },
  }
}
