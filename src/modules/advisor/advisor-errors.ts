/**
 * The advisor seed's error codes, in one table. Services throw AppError with one of these as
 * `publicCode`; the advisor surface renders `{error_code, message}` from it. Codes the seed
 * names keep its spelling; the others follow the same style.
 *
 * | error_code          | status | when                                                        |
 * |---------------------|--------|-------------------------------------------------------------|
 * | EMPTY_QUESTION      | 400    | send_message without a question, or only whitespace (seed)  |
 * | QUESTION_TOO_LONG   | 400    | a question over MAX_QUESTION_CHARS                          |
 * | EMPTY_MESSAGE       | 400    | a finance chat message that is missing or blank             |
 * | MESSAGE_TOO_LONG    | 400    | a finance chat message over MAX_QUESTION_CHARS              |
 * | INVALID_TRANSACTION | 400    | a transaction (or a row of a batch) that does not validate  |
 * | ROOM_NOT_FOUND      | 404    | unknown, malformed or someone else's session_id (seed)      |
 * | AI_RESPONSE_TIMEOUT | 504    | the AI provider stayed silent past AI_TIMEOUT_MS (seed)     |
 * | AI_SERVICE_ERROR    | 502    | the AI provider failed                                      |
 */
import { AppError, isAppError } from '../../platform/errors'

/** Longest question or finance message accepted, in characters. */
export const MAX_QUESTION_CHARS = 2000

/** The advisor's own error codes (see the table above). */
export type AdvisorErrorCode =
  | 'EMPTY_QUESTION'
  | 'QUESTION_TOO_LONG'
  | 'EMPTY_MESSAGE'
  | 'MESSAGE_TOO_LONG'
  | 'INVALID_TRANSACTION'
  | 'ROOM_NOT_FOUND'
  | 'AI_RESPONSE_TIMEOUT'
  | 'AI_SERVICE_ERROR'

/** 404 ROOM_NOT_FOUND: the same answer whether the session is malformed, unknown or not the caller's. */
export const roomNotFound = () => new AppError('NOT_FOUND', '채팅방을 찾을 수 없습니다.', { publicCode: 'ROOM_NOT_FOUND' })

const TEXT_RULES = {
  question: { empty: 'EMPTY_QUESTION', tooLong: 'QUESTION_TOO_LONG', emptyText: '질문을 입력해주세요.', noun: '질문' },
  message: { empty: 'EMPTY_MESSAGE', tooLong: 'MESSAGE_TOO_LONG', emptyText: '메시지를 입력해주세요.', noun: '메시지' },
} as const

/**
 * Checks a card-session question or a finance-chat message: a string with something besides
 * whitespace, at most MAX_QUESTION_CHARS long. Returns it trimmed; throws 400 with the
 * table's code otherwise (a missing or non-string value counts as empty).
 */
export function requireText(value: unknown, kind: keyof typeof TEXT_RULES): string {
  const rule = TEXT_RULES[kind]
  const text = typeof value === 'string' ? value.trim() : ''
  if (text === '') throw new AppError('BAD_REQUEST', rule.emptyText, { publicCode: rule.empty })
  if (text.length > MAX_QUESTION_CHARS) {
    throw new AppError('BAD_REQUEST', `${rule.noun}은 ${MAX_QUESTION_CHARS}자 이하로 입력해주세요.`, { publicCode: rule.tooLong })
  }
  return text
}

/**
 * Gives an AI failure the advisor's code: TIMEOUT becomes 504 AI_RESPONSE_TIMEOUT and an
 * upstream failure 502 AI_SERVICE_ERROR, keeping the original as `cause` (its details may
 * name the provider; the message shown to the client never does). Other errors pass through.
 */
export function asAdvisorAiError(error: unknown): unknown {
  if (!isAppError(error) || error.publicCode) return error
  if (error.code === 'TIMEOUT') {
    return new AppError('TIMEOUT', 'AI 응답이 지연되고 있습니다. 잠시 후 다시 시도해주세요.', { publicCode: 'AI_RESPONSE_TIMEOUT', cause: error })
  }
  if (error.code === 'UPSTREAM_FAILED') {
    return new AppError('UPSTREAM_FAILED', 'AI 서비스에 일시적인 문제가 있습니다. 잠시 후 다시 시도해주세요.', {
      publicCode: 'AI_SERVICE_ERROR',
      cause: error,
    })
  }
  return error
}
