import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { processDataStream } from '@ai-sdk/ui-utils'
import { createTestApp, type TestApp } from '../support/app'
import { testDatabaseHasVector } from '../support/db'
import { makeCorruptPdf, makeDocx, makeEncryptedPdf, makePdf, makePptx, makeZipBomb } from '../fixtures/documents'

let t: TestApp
let alice: { token: string; id: number }
let bob: { token: string; id: number }

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '1000', RATE_LIMIT_DOCS_CHAT_PER_MINUTE: '1000', RATE_LIMIT_DOCS_DELETE_PER_MINUTE: '1000' })
  alice = await t.user('docs-alice', 'Alice')
  bob = await t.user('docs-bob', 'Bob')
})
afterAll(async () => t.close())

function upload(token: string, parts: Record<string, string | Blob | [Uint8Array, string]>) {
  const form = new FormData()
  for (const [k, v] of Object.entries(parts)) {
    if (Array.isArray(v)) form.append(k, new File([v[0]], v[1]))
    else form.append(k, v)
  }
  return t.request('POST', '/api/ingest', { token, body: form })
}

/** The parsed stream of one chat answer. */
async function ask(token: string, question: string, extra: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/chat', { token, json: { messages: [{ role: 'user', content: question }], ...extra } })
  expect(res.status).toBe(200)
  expect(res.headers.get('x-vercel-ai-data-stream')).toBe('v1')
  let text = ''
  const annotations: unknown[] = []
  const errors: string[] = []
  await processDataStream({
    stream: res.body!,
    onTextPart: (p) => void (text += p),
    onMessageAnnotationsPart: (a) => void annotations.push(...a),
    onErrorPart: (e) => void errors.push(e),
  })
  const sources = (annotations[0] as { sources: { index: number; source: string; content: string; similarity: number }[] }).sources
  return { text, sources, errors, annotations }
}

const hasVector = testDatabaseHasVector()

/** Ingests pasted text for `token` under `source`, expecting success. */
async function ingestText(token: string, text: string, source: string) {
  const res = await upload(token, { text, source })
  expect(res.status).toBe(200)
  return res.json()
}

describe('docs ingest and chat', () => {
  test.skipIf(hasVector)('without pgvector, ingest and chat answer 503 naming the vector extension, and nothing is stored', async () => {
    expect(t.database.hasVector).toBe(false)
    const u = await t.user('docs-novector')
    const attempts: Record<string, string | [Uint8Array, string]>[] = [{ text: 'hello world text' }, { file: [await makePdf([['A page of text.']]), 'page.pdf'] }]
    for (const parts of attempts) {
      const ingest = await upload(u.token, parts)
      expect(ingest.status).toBe(503)
      const body = await ingest.json()
      expect(Object.keys(body)).toEqual(['error'])
      expect(body.error).toContain('"vector"')
    }
    const chat = await t.request('POST', '/api/chat', { token: u.token, json: { messages: [{ role: 'user', content: 'hi' }] } })
    expect(chat.status).toBe(503)
    expect(chat.headers.get('content-type')).toContain('application/json')
    expect((await chat.json()).error).toContain('"vector"')
    const list = await t.request('GET', '/api/documents', { token: u.token })
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual([])
  })

  test.skipIf(!hasVector)('a file of each format is ingested and found by a question, with the sources annotation', async () => {
    const files: { name: string; bytes: Uint8Array; question: string; expect: string }[] = [
      {
        name: 'zephyr-manual.pdf',
        bytes: await makePdf([['The Zephyr QX-41 drone has a flight time of 38 minutes on one battery.', 'Charge it with the ZC-9 dock.']]),
        question: 'What is the flight time of the Zephyr QX-41?',
        expect: '38 minutes',
      },
      {
        name: '휴가규정.docx',
        bytes: await makeDocx([{ heading: '연차 휴가' }, '한빛상사 직원은 입사 첫해에 연차 휴가 15일을 받습니다.', '휴가 신청은 일주일 전까지 팀장에게 합니다.']),
        question: '한빛상사 연차 휴가는 며칠인가요?',
        expect: '15일',
      },
      {
        name: 'q3-results.pptx',
        bytes: makePptx([{ title: 'Marlowe Q3', lines: ['Marlowe Foods revenue grew to 412 million euros in Q3.'] }]),
        question: 'How much revenue did Marlowe Foods report in Q3?',
        expect: '412 million',
      },
      {
        name: 'notes.md',
        bytes: new TextEncoder().encode('# 정원 관리\n\n무궁화 정원의 물 주기는 매주 화요일과 금요일 오전 7시입니다.\n'),
        question: '무궁화 정원 물 주기는 언제인가요?',
        expect: '화요일',
      },
    ]
    for (const f of files) {
      const res = await upload(alice.token, { file: [f.bytes, f.name] })
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toEqual({ message: '문서 수집 완료', source: f.name, chunks: expect.any(Number), embeddings: body.chunks })
      expect(body.chunks).toBeGreaterThan(0)
    }
    for (const f of files) {
      const { text, sources, errors } = await ask(alice.token, f.question)
      expect(errors).toEqual([])
      expect(sources[0]!.source).toBe(f.name)
      expect(sources[0]!.content).toContain(f.expect)
      expect(text).toContain(f.expect)
      for (const [i, s] of sources.entries()) {
        expect(Object.keys(s).sort()).toEqual(['content', 'index', 'similarity', 'source', 'used'])
        expect(s.index).toBe(i + 1)
        expect(s.content.length).toBeLessThanOrEqual(200)
        expect(s.similarity).toBeGreaterThanOrEqual(0)
        expect(s.similarity).toBeLessThanOrEqual(1)
      }
    }
  })

  test.skipIf(!hasVector)('pasted text defaults its source to "직접 입력" and takes a given source', async () => {
    const u = await t.user('docs-paste')
    expect((await (await upload(u.token, { text: '오로라 카페의 영업시간은 오전 9시부터 오후 6시까지입니다.' })).json()).source).toBe('직접 입력')
    expect((await (await upload(u.token, { text: '메모 내용입니다. 회의는 목요일입니다.', source: '메모' })).json()).source).toBe('메모')
    const names = (await (await t.request('GET', '/api/documents', { token: u.token })).json()).map((d: { name: string }) => d.name)
    expect(names).toEqual(['메모', '직접 입력'])
  })

  test.skipIf(!hasVector)('another user never retrieves, lists or deletes the documents of the first', async () => {
    const owner = await t.user('docs-owner')
    const other = await t.user('docs-other')
    await ingestText(owner.token, 'The Zephyr QX-41 drone has a flight time of 38 minutes on one battery.', 'zephyr-manual.pdf')
    expect((await ask(owner.token, 'What is the flight time of the Zephyr QX-41?')).sources[0]!.source).toBe('zephyr-manual.pdf')
    const { sources, text } = await ask(other.token, 'What is the flight time of the Zephyr QX-41?')
    expect(sources).toEqual([])
    // Nothing retrieved: the plain abstention, in the question's language.
    expect(text).toContain('do not answer')
    expect(await (await t.request('GET', '/api/documents', { token: other.token })).json()).toEqual([])
    const [doc] = await (await t.request('GET', '/api/documents', { token: owner.token })).json()
    const del = await t.request('DELETE', `/api/documents?id=${doc.id}&source=${encodeURIComponent(doc.name)}`, { token: other.token })
    expect(del.status).toBe(404)
    expect(await (await t.request('GET', '/api/documents', { token: owner.token })).json()).toHaveLength(1)
  })

  test.skipIf(!hasVector)('documents are listed newest first and deleted with their chunks', async () => {
    const u = await t.user('docs-lister')
    await ingestText(u.token, 'The Zephyr QX-41 drone has a flight time of 38 minutes on one battery.', 'zephyr-manual.pdf')
    await ingestText(u.token, '오로라 카페의 영업시간은 오전 9시부터 오후 6시까지입니다.', '카페')
    await ingestText(u.token, '메모 내용입니다. 회의는 목요일입니다.', '메모')
    const list = await (await t.request('GET', '/api/documents', { token: u.token })).json()
    expect(list.map((d: { name: string }) => d.name)).toEqual(['메모', '카페', 'zephyr-manual.pdf'])
    expect(list[0]).toEqual({ id: expect.any(Number), name: '메모', chunk_count: 1, created_at: expect.any(String) })
    const ids = list.map((d: { id: number }) => d.id)
    expect([...ids].sort((a: number, b: number) => b - a)).toEqual(ids)
    const pdf = list[2]
    expect((await ask(u.token, 'Zephyr QX-41 flight time')).sources[0]!.source).toBe('zephyr-manual.pdf')
    expect((await t.request('DELETE', `/api/documents?id=${pdf.id}&source=wrong.pdf`, { token: u.token })).status).toBe(404)
    const del = await t.request('DELETE', `/api/documents?id=${pdf.id}&source=zephyr-manual.pdf`, { token: u.token })
    expect(del.status).toBe(200)
    expect(await del.json()).toEqual({ message: '문서가 삭제되었습니다.' })
    const { sources } = await ask(u.token, 'Zephyr QX-41 flight time')
    expect(sources.every((s) => s.source !== 'zephyr-manual.pdf')).toBe(true)
  })

  test.skipIf(!hasVector)('bad input answers 400 with {error}', async () => {
    const cases: [string, Record<string, string | Blob | [Uint8Array, string]>][] = [
      ['neither file nor text', { source: 'x' }],
      ['empty file', { file: [new Uint8Array(0), 'empty.txt'] }],
      ['corrupt pdf', { file: [makeCorruptPdf(), 'broken.pdf'] }],
      ['encrypted pdf', { file: [await makeEncryptedPdf(), 'secret.pdf'] }],
      ['zip bomb', { file: [makeZipBomb(), 'bomb.docx'] }],
      ['image', { file: [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'a.png'] }],
      ['over 10 MB', { file: [new Uint8Array(t.config.http.uploadMaxBytes + 1).fill(0x61), 'big.txt'] }],
    ]
    for (const [name, parts] of cases) {
      const res = await upload(bob.token, parts)
      expect({ name, status: res.status }).toEqual({ name, status: 400 })
      const body = await res.json()
      expect(typeof body.error).toBe('string')
    }
    for (const json of [{}, { messages: [] }, { messages: [{ role: 'user', content: '   ' }] }, { messages: [{ role: 'assistant', content: 'hi' }] }, { messages: 'x' }]) {
      const res = await t.request('POST', '/api/chat', { token: bob.token, json })
      expect(res.status).toBe(400)
      expect(typeof (await res.json()).error).toBe('string')
    }
    for (const q of ['', '?id=1', '?source=a', '?id=abc&source=a']) {
      const res = await t.request('DELETE', `/api/documents${q}`, { token: bob.token })
      expect(res.status).toBe(400)
    }
    expect(await (await t.request('GET', '/api/documents', { token: bob.token })).json()).toEqual([])
  })
})

describe('docs chat with a conversation', () => {
  test.skipIf(!hasVector)('stores the user message and the streamed answer; someone else’s conversation is 404', async () => {
    await ingestText(alice.token, '한빛상사 직원은 입사 첫해에 연차 휴가 15일을 받습니다.', '휴가규정')
    const conv = await (await t.request('POST', '/api/conversations', { token: alice.token, json: { title: 'QX' } })).json()
    const { text } = await ask(alice.token, '한빛상사 연차 휴가는 며칠인가요?', { conversationId: conv.id })
    const items = await (await t.request('GET', `/api/conversations/${conv.id}/messages`, { token: alice.token })).json()
    expect(items.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', '한빛상사 연차 휴가는 며칠인가요?'],
      ['assistant', text],
    ])
    const res = await t.request('POST', '/api/chat', {
      token: bob.token,
      json: { messages: [{ role: 'user', content: 'hi' }], conversationId: conv.id },
    })
    expect(res.status).toBe(404)
  })
})
