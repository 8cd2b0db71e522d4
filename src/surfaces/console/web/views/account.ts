import { api } from '../api'
import { h } from '../dom'
import { t } from '../i18n'
import { cardForm } from './common'

/** Sign in (sets the session cookie) or register; calls `done` once signed in. */
export function mountAccount(root: HTMLElement, done: () => void): () => void {
  const status = h('p', { class: 'status', 'data-testid': 'account-status' })
  const signIn = cardForm(
    { testId: 'sign-in', status },
    async (f) => (await api('POST', '/api/auth/login', { json: { email: f.email, password: f.password } }), done()),
    h('h2', { text: t('signIn') }),
    h('input', { name: 'email', type: 'email', required: true, placeholder: t('email') }),
    h('input', { name: 'password', type: 'password', required: true, placeholder: t('password') }),
    h('button', { type: 'submit', text: t('signIn') }),
  )
  const register = cardForm({ testId: 'register', status }, async (f) => {
    await api('POST', '/api/auth/register', { json: { email: f.email, password: f.password, name: f.name } })
    status.textContent = t('registered')
    signIn.querySelector<HTMLInputElement>('[name=email]')!.value = f.email!
  },
    h('h2', { text: t('register') }),
    h('input', { name: 'name', required: true, placeholder: t('name') }),
    h('input', { name: 'email', type: 'email', required: true, placeholder: t('email') }),
    h('input', { name: 'password', type: 'password', required: true, minlength: 8, placeholder: t('password') }),
    h('button', { type: 'submit', text: t('register') }),
  )
  root.append(h('div', { class: 'columns' }, signIn, register), status)
  return () => {}
}
