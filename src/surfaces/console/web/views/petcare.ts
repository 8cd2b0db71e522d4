import { api, readSse } from '../api'
import { h, replace } from '../dom'
import { t } from '../i18n'
import type { Me } from '../main'
import { cardForm, clearStatus, showError } from './common'

interface PetcareUser {
  id: string
  pets: { id: string; petnm: string }[]
  access_token: string
}

interface Check {
  label: string
  unit: string
  value_per_1000_kcal: number
  minimum_per_1000_kcal: number
  maximum_per_1000_kcal?: number
  meets: boolean
}

/**
 * The pet-nutrition assistant. The console signs in to petcare the way its client does
 * (`POST /api/users/` with a cafe24 token, one generated per console user and kept in this
 * browser), registers pets, and shows a message's SSE events as a timeline; a recipe's
 * nutrients are shown against its AAFCO profile.
 */
export function mountPetcare(root: HTMLElement, me: Me): () => void {
  const status = h('p', { class: 'status', 'data-testid': 'petcare-status' })
  const pets = h('select', { name: 'petnm', 'data-testid': 'pet' })
  const timeline = h('ol', { class: 'timeline', 'data-testid': 'timeline' })
  const recipe = h('div', { 'data-testid': 'recipe' })
  const key = `huddle.petcare.${me.uid}`
  const cafe24 = localStorage.getItem(key) ?? (localStorage.setItem(key, crypto.randomUUID()), localStorage.getItem(key)!)
  let user: PetcareUser | undefined
  let controller: AbortController | undefined

  async function signIn(newPets?: unknown[]) {
    user = await api<PetcareUser>('POST', '/api/users/', { json: { cafe24_token: cafe24, ...(newPets ? { pets: newPets } : {}) } })
    replace(pets, ...user.pets.map((p) => h('option', { value: p.petnm, text: p.petnm })))
  }

  const addPet = cardForm(
    { testId: 'add-pet', status },
    async (f) => {
      const petInfo = { species: f.species, age: Number(f.age), weight_kg: Number(f.weight_kg), neutered: f.neutered === 'on', allergies: f.allergies ? f.allergies.split(',') : [] }
      await signIn([{ petnm: f.petnm, pet_info: petInfo }])
      pets.value = f.petnm!
    },
    h('h3', { text: t('addPet') }),
    h('input', { name: 'petnm', required: true, placeholder: t('name'), 'data-testid': 'pet-name' }),
    h('select', { name: 'species' }, h('option', { value: 'dog', text: 'dog / 개' }), h('option', { value: 'cat', text: 'cat / 고양이' })),
    h('input', { name: 'age', type: 'number', step: '0.1', min: '0', required: true, placeholder: t('age'), 'data-testid': 'pet-age' }),
    h('input', { name: 'weight_kg', type: 'number', step: '0.1', min: '0.1', required: true, placeholder: t('weight'), 'data-testid': 'pet-weight' }),
    h('label', {}, h('input', { type: 'checkbox', name: 'neutered' }), t('neutered')),
    h('input', { name: 'allergies', placeholder: 'allergies (a, b)' }),
    h('button', { type: 'submit', 'data-testid': 'pet-save', text: t('addPet') }),
  )

  const question = h('input', { name: 'message', placeholder: t('question'), 'data-testid': 'petcare-question', autocomplete: 'off' })
  const ask = h(
    'form',
    {
      class: 'card',
      onsubmit: async (e: Event) => {
        e.preventDefault()
        if (!user || !pets.value || !question.value.trim()) return
        clearStatus(status)
        replace(timeline)
        replace(recipe)
        controller = new AbortController()
        try {
          const res = await fetch('/api/messages/', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${user.access_token}` },
            body: JSON.stringify({ userId: user.id, petnm: pets.value, content: { message: question.value.trim() } }),
            signal: controller.signal,
          })
          if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`)
          await readSse(res, (event) => {
            timeline.append(h('li', { 'data-testid': `event-${event.type}` }, h('code', { text: String(event.type) }), ' ', summary(event)))
            if (event.type === 'new_recipe_message') replace(recipe, recipeTable(event.calculation_result as RecipeResult))
          })
        } catch (err) {
          if ((err as Error).name !== 'AbortError') showError(status, err)
        }
      },
    },
    h('h3', { text: t('petcare') }),
    pets,
    question,
    h('button', { type: 'submit', 'data-testid': 'petcare-ask', text: t('ask') }),
  )

  root.append(h('div', { class: 'split' }, h('aside', {}, addPet), h('section', { class: 'pane' }, ask, h('h4', { text: t('timeline') }), timeline, recipe)), status)
  signIn().catch((err) => showError(status, err))
  return () => controller?.abort()
}

/** A one-line view of an event's content. */
function summary(event: Record<string, unknown>): string {
  const c = event.content
  if (typeof c === 'string') return c
  if (c && typeof c === 'object' && 'content' in c) return String((c as { content: unknown }).content)
  if (event.type === 'new_recipe_message') return String(event.title)
  if (event.type === 'start' || event.type === 'end') return String(event.chat_id)
  if (event.type === 'error') return String(event.detail)
  return JSON.stringify(c ?? '').slice(0, 200)
}

interface RecipeResult {
  daily_energy_kcal: number
  profile?: { label: string }
  balanced?: boolean
  ingredients: { ko: string; grams: number; weight_note?: string }[]
  supplements?: { name: string; grams_per_day: number }[]
  aafco: { checks: Check[] }
}

/** The recipe's grams and its nutrients against the AAFCO profile, as a table. */
function recipeTable(r: RecipeResult): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('h4', { text: `${t('recipe')} · ${Math.round(r.daily_energy_kcal)} kcal · ${r.profile?.label ?? ''}${r.balanced === false ? ' · ⚠' : ''}` }),
    h('ul', {}, ...r.ingredients.map((i) => h('li', { text: `${i.ko}: ${i.grams} g ${i.weight_note ?? ''}` })), ...(r.supplements ?? []).map((s) => h('li', { text: `+ ${s.name}: ${s.grams_per_day} g` }))),
    h(
      'table',
      { 'data-testid': 'nutrients' },
      h('tr', {}, h('th', { text: t('nutrient') }), h('th', { text: t('value') }), h('th', { text: t('minimum') }), h('th', { text: '' })),
      ...r.aafco.checks.map((c) =>
        h(
          'tr',
          { class: c.meets ? 'ok' : 'short' },
          h('td', { text: c.label }),
          h('td', { text: `${c.value_per_1000_kcal} ${c.unit}` }),
          h('td', { text: `${c.minimum_per_1000_kcal} ${c.unit}` }),
          h('td', { text: c.meets ? '✓' : '✗' }),
        ),
      ),
    ),
  )
}
