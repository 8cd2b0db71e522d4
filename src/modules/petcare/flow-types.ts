import type { User } from '../auth/user-repo'
import type { ChatMessage, ChatUsage, Grounding } from '../ai/types'
import type { PetInfo } from '../nutrition/energy'
import { energyRequirement } from '../nutrition/energy'
import type { Chat, ChatMessageRow } from './chat-repo'
import type { Pet } from './pet-repo'
import type { Recipe } from './recipe-repo'

/** The flows a message can take, named as the tool router names them. */
export type FlowName = 'recipe' | 'rag' | 'basic'

/** The stream event types of the seed that carry a step's progress. */
export type StepType = 'tool_selection' | 'recipe_flow' | 'rag_flow' | 'basic_flow'

/**
 * What a message turn emits, in order: `start`; `step` events (progress text, then structured
 * content); `recipe` once a recipe is stored; `end` with every message the turn stored.
 */
export type TurnEvent =
  | { type: 'start'; chat: Chat }
  | { type: 'step'; step: StepType; content: unknown }
  | { type: 'recipe'; recipe: Recipe }
  | { type: 'end'; chat: Chat; messages: ChatMessageRow[]; nextStep: FlowName; usage: ChatUsage }

/** Token counts as stored on a message (`token_count`). */
export interface TokenCount {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** A token count whose total is the sum of its parts. */
export const tokenCount = (prompt: number, completion: number): TokenCount => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
})

/** Everything a flow needs for one message; `save` stores a message of the turn and `answer` asks the model. */
export interface FlowContext {
  caller: User
  pet: Pet
  info: PetInfo
  chat: Chat
  text: string
  /** Earlier user/assistant turns of the chat, oldest first, without the current message. */
  history: ChatMessage[]
  /** The arguments the tool router gave the chosen tool. */
  arguments: Record<string, unknown>
  signal?: AbortSignal
  save(role: string, content: Record<string, unknown>, count: TokenCount): Promise<ChatMessageRow>
  answer(grounding: Grounding): Promise<{ text: string; usage: ChatUsage }>
}

/** A flow: step events while it runs, its model usage when it returns. */
export type Flow = (ctx: FlowContext) => AsyncGenerator<TurnEvent, ChatUsage>

const SPECIES_KO = { dog: '개', cat: '고양이' } as const
const ACTIVITY_KO = { low: '적음', normal: '보통', high: '많음' } as const

/** The pet's profile and daily energy as fact lines every flow grounds its answer in. */
export function petFacts(pet: Pet, info: PetInfo): string[] {
  const energy = energyRequirement(info)
  return [
    `반려동물 ${pet.name}: ${SPECIES_KO[info.species]}, ${info.age}살, ${info.weight_kg} kg, ${info.neutered ? '중성화함' : '중성화 안 함'}, 활동량 ${ACTIVITY_KO[info.activity]}`,
    `알레르기: ${info.allergies.length > 0 ? info.allergies.join(', ') : '등록된 알레르기 없음'}`,
    `하루 권장 에너지(MER) 약 ${Math.round(energy.mer_kcal)} kcal — RER ${Math.round(energy.rer_kcal)} kcal × ${energy.factor} (${energy.factor_basis})`,
  ]
}
