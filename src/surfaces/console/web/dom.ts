/** Attributes, properties and `on…` listeners of an element built by `h`. */
type Props = Record<string, unknown> & { class?: string; text?: string }
type Child = Node | string | number | null | undefined | false

/**
 * Builds an element: `h('button', { class: 'x', onclick: fn, 'data-testid': 'send' }, 'Send')`.
 * Keys starting with `on` become listeners, `text` sets textContent, others are attributes.
 * Text is always set as text, never parsed as HTML, so user content cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'text') el.textContent = String(value)
    else if (key === 'class') el.className = String(value)
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener)
    else if (key === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  append(el, ...children)
  return el
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)))
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, ...children)
}

/** A form's named text fields as an object. */
export const fields = (form: HTMLFormElement): Record<string, string> =>
  Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>
