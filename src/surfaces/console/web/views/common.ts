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
