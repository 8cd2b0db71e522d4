/**
 * The two answer flows besides recipes: `rag` searches the pet-nutrition knowledge base and
 * answers from the passages it found (citing them); `basic` answers from the pet's profile.
 */
import { petFacts, tokenCount, type Flow, type FlowContext } from './flow-types'

/** One retrieved passage as `search_result` lists it. */
export interface KnowledgeHit {
  source: string
  title: string
  content: string
  score: number
}

/** Searches the knowledge base; results best first, at most `limit`. */
export interface KnowledgeSearch {
  search(query: string, limit: number, signal?: AbortSignal): Promise<KnowledgeHit[]>
}

const PASSAGES = 4
const EMPTY_NOTICE = '관련 자료를 찾지 못했습니다. 질문을 조금 더 구체적으로 해 주시면 다시 찾아보겠습니다.'

/**
 * The router's evidence for the rag flow: the best knowledge hit's score (0..1) for the
 * message, so a question the knowledge base covers leans to rag and small talk does not.
 */
export function knowledgeEvidence(knowledge: KnowledgeSearch): (message: string, signal?: AbortSignal) => Promise<number> {
  return async (message, signal) => (await knowledge.search(message, 1, signal))[0]?.score ?? 0
}

/** The search query the router gave (`query`/`search_query`), else the message itself. */
function searchQueryOf(ctx: FlowContext): string {
  for (const key of ['search_query', 'query']) {
    const v = ctx.arguments[key]
    if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 500)
  }
  return ctx.text
}

/** The rag flow over a knowledge search. */
export function createRagFlow(deps: { knowledge: KnowledgeSearch }): Flow {
  return async function* ragFlow(ctx: FlowContext) {
    yield { type: 'step', step: 'rag_flow', content: '관련 정보를 검색 중...' }
    const searchQuery = searchQueryOf(ctx)
    const hits = await deps.knowledge.search(searchQuery, PASSAGES, ctx.signal)
    const found = { search_query: searchQuery, search_result: hits }
    await ctx.save('rag', found, tokenCount(0, 0))
    yield { type: 'step', step: 'rag_flow', content: found }
    const answer = await ctx.answer({
      passages: hits.map((h, i) => ({ index: i + 1, source: h.title, content: h.content })),
      facts: petFacts(ctx.pet, ctx.info),
      emptyNotice: EMPTY_NOTICE,
    })
    const sources = hits.map((h, i) => ({ index: i + 1, source: h.source, title: h.title }))
    await ctx.save('assistant', { message: answer.text, sources }, tokenCount(answer.usage.promptTokens, answer.usage.completionTokens))
    yield { type: 'step', step: 'rag_flow', content: { role: 'assistant', content: answer.text } }
    return answer.usage
  }
}

/** The basic flow: a conversational answer grounded in the pet's profile. */
export const basicFlow: Flow = async function* basicFlow(ctx: FlowContext) {
  yield { type: 'step', step: 'basic_flow', content: '답변 생성 중...' }
  const answer = await ctx.answer({ facts: petFacts(ctx.pet, ctx.info) })
  await ctx.save('assistant', { message: answer.text }, tokenCount(answer.usage.promptTokens, answer.usage.completionTokens))
  yield { type: 'step', step: 'basic_flow', content: { role: 'assistant', content: answer.text } }
  return answer.usage
}
