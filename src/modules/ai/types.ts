/**
 * The one contract every AI provider meets, so flows and surfaces never know which model
 * answers: streamed chat, a tool choice, and embeddings of a fixed dimension.
 */

/** One turn of a conversation as the model sees it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** A retrieved passage the answer may cite as `[index]`. */
export interface GroundingPassage {
  index: number
  source: string
  content: string
  /**
   * How well retrieval matched it, within 0..1 (cosine similarity, or the keyword leg's term
   * coverage for a keyword-only hit). The offline answerer weighs it as evidence; models ignore it.
   */
  similarity?: number
}

/**
 * What a flow hands the model: passages to cite, facts to state. The network providers put it
 * into the system prompt; the offline provider composes its answer from exactly this.
 */
export interface Grounding {
  passages?: GroundingPassage[]
  /** Figures, matched cards with the benefits that matched, etc., one statement each. */
  facts?: string[]
  /** What to tell the user when nothing grounds the answer. */
  emptyNotice?: string
  /**
   * The passages are turns of a conversation rather than documents: the offline provider then
   * gathers every turn that bears on the request (a summary, "what should we do?") instead of
   * extracting one answer, and never abstains.
   */
  conversational?: boolean
}

/** One streamed chat call. `timeoutMs` bounds the wait for the first chunk and every stall between chunks. */
export interface ChatRequest {
  messages: ChatMessage[]
  grounding?: Grounding
  system?: string
  signal?: AbortSignal
  timeoutMs?: number
  maxTokens?: number
  temperature?: number
}

/** Token counts of one call; estimated (about four characters a token) where the upstream reports none. */
export interface ChatUsage {
  promptTokens: number
  completionTokens: number
}

/** A piece of a streamed answer: text deltas in order, then exactly one usage chunk last. */
export type ChatChunk = { type: 'text'; text: string } | ({ type: 'usage' } & ChatUsage)

/** A tool the model may pick; `keywords` drive the offline provider's intent rules (Korean and English). */
export interface ToolSpec {
  name: string
  description: string
  /** JSON schema of the arguments. */
  parameters?: Record<string, unknown>
  keywords?: string[]
  /** Labelled messages this tool answers (Korean and English): the offline intent model's training set. */
  examples?: string[]
  /**
   * How well this tool's own data covers a message, within 0..1 (e.g. a knowledge search's
   * best score); the offline router adds it to the intent model's score. Never sent to a model.
   */
  evidence?: (message: string, signal?: AbortSignal) => Promise<number>
}

/** The model's pick among tools. */
export interface ToolChoice {
  tool: string
  arguments: Record<string, unknown>
}

/** One tool-choice call; `timeoutMs` bounds the whole call. */
export interface ToolChoiceRequest {
  messages: ChatMessage[]
  tools: ToolSpec[]
  system?: string
  signal?: AbortSignal
  timeoutMs?: number
}

/** Name of a chat backend as configured by `AI_PROVIDER`. */
export type ProviderName = 'openai' | 'gemini' | 'offline'

/**
 * Streamed chat. `stream` throws AppError TIMEOUT when the upstream is silent for longer than
 * the timeout (before the first chunk or between chunks) and AppError UPSTREAM_FAILED on
 * upstream errors, both with `details.partialText` holding the text streamed so far. When
 * `req.signal` aborts, or the consumer stops iterating, the upstream HTTP request is aborted
 * and iteration ends with the signal's reason.
 */
export interface ChatProvider {
  readonly name: ProviderName
  readonly model: string
  stream(req: ChatRequest): AsyncIterable<ChatChunk>
  /** The whole answer of `stream`, with the same errors. */
  complete(req: ChatRequest): Promise<{ text: string; usage: ChatUsage }>
  /** The model's pick as it named it (possibly unknown); the tool router validates it and falls back. */
  chooseTool(req: ToolChoiceRequest): Promise<ToolChoice>
  /**
   * Whether the grounding answers the conversation's last question, decided before the answer
   * streams, for a provider that abstains by rule (offline); a surface then sends no sources.
   * Absent where a model decides this in its own words.
   */
  answers?(messages: ChatMessage[], grounding: Grounding): boolean
}

/** Turns texts into unit-length vectors of exactly `dim` numbers, one per text, in order. */
export interface Embedder {
  readonly name: string
  readonly model: string
  readonly dim: number
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>
}
