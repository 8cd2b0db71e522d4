import { badRequest } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import { routeMessage } from '../ai/tool-router'
import { estimateTokens } from '../ai/text-features'
import type { ChatMessage, ChatProvider, ChatUsage, Grounding, ToolSpec } from '../ai/types'
import type { User } from '../auth/user-repo'
import { parsePetInfo, type PetInfo } from '../nutrition/energy'
import type { Chat, ChatMessageRow, ChatRepo } from './chat-repo'
import { chatNotFound, messageTextOf, titleFrom, type PetcareAsk } from './chat-service'
import { tokenCount, type Flow, type FlowContext, type FlowName, type TurnEvent } from './flow-types'
import { basicFlow, createRagFlow, type KnowledgeSearch } from './knowledge-flows'
import type { PetcareAccess } from './petcare-access'
import type { Pet, PetRepo } from './pet-repo'
import { createRecipeFlow } from './recipe-flow'
import { PETCARE_ROUTING_EXAMPLES } from './routing-examples'
import { knowledgeEvidence } from './knowledge-flows'
import type { RecipeRepo } from './recipe-repo'

/** Earlier messages the model sees with a new one, for follow-ups. */
const CONTEXT_MESSAGES = 10

const SYSTEM_PROMPT = [
  '당신은 반려동물 영양 상담 도우미입니다. 보호자의 질문에 한국어로 친절하고 간결하게 답하세요.',
  '아래 정보에 있는 수치와 자료만 근거로 삼고, 계산된 값을 바꾸거나 새 수치를 지어내지 마세요.',
  '독성 식품이나 알레르기 식재료는 절대 권하지 말고 그 이유를 설명하세요.',
  '질병이 의심되면 수의사 상담을 권하세요.',
].join(' ')

/**
 * The tools a message is routed among; the first is the default when the choice fails. The
 * examples train the offline router; `rag`'s evidence (the knowledge base's confidence) is
 * added where the service is built.
 */
export const PETCARE_TOOLS: ToolSpec[] = [
  {
    name: 'basic',
    description: 'General conversation about the pet that needs neither a recipe nor a knowledge search.',
    keywords: ['안녕', '고마워', '감사', '반가워', 'hello', 'thanks', 'thank you'],
    examples: PETCARE_ROUTING_EXAMPLES.basic,
  },
  {
    name: 'recipe',
    description: 'Create a home-made meal recipe for the pet with ingredient amounts and a nutrient calculation.',
    parameters: { type: 'object', properties: { request: { type: 'string', description: 'What the recipe should contain' } }, required: ['request'] },
    keywords: ['레시피', '식단', '만들어', '요리', '식재료', '재료로', '화식', '수제', '급여량', 'recipe', 'meal plan', 'homemade', 'cook', 'ingredients'],
    examples: PETCARE_ROUTING_EXAMPLES.recipe,
  },
  {
    name: 'rag',
    description: 'Answer a pet-nutrition question from the knowledge base (toxic foods, nutrients, energy, allergies, life stages).',
    parameters: { type: 'object', properties: { search_query: { type: 'string', description: 'The search query' } }, required: ['search_query'] },
    keywords: [
      '왜', '위험', '독성', '먹어도', '괜찮', '영양소', '필요량', '타우린', '칼슘', '알레르기', '비만', '다이어트', '수분', '노령',
      'aafco', '얼마나', '중독', 'why', 'toxic', 'safe', 'nutrient', 'requirement', 'how much', 'taurine', 'allergy',
    ],
    examples: PETCARE_ROUTING_EXAMPLES.rag,
  },
]

/** A user message that is checked and stored, ready to be answered. */
export interface ChatTurn {
  caller: User
  pet: Pet
  info: PetInfo
  chat: Chat
  text: string
  history: ChatMessage[]
  userMessage: ChatMessageRow
}

/** The text of a stored user or assistant message, for the model's context. */
const textOfRow = (m: ChatMessageRow): string => {
  const payload = m.payload as { message?: unknown } | null
  return typeof payload?.message === 'string' ? payload.message : m.content
}

/**
 * Message creation (seed 3.1 and 8): `begin` checks the request and stores the user message
 * (bad input is a plain 400 before any stream opens); `stream` routes it to a flow and stores
 * every step as a message (tool, tool_result, recipe, rag, assistant) with its token count.
 */
export function createChatTurnService(deps: {
  chats: ChatRepo
  pets: PetRepo
  recipes: RecipeRepo
  access: PetcareAccess
  chat: ChatProvider
  knowledge: KnowledgeSearch
  logger: Logger
}) {
  // One tool list per service (so the offline router trains once for it), with the
  // knowledge base's confidence as the rag tool's evidence.
  const tools: ToolSpec[] = PETCARE_TOOLS.map((t) => (t.name === 'rag' ? { ...t, evidence: knowledgeEvidence(deps.knowledge) } : t))
  const flows: Record<FlowName, Flow> = {
    recipe: createRecipeFlow({ recipes: deps.recipes }),
    rag: createRagFlow({ knowledge: deps.knowledge }),
    basic: basicFlow,
  }

  /**
   * The model's whole answer. When the model fails, times out or the client leaves, what it
   * wrote so far is stored (status `partial` or `aborted`) before the error goes on.
   */
  async function answer(turn: ChatTurn, grounding: Grounding, save: FlowContext['save'], signal?: AbortSignal): Promise<{ text: string; usage: ChatUsage }> {
    const messages: ChatMessage[] = [...turn.history, { role: 'user', content: turn.text }]
    const promptTokens = () => messages.reduce((n, m) => n + estimateTokens(m.content), 0)
    let text = ''
    let usage: ChatUsage | undefined
    try {
      for await (const chunk of deps.chat.stream({ system: SYSTEM_PROMPT, messages, grounding, signal })) {
        if (chunk.type === 'text') text += chunk.text
        else usage = { promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens }
      }
    } catch (error) {
      if (text !== '') {
        const status = signal?.aborted ? 'aborted' : 'partial'
        await save('assistant', { message: text, status }, tokenCount(promptTokens(), estimateTokens(text))).catch((saveError: unknown) =>
          deps.logger.error('petcare: storing a partial answer failed', { chatId: turn.chat.id, error: saveError }),
        )
      }
      throw error
    }
    return { text, usage: usage ?? { promptTokens: promptTokens(), completionTokens: estimateTokens(text) } }
  }

  return {
    /**
     * Checks a message request and stores the user message. A new chat (no `chatUuid`) is
     * created for the named pet and titled from the message. Throws 400 for an empty message
     * or a pet the caller does not have, 404 for a chat that is not the caller's.
     */
    async begin(ask: PetcareAsk, chatUuid: string | undefined, body: { content?: unknown; message?: unknown }, isNew: boolean): Promise<ChatTurn> {
      const caller = await deps.access.caller(ask.signedIn, ask.userId)
      let chat: Chat | undefined
      let pet: Pet | undefined
      if (!isNew) {
        const found = chatUuid ? await deps.chats.findByPublicId(chatUuid) : undefined
        if (!found || found.chat.createdBy !== caller.id) throw chatNotFound()
        chat = found.chat
        if (ask.petnm === undefined || ask.petnm === null || ask.petnm === '') {
          pet = found.chat.petId ? await deps.pets.findById(found.chat.petId) : undefined
          if (!pet) throw badRequest('petnm is required')
        }
      }
      pet ??= await deps.access.pet(caller, ask.petnm, 'bad_request')
      const text = messageTextOf(body)
      const info = parsePetInfo(pet.info)
      const earlier = chat ? await deps.chats.messages(chat.id) : []
      chat ??= await deps.chats.create({ ownerId: caller.id, petId: pet.id, title: titleFrom(text) })
      const history = earlier
        .filter((m) => m.role === 'user' || m.role === 'assistant')
        .slice(-CONTEXT_MESSAGES)
        .map((m) => ({ role: m.role as 'user' | 'assistant', content: textOfRow(m) }))
      const [userMessage] = await deps.chats.addMessages([
        { roomId: chat.id, senderId: caller.id, role: 'user', content: text, payload: { message: text }, tokenCount: tokenCount(estimateTokens(text), 0) },
      ])
      return { caller, pet, info, chat, text, history, userMessage: userMessage! }
    },

    /**
     * Answers a stored message. Guarantees: `start` first; the tool choice; one flow's steps;
     * `end` last with every message the turn stored (the user message first). A model failure
     * or timeout is thrown after what was stored so far stays stored; an abort of `signal`
     * (the client left) cancels the model call.
     */
    async *stream(turn: ChatTurn, signal?: AbortSignal): AsyncGenerator<TurnEvent> {
      const stored: ChatMessageRow[] = [turn.userMessage]
      yield { type: 'start', chat: turn.chat }
      yield { type: 'step', step: 'tool_selection', content: '도구를 선택 중입니다...' }
      const routed = await routeMessage({
        chat: deps.chat,
        tools,
        messages: [...turn.history, { role: 'user', content: turn.text }],
        signal,
      })
      const flowName = routed.tool as FlowName
      const save = async (role: string, content: Record<string, unknown>, count: ReturnType<typeof tokenCount>) => {
        const [row] = await deps.chats.addMessages([
          { roomId: turn.chat.id, senderId: null, role, content: typeof content.message === 'string' ? content.message : '', payload: content, tokenCount: count },
        ])
        stored.push(row!)
        return row!
      }
      await save('tool', { tool: flowName, arguments: routed.arguments, fallback: routed.fallback }, tokenCount(0, 0))
      yield { type: 'step', step: 'tool_selection', content: { role: 'assistant', content: flowName } }

      const ctx: FlowContext = {
        caller: turn.caller,
        pet: turn.pet,
        info: turn.info,
        chat: turn.chat,
        text: turn.text,
        history: turn.history,
        arguments: routed.arguments,
        signal,
        save,
        answer: (grounding) => answer(turn, grounding, save, signal),
      }
      const usage = yield* flows[flowName](ctx)
      yield { type: 'end', chat: turn.chat, messages: stored, nextStep: flowName, usage }
    },
  }
}

/** The message-turn service as built by createChatTurnService. */
export type ChatTurnService = ReturnType<typeof createChatTurnService>
