import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { frameExceeds, parseCouplesFrame, parseMessengerFrame } from './client-frames'

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected the frame to be refused')
}

describe('parseMessengerFrame', () => {
  test('a seed 003 message frame, with message_type defaulting to text', () => {
    expect(parseMessengerFrame('{"type":"message","content":"안녕하세요!","message_type":"text"}')).toEqual({
      type: 'message',
      content: '안녕하세요!',
      message_type: 'text',
      reply_to_message_id: null,
    })
    expect(parseMessengerFrame('{"type":"message","content":"hi"}')).toMatchObject({ message_type: 'text' })
  })

  test('a reply with a client_msg_id, from bytes', () => {
    const bytes = new TextEncoder().encode('{"type":"message","content":"re","reply_to_message_id":7,"client_msg_id":"c-1"}')
    expect(parseMessengerFrame(bytes)).toEqual({
      type: 'message',
      content: 're',
      message_type: 'text',
      reply_to_message_id: 7,
      client_msg_id: 'c-1',
    })
  })

  test('an object Elysia already parsed is used as is; other parsed values are refused', () => {
    expect(parseMessengerFrame({ type: 'typing', is_typing: false })).toEqual({ type: 'typing', is_typing: false })
    expect(parseMessengerFrame({ type: 'message', content: 'hi', client_msg_id: 'c-2' })).toMatchObject({ client_msg_id: 'c-2' })
    for (const value of [42, true, null, [1, 2]]) expect(refusal(() => parseMessengerFrame(value)).message).toContain('JSON object')
  })

  test('typing and message_read frames', () => {
    expect(parseMessengerFrame('{"type":"typing","is_typing":true}')).toEqual({ type: 'typing', is_typing: true })
    expect(parseMessengerFrame('{"type":"message_read"}')).toEqual({ type: 'message_read' })
  })

  test('bad frames are refused as BAD_REQUEST with a detail that names the problem', () => {
    const cases: Array<[string, string]> = [
      ['not json', 'valid JSON'],
      ['[1,2]', 'JSON object'],
      ['{"content":"x"}', 'type is required'],
      ['{"type":"shout"}', 'unknown frame type'],
      ['{"type":"message"}', 'content must be a string'],
      ['{"type":"message","content":"   "}', 'must not be empty'],
      ['{"type":"message","content":"x","message_type":"video"}', 'message_type'],
      ['{"type":"message","content":"x","reply_to_message_id":-1}', 'reply_to_message_id'],
      ['{"type":"message","content":"x","client_msg_id":5}', 'client_msg_id'],
      ['{"type":"typing","is_typing":"yes"}', 'is_typing'],
      [JSON.stringify({ type: 'message', content: 'x'.repeat(10_001) }), 'at most'],
    ]
    for (const [raw, detail] of cases) {
      const err = refusal(() => parseMessengerFrame(raw))
      expect(err.code).toBe('BAD_REQUEST')
      expect(err.message).toContain(detail)
    }
  })
})

describe('parseCouplesFrame', () => {
  test('a bare {content} is a message, as seed 001 clients send it', () => {
    expect(parseCouplesFrame('{"content":"안녕하세요, 오늘 날씨 좋네요!"}')).toEqual({
      type: 'message',
      content: '안녕하세요, 오늘 날씨 좋네요!',
    })
    expect(parseCouplesFrame('{"type":"message","content":"hi"}')).toEqual({ type: 'message', content: 'hi' })
  })

  test('a response carries its session id, given as a number or a digit string', () => {
    expect(parseCouplesFrame('{"type":"response","content":"네","session_id":3}')).toEqual({
      type: 'response',
      content: '네',
      session_id: 3,
    })
    expect(parseCouplesFrame('{"type":"response","content":"아니오","session_id":"12"}')).toMatchObject({ session_id: 12 })
    expect(parseCouplesFrame('{"type":"response","content":"네"}')).toEqual({ type: 'response', content: '네' })
  })

  test('a message may carry a client_msg_id; a parsed object is accepted', () => {
    expect(parseCouplesFrame({ content: '안녕', client_msg_id: 'm-1' })).toEqual({ type: 'message', content: '안녕', client_msg_id: 'm-1' })
    expect(parseCouplesFrame({ type: 'response', content: '네', session_id: 4 })).toEqual({ type: 'response', content: '네', session_id: 4 })
    expect(refusal(() => parseCouplesFrame({ content: 'x', client_msg_id: '' })).message).toContain('client_msg_id')
  })

  test('bad frames are refused', () => {
    expect(refusal(() => parseCouplesFrame('{"type":"response","content":"네","session_id":"x"}')).message).toContain(
      'session_id',
    )
    expect(refusal(() => parseCouplesFrame('{"type":"dance","content":"x"}')).code).toBe('BAD_REQUEST')
    expect(refusal(() => parseCouplesFrame('{"content":""}')).message).toContain('empty')
    expect(refusal(() => parseCouplesFrame('{"type":"response","content":"네","session_id":"007"}')).message).toContain('session_id')
  })

  test('text the database cannot store is refused before it is stored, on both sockets', () => {
    for (const parse of [parseCouplesFrame, parseMessengerFrame]) {
      expect(refusal(() => parse({ type: 'message', content: 'a\u0000b' })).message).toBe('content must not contain NUL characters')
      expect(refusal(() => parse({ type: 'message', content: 'x\uD800' })).message).toBe('content must not contain unpaired UTF-16 surrogates')
      expect(refusal(() => parse('{"type":"message","content":"ok","client_msg_id":"\\udc00"}')).message).toContain('client_msg_id')
    }
  })
})

describe('frameExceeds', () => {
  test('text and bytes are measured in UTF-8 bytes, exactly', () => {
    expect(frameExceeds('x'.repeat(100), 100)).toBe(false)
    expect(frameExceeds('x'.repeat(101), 100)).toBe(true)
    // 34 Hangul syllables are 102 bytes although only 34 characters.
    expect(frameExceeds('가'.repeat(34), 100)).toBe(true)
    expect(frameExceeds('가'.repeat(33), 100)).toBe(false)
    expect(frameExceeds(new Uint8Array(101), 100)).toBe(true)
  })

  test('a parsed frame counts the bytes of its keys and values, however deeply nested', () => {
    expect(frameExceeds({ type: 'message', content: 'x'.repeat(80) }, 100)).toBe(false)
    expect(frameExceeds({ type: 'message', content: '가'.repeat(30) }, 100)).toBe(true)
    expect(frameExceeds({ a: [{ b: ['x'.repeat(60)] }, { c: 'y'.repeat(60) }] }, 100)).toBe(true)
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(frameExceeds(deep as object, 100)).toBe(false)
    expect(frameExceeds(42, 100)).toBe(false)
  })
})
