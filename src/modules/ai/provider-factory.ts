import { AppError } from '../../platform/errors'
import { createOfflineEmbedder } from './providers/offline-embedder'
import { createOfflineChat } from './providers/offline-provider'
import type { ChatProvider, Embedder, ProviderName } from './types'

/** Settings of one network provider; models fall back to each provider's defaults. */
export interface NetworkProviderConfig {
  apiKey?: string
  baseURL?: string
  model?: string
  embeddingModel?: string
}

/** Everything the AI core needs from the environment. */
export interface AiConfig {
  /** `AI_PROVIDER`; unset means the default rule of `chooseProvider`. */
  provider?: ProviderName
  openai: NetworkProviderConfig & { maxRetries?: number }
  gemini: NetworkProviderConfig & { apiVersion?: string }
  /** `EMBEDDING_DIM`: the size of every vector any embedder returns. */
  embeddingDim: number
  /** Upstream silence allowed before a call ends in TIMEOUT (first byte, stalls, embeddings). */
  timeoutMs: number
  /** Texts per embedding request; 100 unless given (Gemini never takes more). */
  embeddingBatchSize?: number
}

/** The chat provider and the embedder the whole server shares. */
export interface Ai {
  chat: ChatProvider
  embedder: Embedder
}

/** SPEC's rule: the explicit choice, else openai with an OpenAI key, else gemini with a Gemini key, else offline. */
export function chooseProvider(config: Pick<AiConfig, 'provider' | 'openai' | 'gemini'>): ProviderName {
  if (config.provider) return config.provider
  if (config.openai.apiKey) return 'openai'
  if (config.gemini.apiKey) return 'gemini'
  return 'offline'
}

/**
 * Builds the chat provider and embedder from the configuration, one SDK client per provider
 * shared by both. A network provider chosen explicitly needs a key or a base URL (a local
 * OpenAI-compatible server may need no key); without either, this throws at start rather
 * than failing on the first question. Only the chosen provider's SDK is loaded: the OpenAI
 * and Gemini SDKs together hold ~13 MB that a server on another provider never uses.
 */
export async function createAi(config: AiConfig): Promise<Ai> {
  const name = chooseProvider(config)
  const dim = config.embeddingDim
  const timeoutMs = config.timeoutMs
  const batchSize = config.embeddingBatchSize

  if (name === 'openai') {
    const { apiKey, baseURL, model, embeddingModel, maxRetries } = config.openai
    if (!apiKey && !baseURL) {
      throw new AppError('INTERNAL', 'AI_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL')
    }
    const { createOpenAiChat, createOpenAiClient, createOpenAiEmbedder } = await import('./providers/openai-provider')
    const client = createOpenAiClient({ apiKey, baseURL, maxRetries })
    return {
      chat: createOpenAiChat({ client, model, timeoutMs }),
      embedder: createOpenAiEmbedder({ client, model: embeddingModel, dim, timeoutMs, batchSize }),
    }
  }
  if (name === 'gemini') {
    const { apiKey, baseURL, model, embeddingModel, apiVersion } = config.gemini
    if (!apiKey && !baseURL) {
      throw new AppError('INTERNAL', 'AI_PROVIDER=gemini needs GEMINI_API_KEY')
    }
    const { createGeminiChat, createGeminiClient, createGeminiEmbedder } = await import('./providers/gemini-provider')
    const client = createGeminiClient({ apiKey, baseURL, apiVersion })
    return {
      chat: createGeminiChat({ client, model, timeoutMs }),
      embedder: createGeminiEmbedder({ client, model: embeddingModel, dim, timeoutMs, batchSize }),
    }
  }
  return { chat: createOfflineChat(), embedder: createOfflineEmbedder({ dim }) }
}
