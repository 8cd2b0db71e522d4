import { api } from '../api'
import { h, replace } from '../dom'
import { t } from '../i18n'
import { cardForm } from './common'

interface Card {
  card_id: number
  card_name: string
  company: string
  annual_fee_domestic: number
  fee_waiver_rule: string
  benefits: { category_name: string; benefit_rate: string; benefit_limit: number }[]
}

/** Card recommendations: one advisor session per visit, questions answered with ranked cards. */
export function mountAdvisor(root: HTMLElement): () => void {
  const status = h('p', { class: 'status', 'data-testid': 'advisor-status' })
  const comment = h('p', { 'data-testid': 'advisor-comment' })
  const cards = h('ol', { class: 'cards', 'data-testid': 'cards' })
  let session: string | undefined
  const question = h('input', { name: 'question', placeholder: t('question'), 'data-testid': 'advisor-question', autocomplete: 'off' })
  const form = cardForm(
    { status },
    async () => {
          session ??= (await api<{ session_id: string }>('POST', '/api/v1/chat/make_room/', { json: {} })).session_id
          const answer = await api<{ message: string; data: { cards: Card[] } }>('POST', '/api/v1/chat/send_message/', {
            json: { session_id: session, question: question.value },
          })
          comment.textContent = answer.message
          replace(
            cards,
            ...answer.data.cards.map((c) =>
              h(
                'li',
                { 'data-testid': 'card' },
                h('strong', { text: c.card_name }),
                h('span', { class: 'muted', text: ` · ${c.company}` }),
                h('div', { class: 'muted', text: `${t('annualFee')}: ${c.annual_fee_domestic.toLocaleString()}원 · ${c.fee_waiver_rule}` }),
                h('ul', {}, ...c.benefits.map((b) => h('li', { text: `${b.category_name} ${b.benefit_rate} (${b.benefit_limit.toLocaleString()}원)` }))),
              ),
            ),
          )
    },
    h('h3', { text: t('advisor') }),
    question,
    h('button', { type: 'submit', 'data-testid': 'advisor-ask', text: t('ask') }),
  )
  root.append(form, comment, h('h4', { text: t('cards') }), cards, status)
  return () => {}
}
