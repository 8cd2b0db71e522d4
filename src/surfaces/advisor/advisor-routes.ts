import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import { MAX_QUESTION_CHARS, roomNotFound } from '../../modules/advisor/advisor-errors'
import type { CardSessionService } from '../../modules/advisor/card-session-service'
import type { FinanceChatService, FinanceStreamEvent } from '../../modules/advisor/finance-chat-service'
import { sseResponse } from '../../modules/ai/sse-encoder'
import { isAppError } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import { authPlugin } from '../../platform/http/auth-plugin'
import { advisorErrorCode } from './advisor-error-shape'
import { CardSchema, ChatItemSchema, cardView, chatItem, kstTimestamp, messageIdOf, roomIdOf, sessionIdOf } from './advisor-views'

const ErrorBody = t.Object({ error_code: t.String(), message: t.String() })
const TextField = (description: string) => t.Optional(t.Nullable(t.String({ description })))

/** What the advisor chat routes call. */
export interface AdvisorRoutesDeps {
  auth: AuthService
  cookieName: string
  cardSessions: CardSessionService
  financeChat: FinanceChatService
  logger: Logger
}

/**
 * Seed 000's chat API: card-recommendation sessions (`make_room`, `send_message`) and the
 * direct finance chat (`GET`/`POST /api/v1/chat/`, plus its SSE variant `POST …/stream/`).
 */
export function advisorRoutes(deps: AdvisorRoutesDeps) {
  const { cardSessions, financeChat, logger } = deps

  /** The `{type:"error"}` event a stream ends with; unexpected errors are logged and shown generically. */
  const streamError = (error: unknown) => {
    if (isAppError(error)) return { type: 'error', error_code: advisorErrorCode(error), message: error.message }
    logger.error('advisor stream failed', { error })
    return { type: 'error', error_code: 'INTERNAL_ERROR', message: 'Internal server error' }
  }

  return new Elysia({ name: 'advisor-routes', detail: { tags: ['advisor'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .post(
      '/api/v1/chat/make_room',
      async ({ principal, set }) => {
        const room = await cardSessions.open(principal.user)
        set.status = 201
        return {
          type: 'CONNECTION_ESTABLISHED' as const,
          session_id: sessionIdOf(room.id),
          message: '챗봇과의 연결이 성공했습니다.',
          user_id: principal.user.id,
          timestamp: kstTimestamp(room.createdAt),
        }
      },
      {
        auth: true,
        response: {
          201: t.Object({ type: t.Literal('CONNECTION_ESTABLISHED'), session_id: t.String(), message: t.String(), user_id: t.Number(), timestamp: t.String() }),
        },
        detail: { summary: 'Open a card-recommendation session (no body)' },
      },
    )
    .post(
      '/api/v1/chat/send_message',
      async ({ principal, body, request }) => {
        const roomId = roomIdOf(body.session_id)
        if (roomId === undefined) throw roomNotFound()
        const answer = await cardSessions.ask(principal.user, roomId, body.question, request.signal)
        return {
          type: 'CARD_INFO' as const,
          message_id: messageIdOf(answer.message),
          session_id: sessionIdOf(roomId),
          user_id: principal.user.id,
          timestamp: kstTimestamp(answer.message.createdAt),
          message: answer.comment,
          data: { cards: answer.cards.map(cardView) },
        }
      },
      {
        auth: true,
        body: t.Object({
          question: TextField(`The question, 1–${MAX_QUESTION_CHARS} characters; missing or blank → 400 EMPTY_QUESTION`),
          session_id: TextField('`sess-{n}` from make_room; unknown or not yours → 404 ROOM_NOT_FOUND'),
        }),
        response: {
          200: t.Object({
            type: t.Literal('CARD_INFO'),
            message_id: t.String(),
            session_id: t.String(),
            user_id: t.Number(),
            timestamp: t.String(),
            message: t.String({ description: "The AI's short comment on the recommendation" }),
            data: t.Object({ cards: t.Array(CardSchema) }),
          }),
          400: ErrorBody,
          404: ErrorBody,
          504: ErrorBody,
        },
        detail: { summary: 'Ask a session for card recommendations' },
      },
    )
    .get(
      '/api/v1/chat',
      async ({ principal }) => {
        const list = await financeChat.history(principal.user)
        return list.map((m) => chatItem(principal.user.id, m))
      },
      {
        auth: true,
        response: { 200: t.Array(ChatItemSchema) },
        detail: { summary: 'Your finance chat, oldest first' },
      },
    )
    .post(
      '/api/v1/chat',
      async ({ principal, body, request }) => {
        const turn = await financeChat.begin(principal.user, body.message)
        const { userMessage, aiMessage } = await financeChat.reply(turn, request.signal)
        return { user_message: chatItem(principal.user.id, userMessage), ai_message: chatItem(principal.user.id, aiMessage) }
      },
      {
        auth: true,
        body: t.Object({ message: TextField(`Your question, 1–${MAX_QUESTION_CHARS} characters; missing or blank → 400 EMPTY_MESSAGE`) }),
        response: { 200: t.Object({ user_message: ChatItemSchema, ai_message: ChatItemSchema }), 400: ErrorBody, 504: ErrorBody },
        detail: { summary: 'Ask the finance advisor about your spending' },
      },
    )
    .post(
      '/api/v1/chat/stream',
      async ({ principal, body, request }) => {
        // Checking and storing the question happen before the stream opens, so a bad request
        // still gets a plain JSON error with its status.
        const turn = await financeChat.begin(principal.user, body.message)
        const ownerId = principal.user.id
        const wireEvent = (e: FinanceStreamEvent) =>
          e.type === 'delta'
            ? { type: 'delta', content: e.text }
            : e.type === 'start'
              ? { type: 'start', user_message: chatItem(ownerId, e.userMessage) }
              : { type: 'end', user_message: chatItem(ownerId, e.userMessage), ai_message: chatItem(ownerId, e.aiMessage) }
        return sseResponse(financeChat.stream(turn, request.signal), { map: wireEvent, signal: request.signal, onError: streamError })
      },
      {
        auth: true,
        body: t.Object({ message: TextField(`Your question, 1–${MAX_QUESTION_CHARS} characters`) }),
        detail: {
          summary: 'The finance chat answer as Server-Sent Events',
          description:
            'text/event-stream of `data: {json}` events: `{"type":"start","user_message"}`, `{"type":"delta","content"}`…, then `{"type":"end","user_message","ai_message"}` or `{"type":"error","error_code","message"}`. Closing the connection cancels the model call; what was streamed is stored.',
        },
      },
    )
}
