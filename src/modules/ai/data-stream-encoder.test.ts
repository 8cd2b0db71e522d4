import { describe, expect, test } from 'bun:test'
import { processDataStream } from '@ai-sdk/ui-utils'
import { AppError } from '../../platform/errors'
import {
  type DataStreamPart,
  chatDataStreamParts,
  dataStreamResponse,
  encodeDataStreamPart,
} from './data-stream-encoder'
import { createOfflineChat } from './providers/offline-provider'

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

const usage = { promptTokens: 12, completionTokens: 34 }
const parts: DataStreamPart[] = [
  { type: 'start', messageId: 'msg-1' },
  { type: 'annotations', annotations: [{ sources: [{ index: 1, source: 'report.pdf', content: '미리보기', similarity: 0.85 }] }] },
  { type: 'text', text: '안녕 "하세요"\n' },
  { type: 'text', text: 'second [1]' },
  { type: 'data', data: [{ conversationId: 'c-1' }] },
  { type: 'finish-step', finishReason: 'stop', usage, isContinued: false },
  { type: 'finish', finishReason: 'stop', usage },
]

describe('data stream encoder', () => {
  test('encodes every part type exactly', () => {
    expect(parts.map(encodeDataStreamPart)).toEqual([
      'f:{"messageId":"msg-1"}\n',
      '8:[{"sources":[{"index":1,"source":"report.pdf","content":"미리보기","similarity":0.85}]}]\n',
      '0:"안녕 \\"하세요\\"\\n"\n',
      '0:"second [1]"\n',
      '2:[{"conversationId":"c-1"}]\n',
      'e:{"finishReason":"stop","usage":{"promptTokens":12,"completionTokens":34},"isContinued":false}\n',
      'd:{"finishReason":"stop","usage":{"promptTokens":12,"completionTokens":34}}\n',
    ])
    expect(encodeDataStreamPart({ type: 'error', message: 'Rate limit' })).toBe('3:"Rate limit"\n')
  })

  test('the AI SDK parser reads every part with the right values', async () => {
    const response = dataStreamResponse(fromArray(parts))
    expect(response.headers.get('x-vercel-ai-data-stream')).toBe('v1')
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const seen: Record<string, unknown[]> = {}
    const push = (name: string) => (value: unknown) => {
      seen[name] = [...(seen[name] ?? []), value]
    }
    await processDataStream({
      stream: response.body!,
      onStartStepPart: push('start'),
      onTextPart: push('text'),
      onDataPart: push('data'),
      onMessageAnnotationsPart: push('annotations'),
      onFinishStepPart: push('finishStep'),
      onFinishMessagePart: push('finish'),
      onErrorPart: push('error'),
    })
    expect(seen).toEqual({
      start: [{ messageId: 'msg-1' }],
      annotations: [[{ sources: [{ index: 1, source: 'report.pdf', content: '미리보기', similarity: 0.85 }] }]],
      text: ['안녕 "하세요"\n', 'second [1]'],
      data: [[{ conversationId: 'c-1' }]],
      finishStep: [{ finishReason: 'stop', usage, isContinued: false }],
      finish: [{ finishReason: 'stop', usage }],
    })
  })

  test('a failing source ends with an error part carrying only a public message', async () => {
    async function* failing(error: unknown): AsyncGenerator<DataStreamPart> {
      yield { type: 'start', messageId: 'm' }
      throw error
    }
    const errors: string[] = []
    for (const error of [new AppError('TIMEOUT', 'The AI provider did not answer in time'), new Error('db password=secret')]) {
      await processDataStream({
        stream: dataStreamResponse(failing(error)).body!,
        onErrorPart: (message) => {
          errors.push(message)
        },
      })
    }
    expect(errors).toEqual(['The AI provider did not answer in time', 'An error occurred.'])
  })

  test('chatDataStreamParts turns a chat stream into a complete message', async () => {
    const chat = createOfflineChat()
    const stored: { text: string; completionTokens: number }[] = []
    const stream = chat.stream({
      messages: [{ role: 'user', content: 'What is the refund window?' }],
      grounding: { passages: [{ index: 1, source: 'policy.md', content: 'The refund window is 30 days.' }] },
    })
    const response = dataStreamResponse(
      chatDataStreamParts(stream, {
        messageId: 'msg-9',
        annotations: [{ sources: [{ index: 1, source: 'policy.md' }] }],
        onFinish: (text, u) => {
          stored.push({ text, completionTokens: u.completionTokens })
        },
      }),
    )
    let text = ''
    let finish: unknown
    let annotations: unknown
    await processDataStream({
      stream: response.body!,
      onTextPart: (delta) => {
        text += delta
      },
      onMessageAnnotationsPart: (value) => {
        annotations = value
      },
      onFinishMessagePart: (value) => {
        finish = value
      },
    })
    expect(text).toContain('The refund window is 30 days. [1]')
    expect(stored).toEqual([{ text, completionTokens: Math.ceil(text.length / 4) }])
    expect(annotations).toEqual([{ sources: [{ index: 1, source: 'policy.md' }] }])
    expect(finish).toMatchObject({ finishReason: 'stop', usage: { completionTokens: Math.ceil(text.length / 4) } })
  })
})
