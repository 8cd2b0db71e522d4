import { api, socketUrl } from '../api'
import { h, replace } from '../dom'
import { t } from '../i18n'
import type { Me } from '../main'
import { cardForm, clearStatus, showError, timeOf } from './common'

interface Room {
  room_id: number
  room_name: string
  room_type: string
  participant_count: number
  last_message: string | null
  unread_count: number
}

interface Message {
  message_id: number
  sender_id: number
  sender_name: string
  content: string
  message_type: string
  file_url?: string | null
  file_name?: string | null
  timestamp?: string
  created_at?: string
  is_deleted?: boolean
}

/** Rooms on the left, the open room on the right: live messages, typing, presence, read state, files. */
export function mountMessenger(root: HTMLElement, me: Me): () => void {
  const status = h('p', { class: 'status', 'data-testid': 'messenger-status' })
  const roomList = h('ul', { class: 'list', 'data-testid': 'rooms' })
  const pane = h('section', { class: 'pane' }, h('p', { class: 'muted', text: t('pickRoom') }))
  let closeRoom: (() => void) | undefined

  async function loadRooms(select?: number) {
    const { rooms } = await api<{ rooms: Room[] }>('GET', '/chat/rooms/')
    replace(
      roomList,
      ...rooms.map((r) =>
        h(
          'li',
          { 'data-testid': `room-${r.room_id}`, onclick: () => openRoom(r) },
          h('strong', { text: r.room_name }),
          r.unread_count > 0 ? h('span', { class: 'badge', text: String(r.unread_count) }) : null,
          h('small', { class: 'muted', text: r.last_message ?? '' }),
        ),
      ),
    )
    const chosen = rooms.find((r) => r.room_id === select)
    if (chosen) openRoom(chosen)
  }

  function openRoom(room: Room) {
    closeRoom?.()
    closeRoom = mountRoom(pane, room, me, status)
  }

  const results = h('div', { class: 'results', 'data-testid': 'people' })
  const picked = new Map<number, string>()
  const newRoom = cardForm({ testId: 'new-room', status }, async (f) => {
    const ids = [...picked.keys()]
    const room = await api<Room>('POST', '/chat/rooms/', {
      json: { room_name: f.room_name?.trim() || [...picked.values()].join(', '), room_type: ids.length === 1 ? 'direct' : 'group', participant_ids: ids },
    })
    picked.clear()
    replace(results)
    await loadRooms(room.room_id)
  },
    h('h3', { text: t('newRoom') }),
    h('input', {
      name: 'q',
      placeholder: t('findPeople'),
      'data-testid': 'people-query',
      onkeydown: async (e: KeyboardEvent) => {
        if (e.key !== 'Enter') return
        e.preventDefault()
        const q = (e.target as HTMLInputElement).value.trim()
        if (!q) return
        try {
          const { users } = await api<{ users: { id: number; name: string }[] }>('GET', `/api/users/search?q=${encodeURIComponent(q)}`)
          replace(
            results,
            ...users.map((u) =>
              h(
                'label',
                {},
                h('input', { type: 'checkbox', 'data-testid': `person-${u.id}`, onchange: (ev: Event) => ((ev.target as HTMLInputElement).checked ? picked.set(u.id, u.name) : picked.delete(u.id)) }),
                u.name,
              ),
            ),
          )
        } catch (err) {
          showError(status, err)
        }
      },
    }),
    results,
    h('input', { name: 'room_name', placeholder: t('roomName') }),
    h('button', { type: 'submit', 'data-testid': 'create-room', text: t('create') }),
  )

  root.append(h('div', { class: 'split' }, h('aside', {}, h('h3', { text: t('rooms') }), roomList, newRoom), pane), status)
  loadRooms().catch((err) => showError(status, err))
  return () => closeRoom?.()
}

/** One open room: its history, then live events over the room's socket (cookie-authenticated). */
function mountRoom(pane: HTMLElement, room: Room, me: Me, status: HTMLElement): () => void {
  clearStatus(status)
  const log = h('ol', { class: 'log', 'data-testid': 'messages' })
  const typing = h('p', { class: 'muted typing', 'data-testid': 'typing' })
  const presence = h('p', { class: 'muted', 'data-testid': 'presence' })
  const reads = h('p', { class: 'muted', 'data-testid': 'reads' })
  const online = new Map<number, string>()
  const names = new Map<number, string>()
  const shown = new Set<number>()

  const render = (m: Message) => {
    if (shown.has(m.message_id)) return
    shown.add(m.message_id)
    const mine = m.sender_id === me.id
    const body =
      m.message_type === 'image' && m.file_url
        ? h('img', { src: m.file_url, alt: m.file_name ?? '', class: 'preview', 'data-testid': 'image-preview' })
        : m.file_url
          ? h('a', { href: m.file_url, target: '_blank', text: m.file_name ?? m.file_url })
          : null
    log.append(
      h(
        'li',
        { class: mine ? 'mine' : '', 'data-testid': 'message', 'data-id': m.message_id },
        h('small', { class: 'muted', text: `${m.sender_name} · ${timeOf(m.timestamp ?? m.created_at ?? '')}` }),
        h('div', { text: m.is_deleted ? '—' : m.content }),
        body,
      ),
    )
    log.scrollTop = log.scrollHeight
  }
  const showPresence = () => (presence.textContent = `${t('online')}: ${[...online.values()].join(', ')}`)
  const markRead = () => api('POST', `/chat/rooms/${room.room_id}/read/`).catch(() => {})

  const socket = new WebSocket(socketUrl(`/chat/ws/${room.room_id}`))
  let typingTimer: ReturnType<typeof setTimeout> | undefined
  socket.onmessage = (e) => {
    const event = JSON.parse(String(e.data)) as Record<string, unknown> & { type: string }
    if (event.type === 'message') {
      render(event as unknown as Message)
      if (event.sender_id !== me.id) void markRead()
    } else if (event.type === 'typing') {
      typing.textContent = event.is_typing ? `${event.user_name} ${t('typing')}` : ''
    } else if (event.type === 'user_status') {
      if (event.status === 'online') online.set(event.user_id as number, event.user_name as string)
      else online.delete(event.user_id as number)
      showPresence()
    } else if (event.type === 'message_read' && event.user_id !== me.id) {
      reads.textContent = `${t('readBy')}: ${names.get(event.user_id as number) ?? event.user_id} · ${timeOf(String(event.last_read_at))}`
    } else if (event.type === 'message_deleted') {
      log.querySelector(`[data-id="${event.message_id}"] div`)?.replaceChildren('—')
    } else if (event.type === 'message_updated') {
      log.querySelector(`[data-id="${event.message_id}"] div`)?.replaceChildren(String(event.content))
    } else if (event.type === 'error') {
      showError(status, String(event.detail))
    }
  }
  socket.onclose = (e) => {
    if (e.code >= 4000) showError(status, `${e.code} ${e.reason}`)
  }

  const input = h('input', {
    name: 'content',
    placeholder: t('message'),
    autocomplete: 'off',
    'data-testid': 'composer',
    oninput: () => {
      if (socket.readyState !== WebSocket.OPEN) return
      if (!typingTimer) socket.send(JSON.stringify({ type: 'typing', is_typing: true }))
      clearTimeout(typingTimer)
      typingTimer = setTimeout(() => {
        typingTimer = undefined
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'typing', is_typing: false }))
      }, 1500)
    },
  })
  const file = h('input', { type: 'file', name: 'file', 'data-testid': 'file' })
  const composer = h(
    'form',
    {
      class: 'composer',
      onsubmit: async (e: Event) => {
        e.preventDefault()
        const text = input.value.trim()
        const chosen = file.files?.[0]
        try {
          if (chosen) {
            const form = new FormData()
            form.set('file', chosen)
            form.set('message_type', chosen.type.startsWith('image/') ? 'image' : 'file')
            form.set('message_content', text || chosen.name)
            await api('POST', `/chat/rooms/${room.room_id}/messages/`, { form })
            file.value = ''
          } else if (text) {
            socket.send(JSON.stringify({ type: 'message', content: text, message_type: 'text', client_msg_id: crypto.randomUUID() }))
          }
          input.value = ''
        } catch (err) {
          showError(status, err)
        }
      },
    },
    input,
    h('label', { class: 'file' }, t('attach'), file),
    h('button', { type: 'submit', 'data-testid': 'send', text: t('send') }),
  )

  replace(pane, h('h3', { 'data-testid': 'room-title', text: room.room_name }), presence, log, typing, reads, composer)
  api<{ messages: Message[] }>('GET', `/chat/rooms/${room.room_id}/messages/?page=1&size=50`)
    .then(({ messages }) => (messages.forEach(render), markRead()))
    .catch((err) => showError(status, err))
  api<{ user_id: number; user_name: string; is_online: boolean }[]>('GET', `/chat/rooms/${room.room_id}/online-status/`)
    .then((users) => {
      for (const u of users) {
        names.set(u.user_id, u.user_name)
        if (u.is_online) online.set(u.user_id, u.user_name)
      }
      showPresence()
    })
    .catch(() => {})
  return () => {
    clearTimeout(typingTimer)
    socket.close(1000)
  }
}
