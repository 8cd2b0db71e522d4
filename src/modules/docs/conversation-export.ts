import type { ConversationMessageRow } from './conversation-repo'

const KST_OFFSET_MS = 9 * 3_600_000
const ROLE_LABEL: Record<string, string> = { user: '사용자', assistant: '어시스턴트' }

/** `2026. 02. 15. 10:30 KST`: the export time as the docs contract prints it. */
export function kstStamp(at: Date): string {
  const k = new Date(at.getTime() + KST_OFFSET_MS)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${k.getUTCFullYear()}. ${p(k.getUTCMonth() + 1)}. ${p(k.getUTCDate())}. ${p(k.getUTCHours())}:${p(k.getUTCMinutes())} KST`
}

/** The conversation in the contract's markdown: title, export time, then one block per message separated by rules. */
export function renderConversationMarkdown(title: string, items: readonly ConversationMessageRow[], at: Date): string {
  const blocks = [`# ${title}\n\n> 내보내기: ${kstStamp(at)}`]
  for (const m of items) blocks.push(`**${ROLE_LABEL[m.role] ?? m.role}**: ${m.content}`)
  return blocks.join('\n\n---\n\n') + '\n'
}

/** A file name safe on every OS: path separators, control and reserved characters replaced, `.md` appended. */
export function exportFilename(title: string): string {
  // eslint-disable-next-line no-control-regex
  const base = title.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 100)
  return `${base || 'conversation'}.md`
}

/** `attachment` with an ASCII fallback name and the UTF-8 name as RFC 5987 `filename*`. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
