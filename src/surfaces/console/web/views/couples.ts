import { api, socketUrl } from '../api'
import { h, replace } from '../dom'
import { t } from '../i18n'
import type { Me } from '../main'
import { cardForm, clearStatus, showError, timeOf } from './common'

interface CoupleRoom {
  room_id: number
  room_name: string
  couple_id: number | null
}

/**
 * A couple session in two panes: on the left the signed-in user (seat A, the room's creator,
 * by the session cookie), on the right the partner, signed in here with their own account
 * (a bearer token kept in memory; the login call omits cookies so it does not replace the
 * page's session) and seated with an invitation A creates. The AI's questions appear in both.
 */
export function mountCouples(root: HTMLElement, _me: Me): () => void {
  const status = h('p', { class: 'status', 'data-testid': 'couples-status' })
  const rooms = h('ul', { class: 'list', 'data-testid': 'couple-rooms' })
  const left = h('section', { class: 'pane', 'data-testid': 'pane-a' })
  const right = h('section', { class: 'pane', 'data-testid': 'pane-b' })
  const closers: (() => void)[] = []
  let partnerToken: string | undefined

  async function loadRooms() {
    const list = await api<CoupleRoom[]>('GET', '/api/rooms')
    replace(rooms, ...list.map((r) => h('li', { 'data-testid': `couple-room-${r.room_id}`, onclick: () => open(r), text: `${r.room_name} (#${r.room_id})` })))
  }

  function open(room: CoupleRoom) {
    closers.splice(0).forEach((c) => c())
    clearStatus(status)
    closers.push(sessionPane(left, room, `/api/sessions/ws/${room.room_id}`, status))
    const invite = h('button', {
      'data-testid': 'invite',
      text: t('invite'),
      onclick: async () => {
        try {
          const { invite_code } = await api<{ invite_code: string }>('POST', `/api/rooms/${room.room_id}/invite`)
          if (!partnerToken) return showError(status, t('partnerSignIn'))
          const path = `/api/sessions/ws/${room.room_id}?token=${encodeURIComponent(partnerToken)}&invite=${encodeURIComponent(invite_code)}`
          closers.push(sessionPane(right, room, path, status))
        } catch (err) {
          showError(status, err)
        }
      },
    })
    left.prepend(invite)
  }

  const create = cardForm({ testId: 'create-couple-room', status }, async (f) => {
    const room = await api<CoupleRoom>('POST', '/api/rooms', { json: { room_name: f.room_name, couple_id: Number(f.couple_id) } })
    await loadRooms()
    open(room)
  },
    h('h3', { text: t('createRoom') }),
    h('input', { name: 'room_name', required: true, placeholder: t('roomName'), 'data-testid': 'couple-room-name' }),
    h('input', { name: 'couple_id', type: 'number', min: '1', required: true, placeholder: 'couple_id', value: String(Math.floor(Math.random() * 1e9) + 1) }),
    h('button', { type: 'submit', text: t('create') }),
  )

  // The partner signs in without cookies, so the page's own session is not replaced.
  const partner: HTMLFormElement = cardForm({ testId: 'partner-sign-in', status }, async (f) => {
    const body = await api<{ access_token: string; user: { name: string } }>('POST', '/api/auth/login', {
      json: { email: f.email, password: f.password },
      credentials: 'omit',
    })
    partnerToken = body.access_token
    replace(partner, h('p', { 'data-testid': 'partner-name', text: `${t('partner')}: ${body.user.name}` }))
  },
    h('h3', { text: t('partnerSignIn') }),
    h('input', { name: 'email', type: 'email', required: true, placeholder: t('email') }),
    h('input', { name: 'password', type: 'password', required: true, placeholder: t('password') }),
    h('button', { type: 'submit', text: t('signIn') }),
  )

  root.append(h('div', { class: 'split three' }, h('aside', {}, create, h('h3', { text: t('rooms') }), rooms, partner), left, right), status)
  loadRooms().catch((err) => showError(status, err))
  return () => closers.forEach((c) => c())
}

/** One partner's view of the session socket: messages, the AI's questions with 네/아니오, a composer. */
function sessionPane(pane: HTMLElement, room: CoupleRoom, path: string, status: HTMLElement): () => void {
  const log = h('ol', { class: 'log', 'data-testid': 'couple-messages' })
  const socket = new WebSocket(socketUrl(path))
  let sessionId: number | undefined
  const line = (who: string, text: string, cls = '') => {
    log.append(h('li', { class: cls, 'data-testid': `couple-${cls || 'message'}` }, h('small', { class: 'muted', text: who }), h('div', { text })))
    log.scrollTop = log.scrollHeight
  }
  const answer = (content: string) => socket.send(JSON.stringify({ type: 'response', content, session_id: sessionId }))
  socket.onmessage = (e) => {
    const event = JSON.parse(String(e.data)) as Record<string, unknown> & { type: string }
    if (event.type === 'session') {
      sessionId = event.session_id as number
      line('session', String(event.content), 'session')
    } else if (event.type === 'message') {
      line(`${event.speaker_type} · ${timeOf(String(event.timestamp))}`, String(event.content), event.speaker_type === 'AI' ? 'ai' : '')
    } else if (event.type === 'system') {
      line('AI ?', String(event.content), 'system')
      log.append(h('li', {}, h('button', { 'data-testid': 'answer-yes', onclick: () => answer('네'), text: '네' }), h('button', { onclick: () => answer('아니오'), text: '아니오' })))
    } else if (event.type === 'error') {
      showError(status, String(event.detail))
    }
  }
  socket.onclose = (e) => {
    if (e.code >= 4000) showError(status, `${e.code} ${e.reason}`)
  }
  const input = h('input', { placeholder: t('message'), autocomplete: 'off', 'data-testid': 'couple-composer' })
  const form = h(
    'form',
    {
      class: 'composer',
      onsubmit: (e: Event) => {
        e.preventDefault()
        if (!input.value.trim() || socket.readyState !== WebSocket.OPEN) return
        socket.send(JSON.stringify({ content: input.value.trim() }))
        input.value = ''
      },
    },
    input,
    h('button', { type: 'submit', 'data-testid': 'couple-send', text: t('send') }),
  )
  replace(pane, h('h3', { text: room.room_name }), log, form)
  return () => socket.close(1000)
}
