import { callChatApi, generateId, type UIMessage } from '@ai-sdk/ui-utils'
import { api } from '../api'
import { h, replace } from '../dom'
import { t } from '../i18n'
import { clearStatus, showError } from './common'

interface Source {
  index: number
  source: string
  content: string
  similarity: number
}

/**
 * Document Q&A: upload a file (or text), see what ingest made of it, then ask. The answer
 * streams through the AI SDK's own client (`callChatApi`, what `useChat` runs), so the data
 * stream and its source annotations are read exactly as a Vercel AI SDK app reads them.
 */
export function mountDocs(root: HTMLElement): () => void {
  const status = h('p', { class: 'status', 'data-testid': 'docs-status' })
  const docs = h('ul', { class: 'list', 'data-testid': 'documents' })
  const ingestResult = h('pre', { class: 'result', 'data-testid': 'ingest-result' })
  const answer = h('div', { class: 'answer', 'data-testid': 'answer' })
  const sources = h('ol', { class: 'sources', 'data-testid': 'sources' })
  const messages: UIMessage[] = []
  let controller: AbortController | null = null

  async function loadDocuments() {
    const list = await api<{ id: number; name: string; chunk_count: number }[]>('GET', '/api/documents')
    replace(docs, ...list.map((d) => h('li', { text: `${d.name} · ${d.chunk_count} ${t('chunks')}` })))
  }

  const upload = h(
    'form',
    {
      class: 'card',
      'data-testid': 'ingest',
      onsubmit: async (e: Event) => {
        e.preventDefault()
        clearStatus(status)
        const form = new FormData(e.target as HTMLFormElement)
        if ((form.get('file') as File | null)?.size === 0) form.delete('file')
        if (form.get('text') === '') form.delete('text')
        try {
          ingestResult.textContent = JSON.stringify(await api('POST', '/api/ingest', { form }), null, 2)
          await loadDocuments()
        } catch (err) {
          showError(status, err)
        }
      },
    },
    h('h3', { text: t('upload') }),
    h('input', { type: 'file', name: 'file', accept: '.pdf,.docx,.pptx,.txt,.md', 'data-testid': 'ingest-file' }),
    h('textarea', { name: 'text', rows: 3, placeholder: 'text', 'data-testid': 'ingest-text' }),
    h('input', { name: 'source', placeholder: 'source' }),
    h('button', { type: 'submit', 'data-testid': 'ingest-submit', text: t('upload') }),
    ingestResult,
  )

  const question = h('input', { name: 'q', placeholder: t('question'), 'data-testid': 'docs-question', autocomplete: 'off' })
  const stop = h('button', { type: 'button', disabled: true, text: t('stop'), onclick: () => controller?.abort() })
  const ask = h(
    'form',
    {
      class: 'card',
      onsubmit: async (e: Event) => {
        e.preventDefault()
        const text = question.value.trim()
        if (!text) return
        clearStatus(status)
        messages.push({ id: generateId(), role: 'user', content: text, parts: [{ type: 'text', text }] })
        replace(answer)
        replace(sources)
        stop.disabled = false
        try {
          await callChatApi({
            api: '/api/chat',
            body: { messages: messages.map(({ role, content }) => ({ role, content })) },
            streamProtocol: 'data',
            credentials: 'same-origin',
            headers: undefined,
            abortController: () => (controller = new AbortController()),
            restoreMessagesOnFailure: () => {},
            onResponse: undefined,
            onUpdate: ({ message }) => {
              answer.textContent = message.content
              const annotations = (message.annotations ?? []) as { sources?: Source[] }[]
              const found = annotations.flatMap((a) => a.sources ?? [])
              replace(sources, ...found.map((s) => h('li', { title: s.content, text: `[${s.index}] ${s.source} (${s.similarity.toFixed(2)})` })))
            },
            onFinish: (message) => void messages.push(message as UIMessage),
            onToolCall: undefined,
            generateId,
            fetch: undefined,
            lastMessage: messages.at(-1),
          })
        } catch (err) {
          if ((err as Error).name !== 'AbortError') showError(status, err)
        } finally {
          stop.disabled = true
          controller = null
        }
      },
    },
    h('h3', { text: t('ask') }),
    question,
    h('button', { type: 'submit', 'data-testid': 'docs-ask', text: t('ask') }),
    stop,
    answer,
    h('h4', { text: t('sources') }),
    sources,
  )

  root.append(h('div', { class: 'split' }, h('aside', {}, upload, h('h3', { text: t('documents') }), docs), h('section', { class: 'pane' }, ask)), status)
  loadDocuments().catch((err) => showError(status, err))
  return () => controller?.abort()
}
