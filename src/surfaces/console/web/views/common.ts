import { fields, h } from '../dom'
import { ApiError } from '../api'
import { t } from '../i18n'

/** Shows an error (the API's own message when it sent one) in a status line. */
export function showError(target: HTMLElement, error: unknown): void {
  target.classList.add('error')
  target.textContent = `${t('error')}: ${error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error)}`
}

/** Clears a status line. */
export function clearStatus(target: HTMLElement): void {
  target.classList.remove('error')
  target.textContent = ''
}

/** A short local time for a server timestamp (naive times are UTC). */
export function timeOf(stamp: string): string {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp}Z`)
  return Number.isNaN(d.getTime()) ? stamp : d.toLocaleTimeString()
}

/**
 * A card form whose submit runs `action` with the form's text fields: the browser's own submit
 * is prevented, the status line cleared first, and any failure shown in it.
 */
export function cardForm(
  props: { testId?: string; status: HTMLElement },
  action: (values: Record<string, string>, form: HTMLFormElement) => Promise<unknown>,
  ...children: (Node | string | null | undefined | false)[]
): HTMLFormElement {
  return h(
    'form',
    {
      class: 'card',
      'data-testid': props.testId,
      onsubmit: async (e: Event) => {
        e.preventDefault()
        const form = e.target as HTMLFormElement
        clearStatus(props.status)
        try {
          await action(fields(form), form)
        } catch (err) {
          showError(props.status, err)
        }
      },
    },
    ...children,
  )
}
