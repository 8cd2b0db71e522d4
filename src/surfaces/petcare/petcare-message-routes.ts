import { Elysia, t } from 'elysia'
import { sseResponse } from '../../modules/ai/sse-encoder'
import type { TurnEvent } from '../../modules/petcare/flow-types'
import { formatId, parseId } from '../../modules/petcare/petcare-ids'
import { isAppError } from '../../platform/errors'
import { authPlugin } from '../../platform/http/auth-plugin'
import type { PetcareRoutesDeps } from './petcare-routes'
import { messageView } from './petcare-views'

const STREAM_ERROR = '메시지 처리 중 오류 발생'

const MessageBody = t.Optional(
  t.Object(
    {
      userId: t.Optional(t.Unknown()),
      petnm: t.Optional(t.Unknown()),
      content: t.Optional(t.Unknown()),
      message: t.Optional(t.Unknown()),
    },
    { additionalProperties: true },
  ),
)
const MessageQuery = t.Object({ userId: t.Optional(t.String()), petnm: t.Optional(t.String()) })

/** A turn event in the seed's SSE shape (sections 3.1 and 8). */
export function seedEvent(e: TurnEvent): object {
  switch (e.type) {
    case 'start':
      return { type: 'start', chat_id: formatId('chat', e.chat.publicId) }
    case 'step':
      return { type: e.step, content: e.content }
    case 'recipe':
      return {
        type: 'new_recipe_message',
        recipe_id: formatId('recipe', e.recipe.publicId),
        title: e.recipe.title,
        calculation_result: e.recipe.calculationResult,
      }
    case 'end':
      return {
        type: 'end',
        chat_id: formatId('chat', e.chat.publicId),
        result: {
          messages: e.messages.map(messageView),
          next_step: e.nextStep,
          usage: { prompt_tokens: e.usage.promptTokens, completion_tokens: e.usage.completionTokens },
        },
      }
  }
}

const DESCRIPTION =
  'Body `{userId, petnm, content: {message}}` (or `message`); userId/petnm may be in the query. Without a token the userId names the user; with one the token wins. Answers text/event-stream: `start` (with chat_id), `tool_selection` ×2, then `recipe_flow`+`new_recipe_message`, `rag_flow` or `basic_flow` events, then `end` with every stored message, `next_step` and `usage`; failures as `{"type":"error","error","detail"}`. An empty message or an unknown pet is a plain 400 `{error}`.'

/** `POST /api/messages` (new chat) and `POST /api/chats/:chat_id/messages` as Server-Sent Events. */
export function petcareMessageRoutes(deps: PetcareRoutesDeps) {
  const { petcare, logger } = deps

  const streamError = (error: unknown) => {
    if (isAppError(error)) return { type: 'error', error: STREAM_ERROR, detail: error.message }
    logger.error('petcare stream failed', { error })
    return { type: 'error', error: STREAM_ERROR, detail: 'Internal server error' }
  }

  const handle = async (
    ctx: { principal?: { user: Parameters<typeof petcare.turns.begin>[0]['signedIn'] }; query: { userId?: string; petnm?: string }; body: unknown; request: Request },
    chatId: string | undefined,
  ) => {
    const body = (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>
    // Checks and the stored user message come before the stream opens, so bad input is a plain 400.
    const turn = await petcare.turns.begin(
      { signedIn: ctx.principal?.user, userId: ctx.query.userId ?? body.userId, petnm: ctx.query.petnm ?? body.petnm },
      chatId === undefined ? undefined : parseId('chat', chatId),
      body,
      chatId === undefined,
    )
    const signal = ctx.request.signal
    return sseResponse(petcare.turns.stream(turn, signal), { map: seedEvent, signal, onError: streamError })
  }

  return new Elysia({ name: 'petcare-message-routes', detail: { tags: ['petcare'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .post('/api/messages', (ctx) => handle(ctx, undefined), {
      optionalAuth: true,
      query: MessageQuery,
      body: MessageBody,
      detail: { summary: 'Start a chat with a message; the answer streams as SSE', description: DESCRIPTION },
    })
    .post('/api/chats/:chat_id/messages', (ctx) => handle(ctx, ctx.params.chat_id), {
      optionalAuth: true,
      query: MessageQuery,
      body: MessageBody,
      detail: { summary: 'Add a message to a chat of yours; the answer streams as SSE', description: DESCRIPTION },
    })
}
