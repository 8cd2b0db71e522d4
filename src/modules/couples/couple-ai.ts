/**
 * The AI participant of a couples session. It answers when addressed, asks every N turns
 * whether to go on, suggests a topic when the partners go on, and sums the session up when
 * they stop. Answers and summaries come from the shared AI core, grounded in the session's
 * own conversation (each partner message a passage the answer may cite), so the offline
 * provider composes them from what was said and a network model cannot drift from it.
 * Questions and topic suggestions are fixed texts: the partners answer them with `네` or
 * `아니오`, so their wording must stay predictable.
 */
import type { Logger } from '../../platform/logger'
import type { ChatProvider, GroundingPassage } from '../ai/types'
import type { Message } from '../messaging/message-repo'
import type { CoupleSession } from './couple-repo'

/** What the AI participant needs: the shared chat provider. */
export interface CoupleAiDeps {
  chat: ChatProvider
  logger?: Logger
}

/** Notices the couples socket shows, in the clients' language. */
export const COUPLE_TEXTS = {
  connected: '채팅 세션에 연결되었습니다.',
  newSession: '새 채팅 세션이 시작되었습니다.',
} as const

/** Topics the AI suggests when the partners choose to go on, in turn. */
export const TOPIC_SUGGESTIONS = [
  '요즘 서로에게 가장 고마웠던 순간',
  '함께 가 보고 싶은 여행지',
  '이번 주말에 함께 하고 싶은 일',
  '처음 만났을 때 서로의 첫인상',
  '서로에게 바라는 작은 습관 하나',
  '앞으로 1년 동안 함께 이루고 싶은 목표',
  '요즘 각자 가장 신경 쓰이는 일',
  '함께 해 보고 싶은 새로운 취미',
] as const

const ADDRESS = /^\s*(?:@ai\b|ai야)[\s,.:!?]*/i
const CONTEXT_MESSAGES = 30

const ANSWER_SYSTEM =
  '너는 커플의 대화에 함께하는 AI 참여자야. 두 사람(A와 B)의 최근 대화를 참고해서, 어느 한쪽 편을 들지 말고 ' +
  '짧고 따뜻하게 한국어로 답해. 대화에 없는 사실은 지어내지 마.'
const SUMMARY_SYSTEM = '너는 커플의 대화를 정리해 주는 AI야. 두 사람(A와 B)이 나눈 대화를 두세 문장의 한국어로 요약해. 대화에 없는 내용은 쓰지 마.'
const SUMMARY_REQUEST = '지금까지 나눈 대화를 요약해 주세요.'
const NOTHING_SAID = '아직 나눈 대화가 없어서 참고할 내용이 없어요. 서로에게 궁금한 것을 먼저 이야기해 보세요.'

/** The question a message puts to the AI, or null when it does not address the AI (`@ai …`, `AI야 …`). */
export function addressedQuestion(content: string): string | null {
  const m = ADDRESS.exec(content)
  if (!m) return null
  const rest = content.slice(m[0].length).trim()
  return rest || content.trim()
}

const speakerLabel = (m: Message) => (m.speaker === 'A' || m.speaker === 'B' ? m.speaker : 'AI')

/**
 * The partners' messages to each other as numbered passages, each citing its speaker. Questions to the AI are left out: grounding an answer in its own question would
 * only echo it back.
 */
function passagesOf(conversation: Message[]): GroundingPassage[] {
  return conversation
    .filter((m) => (m.speaker === 'A' || m.speaker === 'B') && addressedQuestion(m.content) === null)
    .slice(-CONTEXT_MESSAGES)
    .map((m, i) => ({ index: i + 1, source: speakerLabel(m), content: m.content }))
}

const topicFacts = (session: CoupleSession): string[] => (session.topic ? [`대화 주제: ${session.topic}`] : [])

/** What a summary states besides the conversation: the topic and how much each partner said. */
function summaryFacts(conversation: Message[], session: CoupleSession): string[] {
  const facts = topicFacts(session)
  const a = conversation.filter((m) => m.speaker === 'A').length
  const b = conversation.filter((m) => m.speaker === 'B').length
  if (a + b > 0) facts.push(`주고받은 메시지: A ${a}개, B ${b}개`)
  return facts
}

/** The AI participant over `deps.chat`; every method is safe to call concurrently. */
export function createCoupleAi(deps: CoupleAiDeps) {
  return {
    /** The AI's answer to `question`, grounded in the session's recent conversation; throws the provider's TIMEOUT / UPSTREAM_FAILED. */
    async answer(question: string, conversation: Message[], session: CoupleSession): Promise<string> {
      const { text } = await deps.chat.complete({
        system: ANSWER_SYSTEM,
        messages: [{ role: 'user', content: question }],
        grounding: { passages: passagesOf(conversation), facts: topicFacts(session), emptyNotice: NOTHING_SAID, conversational: true },
        maxTokens: 400,
      })
      return text.trim() || NOTHING_SAID
    },

    /**
     * A short summary of the session. Closing must not depend on the AI being reachable, so
     * when the provider fails the summary is the plain count of what was said.
     */
    async summarise(conversation: Message[], session: CoupleSession): Promise<string> {
      const facts = summaryFacts(conversation, session)
      try {
        const { text } = await deps.chat.complete({
          system: SUMMARY_SYSTEM,
          messages: [{ role: 'user', content: SUMMARY_REQUEST }],
          grounding: { passages: passagesOf(conversation), facts, emptyNotice: '이번 세션에서는 나눈 대화가 없습니다.', conversational: true },
          maxTokens: 300,
        })
        if (text.trim()) return text.trim()
      } catch (error) {
        deps.logger?.warn('couples summary fell back to counts', { sessionId: session.id, error })
      }
      return facts.length > 0 ? `이번 세션 요약: ${facts.join(', ')}.` : '이번 세션에서는 나눈 대화가 없습니다.'
    },

    /** The every-N-turns question, answered with `네` (go on) or `아니오` (close the session). */
    question(session: CoupleSession): string {
      const about = session.topic ? `'${session.topic}'에 대해 ` : ''
      return `${about}지금까지 ${session.turnCount}번 이야기를 나누셨어요. 대화를 계속하시겠습니까? (네/아니오)`
    },

    /** The next topic to suggest for a session that goes on, never the one it has. */
    suggestTopic(session: CoupleSession): string {
      const start = session.id + session.turnCount
      for (let i = 0; i < TOPIC_SUGGESTIONS.length; i++) {
        const topic = TOPIC_SUGGESTIONS[(start + i) % TOPIC_SUGGESTIONS.length]!
        if (topic !== session.topic) return topic
      }
      return TOPIC_SUGGESTIONS[0]
    },

    /** What the AI says when the partners go on with `topic`. */
    continueNotice: (topic: string) => `좋아요, 대화를 이어가요! 이런 주제는 어떨까요? ${topic}`,
  }
}

/** The AI participant as services receive it. */
export type CoupleAi = ReturnType<typeof createCoupleAi>
