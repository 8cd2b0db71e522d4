import { api, ApiError } from './api'
import { h, replace } from './dom'
import { t, toggleLanguage, type Word } from './i18n'
import { mountAccount } from './views/account'
import { mountAdvisor } from './views/advisor'
import { mountCouples } from './views/couples'
import { mountDocs } from './views/docs'
import { mountMessenger } from './views/messenger'
import { mountPetcare } from './views/petcare'

/** The signed-in user as `GET /api/auth/me` returns it. */
export interface Me {
  id: number
  uid: string
  name: string
  email: string | null
}

/** A mounted view; returns what to undo when another view replaces it (closing sockets). */
export type View = (root: HTMLElement, me: Me) => () => void

const VIEWS: Record<string, { word: Word; mount: View }> = {
  messenger: { word: 'messenger', mount: mountMessenger },
  docs: { word: 'docs', mount: mountDocs },
  petcare: { word: 'petcare', mount: mountPetcare },
  couples: { word: 'couples', mount: mountCouples },
  advisor: { word: 'advisor', mount: mountAdvisor },
}

const app = document.getElementById('app')!
let unmount: (() => void) | undefined

/** Renders the page for the current hash (#/messenger …), or the sign-in page without a session. */
async function render(): Promise<void> {
  unmount?.()
  unmount = undefined
  document.title = t('title')
  const me = await api<Me>('GET', '/api/auth/me').catch((e) => {
    if (e instanceof ApiError && e.status === 401) return undefined
    throw e
  })
  const content = h('main', { class: 'content' })
  const name = location.hash.replace(/^#\/?/, '') || 'messenger'
  const header = h(
    'header',
    { class: 'top' },
    h('strong', { text: t('title') }),
    me
      ? h('nav', {}, ...Object.entries(VIEWS).map(([key, v]) => h('a', { href: `#/${key}`, class: key === name ? 'active' : '', 'data-testid': `nav-${key}`, text: t(v.word) })))
      : null,
    h('span', { class: 'spacer' }),
    me ? h('span', { class: 'me', 'data-testid': 'me', text: me.name }) : null,
    h('button', { class: 'link', onclick: () => (toggleLanguage(), void render()), text: t('language') }),
    me
      ? h('button', { class: 'link', 'data-testid': 'sign-out', onclick: async () => (await api('POST', '/api/auth/logout'), void render()), text: t('signOut') })
      : null,
  )
  replace(app, header, content)
  if (!me) {
    unmount = mountAccount(content, () => void render())
    return
  }
  unmount = (VIEWS[name] ?? VIEWS.messenger!).mount(content, me)
}

window.addEventListener('hashchange', () => void render())
void render()
